import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { GantryError } from '../../errors/index.js';
import { bestMatch } from './host-tools.js';
import type { PythonInstall } from './python-installs.js';
import { tomlString } from './toml-value.js';

/**
 * Reads a python version file as actions/setup-python does: pyproject.toml's
 * `project.requires-python` (or Poetry's `tool.poetry.dependencies.python`), `.tool-versions`'
 * python line, or plain lines (.python-version). Returns one spec per version listed.
 */
export function readPythonVersionFile(file: string): string[] {
  if (!existsSync(file)) {
    throw new GantryError(
      'GANTRY_CONFIG_INVALID',
      `The specified python version file at: ${file} doesn't exist.`,
    );
  }
  const contents = readFileSync(file, 'utf8');
  if (file.endsWith('.toml')) {
    // Only two keys are needed, so a line reader does instead of a TOML parser.
    const [table, key] = /^\s*\[project\]/m.test(contents)
      ? ['project', 'requires-python']
      : ['tool.poetry.dependencies', 'python'];
    const value = tomlString(contents, table, key);
    return value ? [value] : [];
  }
  if (path.basename(file) === '.tool-versions') {
    const line = /^\s*python\s+(.+)$/m.exec(contents)?.[1] ?? '';
    return line.split(/\s+/).filter(Boolean);
  }
  return contents
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * Turns a setup-python version spec into a semver range: `3.12-dev` → `~3.12.0-0`,
 * `3.13.0rc1` → `3.13.0-rc1`, PEP 440 `>=3.9,<3.12` → `>=3.9 <3.12`, `==3.11.*` → `3.11.x`.
 */
export function pythonRange(spec: string, allowPrereleases = false): string | undefined {
  // With allow-prereleases, `3.14` also accepts 3.14.0 betas while no final release is installed.
  const trimmed = allowPrereleases
    ? spec.trim().replace(/^(\d+)\.(\d+)$/, '~$1.$2.0-0')
    : spec.trim();
  const semantic = trimmed
    .replace(/^(\d+)\.(\d+)-dev$/, '~$1.$2.0-0')
    .replace(/(\d+\.\d+\.\d+)((?:a|b|rc)\d*)/g, '$1-$2')
    // PEP 440 `~=3.9` is `>=3.9, ==3.*`; `~=3.9.1` is `>=3.9.1, ==3.9.*`.
    .replace(/~=\s*(\d+(?:\.\d+)*)/g, (_, v: string) =>
      v.split('.').length === 2 ? `^${v}` : `~${v}`,
    )
    .replace(/==\s*/g, '')
    .replace(/\.\*/g, '.x')
    .split(',')
    .join(' ');
  return semver.validRange(semantic) ?? undefined;
}

/** The highest installed Python satisfying a spec; undefined when none does (or the spec is not a range). */
export function pickPythonVersion(
  spec: string,
  installs: readonly PythonInstall[],
  allowPrereleases = false,
): PythonInstall | undefined {
  const range = pythonRange(spec, allowPrereleases);
  return range ? bestMatch(installs, range) : undefined;
}
