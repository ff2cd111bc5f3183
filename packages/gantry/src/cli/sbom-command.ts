import { GantryError } from '../errors/index.js';

/** Placeholder until the command lands; it refuses to run rather than pretend. */
export function main(_argv: string[]): Promise<number> {
  return Promise.reject(
    new GantryError('GANTRY_UNSUPPORTED', 'this command is not available yet in this build'),
  );
}
