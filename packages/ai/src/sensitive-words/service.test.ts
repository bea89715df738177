import { describe, expect, it } from 'vitest';
import { WordListMissing } from '@signalbox/nodes';
import { wordListService, type StoredWordList } from './service.ts';

describe('word list service', () => {
  const lists = new Map<string, StoredWordList>([
    ['insults', { id: 'insults', name: 'Insults', words: ['idiot*', 'moron'], obfuscations: true, revision: 1 }],
    ['rivals', { id: 'rivals', name: 'Competitors', words: ['MegaStore', '大商场'], obfuscations: false, revision: 1 }],
  ]);
  let loads = 0;
  const service = wordListService(async (ids) => {
    loads++;
    return ids.flatMap((id) => lists.get(id) ?? []);
  });

  it('finds words of every list, disguised ones too, in text order, and covers them all', async () => {
    const result = await service.check('You 1d10ts! MegaStore sells it cheaper, m o r o n. 大商场更便宜', ['rivals', 'insults']);
    expect(result.matches.map((m) => [m.text, m.entry, m.list])).toEqual([
      ['1d10ts', 'idiot*', 'Insults'],
      ['MegaStore', 'MegaStore', 'Competitors'],
      ['m o r o n', 'moron', 'Insults'],
      ['大商场', '大商场', 'Competitors'],
    ]);
    expect(result.censored).toBe('You ******! ********* sells it cheaper, * * * * *. ***更便宜');
  });

  it('follows a list as it is saved: a new revision is compiled again', async () => {
    expect((await service.check('what a dolt', ['insults'])).matches).toEqual([]);
    lists.set('insults', { id: 'insults', name: 'Insults', words: ['dolt'], obfuscations: true, revision: 2 });
    expect((await service.check('what a dolt', ['insults'])).matches.map((m) => m.text)).toEqual(['dolt']);
    expect(loads).toBeGreaterThan(0);
  });

  it('names the lists that are gone', async () => {
    const error = await service.check('hi', ['insults', 'gone']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WordListMissing);
    expect((error as WordListMissing).listIds).toEqual(['gone']);
  });
});
