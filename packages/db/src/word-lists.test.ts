import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from './connection.ts';
import { migrate } from './migrate.ts';
import { freshDatabase } from './testing.ts';
import { WordListRepository, WorkspaceWordLists } from './word-lists.ts';

describe('word lists on Postgres', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  let lists: WordListRepository;
  beforeAll(async () => {
    database = await freshDatabase('sbx_words');
    pool = createPool(database.url, 2);
    await migrate(pool);
    await pool.query(`INSERT INTO workspace (id, name) VALUES ('w1', 'One'), ('w2', 'Two')`);
    lists = new WordListRepository(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('stores a list with blank and repeated entries dropped, and lists it with its size', async () => {
    const created = await lists.create('w1', { name: 'Insults', words: ['idiot*', ' ', 'Moron', 'moron ', 'IDIOT*'] });
    if (!created.ok) throw new Error(JSON.stringify(created));
    expect(created.list).toMatchObject({ name: 'Insults', words: ['idiot*', 'Moron'], obfuscations: true, revision: 1 });
    expect(await lists.list('w1')).toEqual([expect.objectContaining({ name: 'Insults', wordCount: 2 })]);
    expect(await lists.list('w2')).toEqual([]);
  });

  it('names the field a bad list gets wrong, and refuses a taken name or a stale save', async () => {
    expect(await lists.create('w1', { name: '', words: [' '], colour: 'red' })).toEqual({
      ok: false,
      reason: 'invalid',
      problems: [
        { field: 'name', message: 'required' },
        { field: 'words', message: 'add at least one word' },
        { field: 'colour', message: 'not a field of a word list' },
      ],
    });
    expect(await lists.create('w1', { name: 'Insults', words: ['x'] })).toEqual({ ok: false, reason: 'invalid', problems: [{ field: 'name', message: 'another word list has this name' }] });
    const [insults] = await lists.list('w1');
    expect(await lists.update('w1', insults!.id, { name: 'Insults', words: ['dolt'] }, 1)).toMatchObject({ ok: true, list: { revision: 2, words: ['dolt'] } });
    expect(await lists.update('w1', insults!.id, { name: 'Insults', words: ['lost'] }, 1)).toMatchObject({ ok: false, reason: 'conflict', current: { words: ['dolt'] } });
    expect(await lists.update('w2', insults!.id, { name: 'Insults', words: ['x'] })).toEqual({ ok: false, reason: 'not_found' });
  });

  it("loads only the workspace's own lists for the runner, cached for a few seconds", async () => {
    const [insults] = await lists.list('w1');
    let now = 0;
    const loader = new WorkspaceWordLists(lists, 5_000, () => now);
    expect(await loader.load('w2', [insults!.id])).toEqual([]);
    expect((await loader.load('w1', [insults!.id, 'gone'])).map((l) => l.words)).toEqual([['dolt']]);
    await lists.update('w1', insults!.id, { name: 'Insults', words: ['oaf'] });
    expect((await loader.load('w1', [insults!.id]))[0]?.words).toEqual(['dolt']);
    now = 5_000;
    expect((await loader.load('w1', [insults!.id]))[0]?.words).toEqual(['oaf']);
    expect(await lists.delete('w1', insults!.id)).toBe(true);
    now = 10_000;
    expect(await loader.load('w1', [insults!.id])).toEqual([]);
  });
});
