import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from './connection.ts';
import { migrate } from './migrate.ts';
import { freshDatabase } from './testing.ts';
import { TranslationMemoryStore } from './translation-memory.ts';

const key = (sourceHash: string, target = 'es', glossaryVersion = 'g1') => ({ sourceHash, source: 'en', target, glossaryVersion });

describe('translation memory table', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  beforeAll(async () => {
    database = await freshDatabase('sbx_tm');
    pool = createPool(database.url);
    await migrate(pool);
    await pool.query(`INSERT INTO workspace (id, name) VALUES ('w1', 'One'), ('w2', 'Two')`);
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('returns only the stored keys of a batch, by key, and counts each hit', async () => {
    const memory = new TranslationMemoryStore(pool, 'w1');
    await memory.put([
      { key: key('h1'), value: { text: 'Hola' }, provider: 'deepl' },
      { key: key('h2', 'de'), value: { text: 'Hallo', detectedSource: 'en' }, provider: 'deepl' },
    ]);
    const found = await memory.get([key('h1'), key('h2', 'de'), key('h3'), key('h1', 'fr')]);
    expect(found).toEqual(
      new Map([
        ['g1|en|es|h1', { text: 'Hola' }],
        ['g1|en|de|h2', { text: 'Hallo', detectedSource: 'en' }],
      ]),
    );
    await memory.get([key('h1')]);
    const { rows } = await pool.query<{ hits: number }>(`SELECT hits FROM translation_memory WHERE source_hash = 'h1'`);
    expect(rows).toEqual([{ hits: 2 }]);
  });

  it('keeps workspaces and glossary versions apart, and replaces a key stored again', async () => {
    await new TranslationMemoryStore(pool, 'w1').put([{ key: key('x'), value: { text: 'uno' }, provider: 'libretranslate' }]);
    expect((await new TranslationMemoryStore(pool, 'w2').get([key('x')])).size).toBe(0);
    expect((await new TranslationMemoryStore(pool, 'w1').get([key('x', 'es', 'g2')])).size).toBe(0);
    await new TranslationMemoryStore(pool, 'w1').put([
      { key: key('x'), value: { text: 'dos' }, provider: 'deepl' },
      { key: key('x'), value: { text: 'tres' }, provider: 'deepl' },
    ]);
    expect((await new TranslationMemoryStore(pool, 'w1').get([key('x')])).get('g1|en|es|x')).toEqual({ text: 'tres' });
  });
});
