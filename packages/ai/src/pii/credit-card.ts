import { WORD_CHAR } from './boundaries.ts';
import type { PiiCandidate } from './types.ts';

interface CardScheme {
  name: string;
  /** Inclusive IIN ranges, compared on the number's first `String(from).length` digits. */
  prefixes: ReadonlyArray<readonly [from: number, to: number]>;
  lengths: readonly number[];
}

// Issuer identification ranges of the schemes a cross-border shop sees (ISO/IEC 7812 IINs as
// published by the schemes; Wikipedia's "Payment card number" table is the usual summary).
// Legacy JCB (1800, 2131, 15 digits) still appears in test data and old cards.
const CARD_SCHEMES: readonly CardScheme[] = [
  { name: 'visa', prefixes: [[4, 4]], lengths: [13, 16, 19] },
  { name: 'mastercard', prefixes: [[51, 55], [2221, 2720]], lengths: [16] },
  { name: 'amex', prefixes: [[34, 34], [37, 37]], lengths: [15] },
  { name: 'discover', prefixes: [[6011, 6011], [644, 649], [65, 65], [622126, 622925]], lengths: [16, 17, 18, 19] },
  { name: 'diners', prefixes: [[300, 305], [3095, 3095], [36, 36], [38, 39]], lengths: [14, 15, 16, 17, 18, 19] },
  { name: 'jcb', prefixes: [[3528, 3589]], lengths: [16, 17, 18, 19] },
  { name: 'jcb-legacy', prefixes: [[1800, 1800], [2131, 2131]], lengths: [15] },
  { name: 'unionpay', prefixes: [[62, 62], [81, 81]], lengths: [16, 17, 18, 19] },
  { name: 'maestro', prefixes: [[50, 50], [56, 69]], lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { name: 'mir', prefixes: [[2200, 2204]], lengths: [16, 17, 18, 19] },
  { name: 'rupay', prefixes: [[60, 60], [65, 65], [81, 82], [508, 508], [353, 353], [356, 356]], lengths: [16] },
  { name: 'troy', prefixes: [[9792, 9792]], lengths: [16] },
];

export function cardScheme(digits: string): string | undefined {
  for (const scheme of CARD_SCHEMES) {
    if (!scheme.lengths.includes(digits.length)) continue;
    for (const [from, to] of scheme.prefixes) {
      const prefix = Number(digits.slice(0, String(from).length));
      if (prefix >= from && prefix <= to) return scheme.name;
    }
  }
  return undefined;
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function isCardNumber(digits: string): boolean {
  return /^\d{12,19}$/u.test(digits) && passesLuhn(digits) && cardScheme(digits) !== undefined;
}

// Cards are printed in at most five groups (4-4-4-4-3); eight leaves room for odd typing
// while keeping a long run of single digits from being tried every which way.
const MAX_CARD_GROUPS = 8;

// Digit groups joined by single spaces or dashes, touching no other letter or digit.
const CARD_CANDIDATE = new RegExp(`(?<!${WORD_CHAR}|[.,-])\\d+(?:[ -]\\d+)*(?!${WORD_CHAR}|[.,]\\d)`, 'gu');

/**
 * A run of groups may hold more than a card ("4111 1111 1111 1111 12/25" is a card followed
 * by an expiry month), so every contiguous run of whole groups is tried, longest first.
 */
export function findCreditCards(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  for (const match of text.matchAll(CARD_CANDIDATE)) {
    const groups = [...match[0].matchAll(/\d+/gu)].map((group) => ({
      start: match.index + group.index,
      digits: group[0],
    }));
    let first = 0;
    while (first < groups.length) {
      const card = longestCardFrom(groups, first);
      if (card === undefined) {
        first += 1;
        continue;
      }
      found.push({ type: 'credit_card', start: card.start, end: card.end });
      first = card.nextGroup;
    }
  }
  return found;
}

function longestCardFrom(
  groups: ReadonlyArray<{ start: number; digits: string }>,
  first: number,
): { start: number; end: number; nextGroup: number } | undefined {
  let digits = '';
  let best: { start: number; end: number; nextGroup: number } | undefined;
  for (let last = first; last < groups.length && last - first < MAX_CARD_GROUPS; last += 1) {
    const group = groups[last];
    if (group === undefined) break;
    digits += group.digits;
    if (digits.length > 19) break;
    const start = groups[first]?.start ?? group.start;
    if (digits.length >= 12 && isCardNumber(digits)) {
      best = { start, end: group.start + group.digits.length, nextGroup: last + 1 };
    }
  }
  return best;
}
