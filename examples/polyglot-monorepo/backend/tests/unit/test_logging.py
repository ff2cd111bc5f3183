import json
import logging

import pytest

from app.logging_config import JsonFormatter, StdoutHandler, configure_logging


def make_record(msg: str = "hello %s", args: tuple[object, ...] = ("world",)) -> logging.LogRecord:
    return logging.LogRecord("app.test", logging.WARNING, __file__, 10, msg, args, None)


def test_formats_one_json_object_with_extras() -> None:
    record = make_record()
    record.order_id = "abc"
    record._private = "hidden"
    line = JsonFormatter().format(record)
    assert "\n" not in line
    payload = json.loads(line)
    assert payload["level"] == "WARNING"
    assert payload["logger"] == "app.test"
    assert payload["message"] == "hello world"
    assert payload["order_id"] == "abc"
    assert "_private" not in payload
    assert "args" not in payload and "msg" not in payload
    assert payload["timestamp"].endswith("+00:00")


def test_non_json_values_are_stringified() -> None:
    record = make_record("x", ())
    record.thing = object()
    assert json.loads(JsonFormatter().format(record))["thing"].startswith("<object")


def test_exceptions_are_included() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record = logging.LogRecord("a", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    payload = json.loads(JsonFormatter().format(record))
    assert "RuntimeError: boom" in payload["exception"]


def test_configure_logging_is_idempotent_and_writes_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    try:
        configure_logging("INFO")
        configure_logging("INFO")
        ours = [h for h in root.handlers if isinstance(h, StdoutHandler)]
        assert len(ours) == 1
        assert not logging.getLogger("uvicorn.access").handlers
        logging.getLogger("app.test").info("structured", extra={"k": 1})
        lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x]
        assert {"message": "structured", "k": 1}.items() <= lines[-1].items()
    finally:
        root.handlers[:] = before
        root.setLevel(level)
