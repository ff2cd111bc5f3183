import { GantryError } from '../errors/index.js';

/** Throws the error every parser uses for a report it cannot read; bound to one file. */
export type Fail = (problem: string) => never;

/** `GANTRY_REPORT_INVALID` with the file first, the way a compiler names a source file. */
export function reportInvalid(file: string, problem: string, cause?: unknown): GantryError {
  return new GantryError('GANTRY_REPORT_INVALID', `${file}: ${problem}`, {
    cause,
    location: { file },
  });
}

export function failFor(file: string): Fail {
  return (problem) => {
    throw reportInvalid(file, problem);
  };
}
