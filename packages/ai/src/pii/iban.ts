import { countrySpecs, isValidIBAN } from 'ibantools';
import { WORD_CHAR } from './boundaries.ts';
import type { PiiCandidate } from './types.ts';

// Country code and check digits, then alphanumerics in any grouping of single spaces
// (the printed form "DE89 3704 0044 0532 0130 00") or none (the electronic form).
const IBAN_START = new RegExp(`(?<!${WORD_CHAR})[a-z]{2}\\d{2}(?=[ \\u00a0]?[a-z0-9])`, 'giu');

const WORD_CHAR_AT_START = new RegExp(`^${WORD_CHAR}`, 'u');

/**
 * Case is ignored because customers type IBANs in lowercase; the country's fixed length,
 * its BBAN format and the ISO 7064 mod-97 check (all from ibantools) keep this precise.
 */
export function findIbans(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  for (const match of text.matchAll(IBAN_START)) {
    const country = match[0].slice(0, 2).toUpperCase();
    const length = countrySpecs[country]?.chars;
    if (length === undefined) continue;
    const end = endOfIban(text, match.index, length);
    if (end === undefined) continue;
    const electronic = text.slice(match.index, end).replace(/[ \u00a0]/gu, '').toUpperCase();
    if (isValidIBAN(electronic)) found.push({ type: 'iban', start: match.index, end });
  }
  return found;
}

/** Where `length` alphanumerics end, if they are joined by single spaces and then stop. */
function endOfIban(text: string, start: number, length: number): number | undefined {
  let count = 0;
  let index = start;
  while (count < length) {
    const char = text[index];
    if (char === undefined) return undefined;
    if (/[a-z0-9]/iu.test(char)) {
      count += 1;
      index += 1;
    } else if ((char === ' ' || char === '\u00a0') && /[a-z0-9]/iu.test(text[index + 1] ?? '') && count >= 4) {
      index += 1;
    } else {
      return undefined;
    }
  }
  return WORD_CHAR_AT_START.test(text.slice(index, index + 2)) ? undefined : index;
}
