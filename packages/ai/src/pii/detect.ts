import type { CountryCode } from 'libphonenumber-js/max';
import { foldFullwidth } from './boundaries.ts';
import { findCreditCards } from './credit-card.ts';
import { findCryptoAddresses } from './crypto.ts';
import { findEmails } from './email.ts';
import { findIbans } from './iban.ts';
import { findIpAddresses } from './ip-address.ts';
import { findPhones } from './phone.ts';
import {
  DEFAULT_PII_TYPES,
  PII_TYPES,
  type PiiCandidate,
  type PiiDetectOptions,
  type PiiSpan,
  type PiiType,
} from './types.ts';
import { findUrls } from './url.ts';
import { findUsSsns } from './us-ssn.ts';

const DEFAULT_COUNTRY: CountryCode = 'US';

function findOfType(type: PiiType, text: string, options: PiiDetectOptions): PiiCandidate[] {
  switch (type) {
    case 'url':
      return findUrls(text);
    case 'email':
      return findEmails(text);
    case 'iban':
      return findIbans(text);
    case 'credit_card':
      return findCreditCards(text);
    case 'crypto':
      return findCryptoAddresses(text);
    case 'us_ssn':
      return findUsSsns(text);
    case 'ip_address':
      return findIpAddresses(text);
    case 'phone':
      return findPhones(text, {
        defaultCountry: options.defaultCountry ?? DEFAULT_COUNTRY,
        phoneCountries: options.phoneCountries ?? [],
      });
    default: {
      const unknown: never = type;
      throw new Error(`unknown PII type ${String(unknown)}`);
    }
  }
}

/**
 * Keeps the candidate of the type listed first in `PII_TYPES` when candidates overlap (a card
 * number beats the phone number its digits also resemble), then the longer, then the earlier.
 */
export function resolveOverlaps(candidates: readonly PiiCandidate[]): PiiCandidate[] {
  const ranked = [...candidates].sort(
    (a, b) =>
      PII_TYPES.indexOf(a.type) - PII_TYPES.indexOf(b.type) ||
      b.end - b.start - (a.end - a.start) ||
      a.start - b.start,
  );
  const kept: PiiCandidate[] = [];
  for (const candidate of ranked) {
    if (candidate.end <= candidate.start) continue;
    if (kept.some((span) => span.start < candidate.end && candidate.start < span.end)) continue;
    kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Finds personal data in `text`. Spans are sorted, never overlap, and use UTF-16 offsets, so
 * `span.text === text.slice(span.start, span.end)`.
 */
export function detectPii(text: string, options: PiiDetectOptions = {}): PiiSpan[] {
  const types = options.types ?? DEFAULT_PII_TYPES;
  // CJK input methods type fullwidth digits and "@" ("１３８…", "ｂｏｂ＠…"); folding them keeps offsets.
  const folded = foldFullwidth(text);
  const candidates = [...new Set(types)].flatMap((type) => findOfType(type, folded, options));
  return resolveOverlaps(candidates).map((span) => ({ ...span, text: text.slice(span.start, span.end) }));
}
