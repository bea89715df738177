import { describe, expect, it } from 'vitest';
import { detectPii } from './detect.ts';
import type { PiiDetectOptions } from './types.ts';

const phones = (text: string, options: PiiDetectOptions = {}): string[] =>
  detectPii(text, { ...options, types: ['phone'] }).map((span) => span.text);

describe('phone detection: numbers valid in a numbering plan', () => {
  it('finds valid national numbers of the default country without any context', () => {
    expect(phones("They're not answering at (212) 736-5000 today")).toEqual(['(212) 736-5000']);
    expect(phones('ring 201-555-0123 after 5pm')).toEqual(['201-555-0123']);
  });

  it('finds international numbers of any country', () => {
    expect(phones('London office +44 20 7946 0958, Shanghai +86 138 1234 5678')).toEqual([
      '+44 20 7946 0958',
      '+86 138 1234 5678',
    ]);
  });

  it('reads national numbers in the format of the configured countries', () => {
    expect(phones('06 12 34 56 78 ok')).toEqual([]);
    expect(phones('06 12 34 56 78 ok', { phoneCountries: ['FR'] })).toEqual(['06 12 34 56 78']);
    expect(phones('030 12345678 ok', { defaultCountry: 'DE' })).toEqual(['030 12345678']);
  });
});

describe('phone detection: phone-shaped numbers', () => {
  it('accepts an internationally written number of possible length even if unassigned', () => {
    expect(phones('my cell +1-984-182-0190 mobile')).toEqual(['+1-984-182-0190']);
    expect(phones('reach us: 0041 44 668 18 00')).toEqual(['0041 44 668 18 00']);
  });

  it('accepts local numbers of other countries next to a phone word, before or after', () => {
    expect(phones('Name: Toshimi Arata\nPhone: 0490 75 40 81')).toEqual(['0490 75 40 81']);
    expect(phones('Personal Info:\nPhone:\n467 3395\n\nE-mail:')).toEqual(['467 3395']);
    expect(phones('Can someone call me on 9472 7916?')).toEqual(['9472 7916']);
    expect(phones('416 60 039 office')).toEqual(['416 60 039']);
    expect(phones('Fax: 345-899-3560x4587')).toEqual(['345-899-3560x4587']);
  });

  it('reads phone words in other languages and numbers glued to CJK text', () => {
    expect(phones('llámame al 612 345 678')).toEqual(['612 345 678']);
    expect(phones('Ruf mich an: 030 1234567')).toEqual(['030 1234567']);
    expect(phones('我的手机号是13812345678，谢谢')).toEqual(['13812345678']);
    expect(phones('010-1234-5678로 연락주세요')).toEqual(['010-1234-5678']);
    expect(phones('电话：１３８ １２３４ ５６７８')).toEqual(['１３８ １２３４ ５６７８']);
  });

  it('leaves order, tracking and account numbers alone even when they are valid phone numbers', () => {
    expect(phones('Order 2127365000 has not arrived')).toEqual([]);
    expect(phones('Order #4827193650 has not arrived')).toEqual([]);
    expect(phones('tracking 9400 1000 0000 0000 0000 00')).toEqual([]);
    expect(phones('the invoice 0494 92 82 32 is wrong, please call')).toEqual([]);
  });

  it('leaves amounts, dates, years, house numbers and unlabelled invalid numbers alone', () => {
    expect(phones('I paid 1 250 000 VND, call me')).toEqual([]);
    expect(phones('call me about the delivery on 2023-10-11 or 12.05.2024')).toEqual([]);
    expect(phones('between 1990 and 2023 we sold 1234567 units')).toEqual([]);
    expect(phones('The office is at 17031 2202 Rissik St Apt. 050')).toEqual([]);
    expect(phones('I bought 0494 92 82 32 worth of stuff')).toEqual([]);
  });
});
