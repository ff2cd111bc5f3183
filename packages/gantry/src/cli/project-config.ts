import path from 'node:path';
import { ConfigError } from '../errors/index.js';
import { readYamlFile } from './yaml-file.js';

/** The project config: `gantry.yml` in the repository root (or the file given). */
export interface ProjectConfig {
  readonly file: string;
  readonly data: Record<string, unknown>;
  locate(path: readonly (string | number)[]): number | undefined;
}

export function loadProjectConfig(root: string, file?: string): ProjectConfig | undefined {
  const name = file ?? 'gantry.yml';
  const loaded = readYamlFile(path.resolve(root, name), name, file === undefined);
  if (!loaded) return undefined;
  const value = loaded.value ?? {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError([
      { file: name, message: `${name} must be a mapping of sections (gates, ...)` },
    ]);
  return { file: loaded.file, data: value as Record<string, unknown>, locate: loaded.locate };
}
