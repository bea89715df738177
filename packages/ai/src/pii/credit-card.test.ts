import { describe, expect, it } from 'vitest';
import { cardScheme, passesLuhn } from './credit-card.ts';
import { detectPii } from './detect.ts';

const cards = (text: string): string[] => detectPii(text, { types: ['credit_card'] }).map((span) => span.text);

describe('card number detection', () => {
  it('finds numbers of the major schemes written plain, in groups of four, or with dashes', () => {
    expect(cards('Visa 4111111111111111, Amex 3782 822463 10005, MC 5555-5555-5555-4444')).toEqual([
      '4111111111111111',
      '3782 822463 10005',
      '5555-5555-5555-4444',
    ]);
    expect(cards('UnionPay 6212345678901265 and Maestro 6759649826438453')).toEqual([
      '6212345678901265',
      '6759649826438453',
    ]);
  });

  it('rejects a number one digit off (Luhn) and numbers of no scheme', () => {
    expect(cards('card 4111 1111 1111 1112')).toEqual([]);
    expect(passesLuhn('4111111111111112')).toBe(false);
    // Luhn-valid, but no issuer uses 3598 (JCB ends at 3589) or 16-digit numbers starting with 7.
    expect(passesLuhn('3598899323053410')).toBe(true);
    expect(cardScheme('3598899323053410')).toBeUndefined();
    expect(cards('7000000000000007')).toEqual([]);
  });

  it('separates the card from an expiry date or another number written after it', () => {
    expect(cards('card 4111 1111 1111 1111 12/25')).toEqual(['4111 1111 1111 1111']);
    expect(cards('card 4111 1111 1111 1111 2027')).toEqual(['4111 1111 1111 1111']);
  });

  it('does not cut a card out of a longer number or word', () => {
    expect(cards('ref 94111111111111111')).toEqual([]);
    expect(cards('id A4111111111111111')).toEqual([]);
    expect(cards('amount 4111111111111111.50')).toEqual([]);
  });
});
