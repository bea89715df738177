export { cardScheme, isCardNumber, passesLuhn } from './credit-card.ts';
export { detectPii, resolveOverlaps } from './detect.ts';
export { PII_LINE_COMMANDS, piiLine, type PiiLineCommand } from './lines.ts';
export { maskPii, maskPiiDeep } from './mask.ts';
export {
  CountryCodeSchema,
  DEFAULT_PII_TYPES,
  DEFAULT_PLACEHOLDERS,
  PII_TYPES,
  PiiDetectOptionsSchema,
  PiiMaskOptionsSchema,
  PiiSpanSchema,
  PiiTypeSchema,
  type PiiDetectOptions,
  type PiiMaskOptions,
  type PiiSpan,
  type PiiType,
} from './types.ts';
