import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, fieldsOf, type ApiHarness, type Caller } from './api-testing.ts';
import { failure } from './test-failure.ts';

describe('word lists API', () => {
  let api: ApiHarness;
  const caller = (who: Caller) => api.as(who);
  beforeAll(async () => {
    api = await apiHarness('sbx_web_words');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('keeps a list per workspace, names the field a bad one gets wrong, and refuses a stale save', async () => {
    const editor = await caller('editor');
    expect(fieldsOf(await failure(editor.wordLists.create({ list: { name: ' ', words: [] } })))).toEqual({ name: 'required', words: 'add at least one word' });
    const created = await editor.wordLists.create({ list: { name: 'Rivals', words: ['MegaStore', 'megastore', 'ShopMart'] } });
    expect(created).toMatchObject({ words: ['MegaStore', 'ShopMart'], revision: 1 });
    await editor.wordLists.update({ id: created.id, revision: 1, list: { name: 'Rivals', words: ['MegaStore'] } });
    expect((await failure(editor.wordLists.update({ id: created.id, revision: 1, list: { name: 'Rivals', words: ['lost'] } }))).code).toBe('CONFLICT');
    expect(await (await caller('other')).wordLists.list()).toEqual([]);
    expect((await failure((await caller('other')).wordLists.get({ id: created.id }))).code).toBe('NOT_FOUND');
    expect((await (await caller('viewer')).wordLists.list()).map((l) => [l.name, l.wordCount])).toEqual([['Rivals', 1]]);
    expect((await failure((await caller('viewer')).wordLists.delete({ id: created.id }))).code).toBe('FORBIDDEN');
    expect(await editor.wordLists.delete({ id: created.id })).toEqual({ deleted: true });
  });

  it('tries an unsaved list on a message with the matcher flows use', async () => {
    const viewer = await caller('viewer');
    const tried = await viewer.wordLists.try({ text: 'You I.D.I.O.T', words: ['idiot'], obfuscations: true });
    expect(tried.matches.map((m) => m.entry)).toEqual(['idiot']);
    expect(tried.censored).toBe('You *.*.*.*.*');
    expect((await viewer.wordLists.try({ text: 'You I.D.I.O.T', words: ['idiot'], obfuscations: false })).matches).toEqual([]);
  });
});
