import { describe, expect, it } from 'vitest';
import { detectPii } from './detect.ts';

const ibans = (text: string): string[] => detectPii(text, { types: ['iban'] }).map((span) => span.text);

describe('IBAN detection', () => {
  it('finds IBANs in printed and electronic form, in any case', () => {
    expect(ibans('IBAN DE89 3704 0044 0532 0130 00 please')).toEqual(['DE89 3704 0044 0532 0130 00']);
    expect(ibans('my iban is gb29nwbk60161331926819')).toEqual(['gb29nwbk60161331926819']);
    expect(ibans('FR1420041010050500013M02606.')).toEqual(['FR1420041010050500013M02606']);
  });

  it('rejects a wrong check digit, a wrong length for the country and unknown countries', () => {
    expect(ibans('DE89 3704 0044 0532 0130 01')).toEqual([]);
    expect(ibans('DE89 3704 0044 0532 0130 0')).toEqual([]);
    expect(ibans('XX89370400440532013000')).toEqual([]);
  });

  it('does not take an IBAN out of a longer token', () => {
    expect(ibans('DE89370400440532013000X')).toEqual([]);
    expect(ibans('ADE89370400440532013000')).toEqual([]);
  });
});
