// Replaced at bundle time with the package version; `dev` when running from sources.
declare const __GANTRY_VERSION__: string | undefined;

export const version: string = typeof __GANTRY_VERSION__ === 'string' ? __GANTRY_VERSION__ : 'dev';
