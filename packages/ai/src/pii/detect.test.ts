import { describe, expect, it } from 'vitest';
import { detectPii, resolveOverlaps } from './detect.ts';
import { PII_TYPES, PiiDetectOptionsSchema } from './types.ts';

describe('detectPii', () => {
  it('returns sorted, non-overlapping spans whose offsets slice the original text', () => {
    const text = '😀 Ünïcödé: mail bob@example.com, card 4111 1111 1111 1111, ip 10.0.0.1 — 👍🏽 call +44 20 7946 0958';
    const spans = detectPii(text);
    expect(spans.map((span) => span.type)).toEqual(['email', 'credit_card', 'ip_address', 'phone']);
    for (const span of spans) expect(text.slice(span.start, span.end)).toBe(span.text);
    for (let i = 1; i < spans.length; i += 1) {
      expect(spans[i]?.start ?? 0).toBeGreaterThanOrEqual(spans[i - 1]?.end ?? Infinity);
    }
  });

  it('keeps the more specific type where two detectors claim the same characters', () => {
    // Phone-shaped and next to "call", but the dashed 3-2-4 form is an SSN.
    expect(detectPii('call me on 460-89-9847').map((span) => span.type)).toEqual(['us_ssn']);
    expect(detectPii('call me on 460-89-9847', { types: ['phone'] }).map((span) => span.type)).toEqual(['phone']);
    // A URL hides the address and the email inside it when URLs are asked for.
    const text = 'open http://admin:bob@example.com@192.168.0.1/panel now';
    expect(detectPii(text, { types: [...PII_TYPES] }).map((span) => span.type)).toEqual(['url']);
  });

  it('restricts detection to the requested types', () => {
    const text = 'bob@example.com 10.0.0.1';
    expect(detectPii(text, { types: ['ip_address'] }).map((span) => span.text)).toEqual(['10.0.0.1']);
    expect(detectPii(text, { types: [] })).toEqual([]);
  });

  it('finds nothing in text without personal data', () => {
    const text = 'Hi! My order #10023 of 2 shirts (size 42, $19.99 each) arrived on 2024-03-05 at 10:30.';
    expect(detectPii(text)).toEqual([]);
  });
});

describe('resolveOverlaps', () => {
  it('prefers the type listed first, then the longer span, then the earlier', () => {
    expect(
      resolveOverlaps([
        { type: 'phone', start: 0, end: 12 },
        { type: 'credit_card', start: 2, end: 18 },
        { type: 'phone', start: 20, end: 25 },
        { type: 'phone', start: 22, end: 30 },
        { type: 'email', start: 40, end: 50 },
        { type: 'email', start: 40, end: 50 },
      ]),
    ).toEqual([
      { type: 'credit_card', start: 2, end: 18 },
      { type: 'phone', start: 22, end: 30 },
      { type: 'email', start: 40, end: 50 },
    ]);
  });
});

describe('PiiDetectOptionsSchema', () => {
  it('names the field at fault for an unknown type or country', () => {
    const types = PiiDetectOptionsSchema.safeParse({ types: ['passport'] });
    expect(types.success).toBe(false);
    expect(types.error?.issues[0]?.path).toEqual(['types', 0]);
    const country = PiiDetectOptionsSchema.safeParse({ defaultCountry: 'XX' });
    expect(country.error?.issues[0]?.path).toEqual(['defaultCountry']);
    expect(PiiDetectOptionsSchema.safeParse({ defaultCountry: 'DE', phoneCountries: ['FR'] }).success).toBe(true);
  });
});
