import {
  findPhoneNumbersInText,
  getCountryCallingCode,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/max';
import { WORD_CHAR } from './boundaries.ts';
import { phoneContext } from './phone-context.ts';
import type { PiiCandidate } from './types.ts';

export interface PhoneOptions {
  defaultCountry: CountryCode;
  phoneCountries: readonly CountryCode[];
}

const SPACE = '[ \\u00a0]';
// Digit groups joined by exactly one separator (a space, a dash, a dot or a slash, or a
// parenthesised area code / trunk "(0)"), so the pattern cannot backtrack exponentially.
const SEPARATOR = `(?:${SPACE}?[-.–/]${SPACE}?|${SPACE}?\\(\\d{1,5}\\)${SPACE}?|${SPACE})`;
const EXTENSION = `(?:${SPACE}?(?:x|ext\\.?|extn\\.?|#)${SPACE}?\\d{1,6})`;
const PHONE_CANDIDATE = new RegExp(
  `(?<!${WORD_CHAR}|[@+.\\-/])(?:\\+${SPACE}?)?(?:\\(\\d{1,5}\\)${SPACE}?)?\\d+(?:${SEPARATOR}\\d+)*(${EXTENSION})?(?!${WORD_CHAR}|[.\\-/–]\\d)`,
  'gu',
);
// Year-month-day or day-month-year (either order of day and month), alone or starting a
// timestamp ("2015-12-22 04:12:33"), and an hour before minutes.
const DATE_SHAPE = /^(?:\d{4}([./-])\d{1,2}\1\d{1,2}|\d{1,2}([./-])\d{1,2}\2(?:\d{2}|\d{4}))$/u;
const DATE_START = /^(?:\d{4}([./-])\d{1,2}\1\d{1,2}|\d{1,2}([./-])\d{1,2}\2\d{4})[ T]/u;
const TIME_AFTER = /^[:h]\d\d/u;
const IPV4_SHAPE = /^\d{1,3}(?:\.\d{1,3}){3}$/u;
// E.164 numbers have at most 15 digits; 7 is the shortest subscriber number in common use.
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

// Longer runs are tables or IDs, never a few phone numbers in a row; reading them would also
// let one pasted blob of digits cost the matcher seconds.
const MAX_RUN_DIGITS = 48;

/**
 * A run of phone-shaped digit groups is a phone number in one of two ways:
 * - libphonenumber-js finds in it a number valid in the numbering plan of the default country
 *   (or of `phoneCountries`), or one written internationally and valid where it points;
 * - otherwise the whole run (7-15 digits) counts when it is written internationally (`+`, `00`,
 *   `011`) with a possible length for its calling code, or when a phone word stands next to it
 *   ("Phone:", "call me on", "… (mobile)"), valid or not: a mistyped or foreign local number is
 *   personal data all the same.
 * Either way, a number next to an "order"/"invoice"/"tracking" word or a currency is left alone.
 */
export function findPhones(text: string, options: PhoneOptions): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  const countries = [...new Set([options.defaultCountry, ...options.phoneCountries])];
  for (const match of text.matchAll(PHONE_CANDIDATE)) {
    const run = match[0];
    const start = match.index;
    const end = start + run.length;
    const digitCount = run.replace(/\D/gu, '').length;
    if (digitCount < MIN_DIGITS || digitCount > MAX_RUN_DIGITS) continue;
    if (DATE_START.test(run) || TIME_AFTER.test(text.slice(end, end + 3))) continue;

    const valid = validNumbersIn(run, countries)
      .map((hit) => ({ type: 'phone' as const, start: start + hit.start, end: start + hit.end }))
      .filter((hit) => phoneContext(text, hit.start, hit.end) !== 'other');
    if (valid.length > 0) {
      found.push(...valid);
      continue;
    }

    const main = run.slice(0, run.length - (match[1]?.length ?? 0));
    const digits = main.replace(/\D/gu, '');
    if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) continue;
    if (DATE_SHAPE.test(main) || IPV4_SHAPE.test(main)) continue;
    const context = phoneContext(text, start, end);
    if (context === 'other') continue;
    if (context === 'phone' || isPossibleInternational(main, digits, options.defaultCountry)) {
      found.push({ type: 'phone', start, end });
    }
  }
  return found;
}

/** Numbers libphonenumber-js finds valid in a run, the first country's reading first. */
function validNumbersIn(run: string, countries: readonly CountryCode[]): Array<{ start: number; end: number }> {
  const hits: Array<{ start: number; end: number }> = [];
  for (const country of countries) {
    for (const hit of findPhoneNumbersInText(run, { defaultCountry: country })) {
      if (hits.some((other) => other.start < hit.endsAt && hit.startsAt < other.end)) continue;
      hits.push({ start: hit.startsAt, end: hit.endsAt });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

function isPossibleInternational(main: string, digits: string, defaultCountry: CountryCode): boolean {
  // libphonenumber-js reads "+46 (0)8 …" itself, dropping the national trunk prefix.
  if (main.startsWith('+')) return parsePhoneNumberFromString(main)?.isPossible() ?? false;
  let international: string | undefined;
  if (/^00[1-9]/u.test(digits)) international = digits.slice(2);
  else if (digits.startsWith('011') && getCountryCallingCode(defaultCountry) === '1') {
    international = digits.slice(3);
  }
  if (international === undefined) return false;
  return parsePhoneNumberFromString(`+${international}`)?.isPossible() ?? false;
}
