import { describe, expect, it } from 'vitest';
import { createInMemoryTranslationMemory, sourceTextHash, tmKeyId, type TmKey } from './memory.ts';

const key = (text: string, target = 'de'): TmKey => ({ sourceHash: sourceTextHash(text), source: 'en', target, glossaryVersion: 'none' });

describe('in-memory translation memory', () => {
  it('returns only the hits, keyed by tmKeyId', async () => {
    const memory = createInMemoryTranslationMemory();
    await memory.put([{ key: key('hello'), value: { text: 'hallo' }, provider: 'deepl' }]);
    const hits = await memory.get([key('hello'), key('bye'), key('hello', 'fr')]);
    expect([...hits]).toEqual([[tmKeyId(key('hello')), { text: 'hallo' }]]);
  });

  it('hashes the same text the same way whatever its Unicode normalization', () => {
    expect(sourceTextHash('Cafe\u0301')).toBe(sourceTextHash('Café'));
    expect(sourceTextHash('Café ')).not.toBe(sourceTextHash('Café'));
  });

  it('evicts the least recently used entries beyond its bound', async () => {
    const memory = createInMemoryTranslationMemory({ maxEntries: 2 });
    await memory.put([
      { key: key('a'), value: { text: 'A' }, provider: 'p' },
      { key: key('b'), value: { text: 'B' }, provider: 'p' },
    ]);
    await memory.get([key('a')]);
    await memory.put([{ key: key('c'), value: { text: 'C' }, provider: 'p' }]);
    const hits = await memory.get([key('a'), key('b'), key('c')]);
    expect([...hits.values()].map((value) => value.text)).toEqual(['A', 'C']);
    expect(memory.size).toBe(2);
  });
});
