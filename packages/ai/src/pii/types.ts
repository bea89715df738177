import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

/**
 * Every kind of personal data the detector knows, in overlap priority order: when two
 * detections overlap, the one whose type comes first wins (see `resolveOverlaps`).
 * A URL outranks what it may contain (an email, an IP) so that masking one hides all of it;
 * checksummed identifiers outrank phone numbers, whose shape is the loosest.
 */
export const PII_TYPES = [
  'url',
  'email',
  'iban',
  'credit_card',
  'crypto',
  'us_ssn',
  'ip_address',
  'phone',
] as const;

export const PiiTypeSchema = z.enum(PII_TYPES);
export type PiiType = z.infer<typeof PiiTypeSchema>;

/**
 * What `detectPii` looks for unless told otherwise. URLs are left out: most links in shop
 * conversations are product pages and tracking links, and masking them in logs and exports
 * would destroy more than it protects. Ask for `url` explicitly to mask them too.
 */
export const DEFAULT_PII_TYPES: readonly PiiType[] = PII_TYPES.filter((type) => type !== 'url');

export const CountryCodeSchema = z.custom<CountryCode>(
  (value) => typeof value === 'string' && isSupportedCountry(value),
  { message: 'expected an ISO 3166-1 alpha-2 country code known to libphonenumber-js' },
);

export const PiiDetectOptionsSchema = z.object({
  /** Restrict detection to these types (default: `DEFAULT_PII_TYPES`). */
  types: z.array(PiiTypeSchema).optional(),
  /** Country whose national phone format applies to numbers written without `+` (default `US`). */
  defaultCountry: CountryCodeSchema.optional(),
  /** More countries whose valid national numbers are recognised without any context word. */
  phoneCountries: z.array(CountryCodeSchema).optional(),
});
export type PiiDetectOptions = z.infer<typeof PiiDetectOptionsSchema>;

export const PiiSpanSchema = z.object({
  type: PiiTypeSchema,
  /** UTF-16 offsets, like `String.prototype.slice`: `text === input.slice(start, end)`. */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  text: z.string(),
});
export type PiiSpan = z.infer<typeof PiiSpanSchema>;

export const PiiMaskOptionsSchema = PiiDetectOptionsSchema.extend({
  /** Placeholder per type, replacing the defaults of `DEFAULT_PLACEHOLDERS`. */
  placeholders: z.partialRecord(PiiTypeSchema, z.string()).optional(),
  /** Keep a card's last four digits in its placeholder (`[CARD ****4242]`), as receipts do. */
  keepCardLast4: z.boolean().optional(),
});
export type PiiMaskOptions = z.infer<typeof PiiMaskOptionsSchema>;

export const DEFAULT_PLACEHOLDERS: Readonly<Record<PiiType, string>> = {
  url: '[URL]',
  email: '[EMAIL]',
  iban: '[IBAN]',
  credit_card: '[CARD]',
  crypto: '[CRYPTO]',
  us_ssn: '[SSN]',
  ip_address: '[IP]',
  phone: '[PHONE]',
};

/** A detection before overlaps between types are resolved. */
export interface PiiCandidate {
  type: PiiType;
  start: number;
  end: number;
}
