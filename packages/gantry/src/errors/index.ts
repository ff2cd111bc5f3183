export { errorCodes, type ErrorCode } from './codes.js';
export {
  ConfigError,
  GantryError,
  formatLocation,
  isGantryError,
  snippetAt,
  type GantryErrorOptions,
  type Problem,
  type SourceLocation,
} from './gantry-error.js';
