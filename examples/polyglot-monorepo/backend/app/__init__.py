"""Orders API: the FastAPI backend of Gantry's polyglot-monorepo example."""

__version__ = "0.1.0"
