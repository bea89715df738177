import { describe, expect, it } from 'vitest';
import { intentsFromPhrases, parseIntentCsv } from './csv.ts';

describe('parseIntentCsv', () => {
  it('reads text and intent columns with quoted commas, quotes and line breaks', () => {
    const csv = 'id,text,intent\n1,"Hello, is this in stock?",presale\n2,"She said ""where"" is it",order_status\n3,"two\nlines",order_status\n';
    const result = parseIntentCsv(csv);
    expect(result).toEqual({
      ok: true,
      phrases: [
        { text: 'Hello, is this in stock?', intent: 'presale' },
        { text: 'She said "where" is it', intent: 'order_status' },
        { text: 'two\nlines', intent: 'order_status' },
      ],
    });
  });

  it('accepts a category column (Banking77 style), a byte order mark and CRLF line ends', () => {
    const result = parseIntentCsv('\ufefftext,category\r\nI lost my card,lost_card\r\n');
    expect(result).toEqual({ ok: true, phrases: [{ text: 'I lost my card', intent: 'lost_card' }] });
  });

  it('names the row and column of every empty cell', () => {
    const result = parseIntentCsv('text,intent\nfine,a\n,b\n"c",\n');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map(({ row, column }) => ({ row, column }))).toEqual([
        { row: 3, column: 'text' },
        { row: 4, column: 'intent' },
      ]);
      expect(result.errors[0]?.message).toMatch(/row 3.*text/);
    }
  });

  it('names the missing header columns', () => {
    const result = parseIntentCsv('utterance,label\nhi,greet\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.column)).toEqual(['text', 'intent']);
  });

  it('reports an unclosed quote with its line instead of throwing', () => {
    const result = parseIntentCsv('text,intent\nok,a\n"never closed,b\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.row).toBe(3);
  });

  it('rejects an empty file and a header without rows', () => {
    expect(parseIntentCsv('').ok).toBe(false);
    expect(parseIntentCsv('text,intent\n').ok).toBe(false);
  });
});

describe('intentsFromPhrases', () => {
  it('groups phrases by intent in order of first appearance', () => {
    expect(
      intentsFromPhrases([
        { text: 'a', intent: 'x' },
        { text: 'b', intent: 'y' },
        { text: 'c', intent: 'x' },
      ]),
    ).toEqual([
      { name: 'x', phrases: ['a', 'c'] },
      { name: 'y', phrases: ['b'] },
    ]);
  });
});
