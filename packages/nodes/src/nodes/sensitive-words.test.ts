import { describe, expect, it } from 'vitest';
import { flow, message, runOnce } from '../interpreter/testing.ts';
import { WordListMissing, type WordListService } from '../word-lists.ts';

const check = flow(
  {
    start: { type: 'start' },
    words: { type: 'sensitive-words', data: { lists: ['insults', 'rivals'], saveMatchesAs: 'found', saveCensoredAs: 'clean' } },
    flagged: { type: 'send-message', data: { text: 'Found: {{found}} / {{clean}}' } },
    fine: { type: 'send-message', data: { text: 'All good' } },
  },
  ['start -> words', 'words.found -> flagged', 'words -> fine'],
  [{ name: 'found' }, { name: 'clean' }],
);

/** Lists as plain word sets: enough to prove the node's routing; matching itself is tested in packages/ai. */
const lists: Record<string, string[]> = { insults: ['idiot'], rivals: ['megastore'] };
const wordLists: WordListService = {
  check: async (text, ids) => {
    const missing = ids.filter((id) => !lists[id]);
    if (missing.length > 0) throw new WordListMissing(missing);
    const matches = ids.flatMap((id) =>
      lists[id]!.flatMap((word) => {
        const start = text.toLowerCase().indexOf(word);
        return start < 0 ? [] : [{ text: text.slice(start, start + word.length), entry: word, list: id, start, end: start + word.length }];
      }),
    );
    let censored = text;
    for (const m of matches) censored = censored.slice(0, m.start) + '*'.repeat(m.end - m.start) + censored.slice(m.end);
    return { matches, censored };
  },
};

const sent = async (text: string, service = wordLists) => {
  const result = await runOnce(check, message(text), { wordLists: service });
  return { result, texts: result.effects.flatMap((e) => (e.type === 'send' && e.message.type === 'text' ? [e.message.text] : [])) };
};

describe('check sensitive words', () => {
  it('takes "Found" with the words and the censored text when a list matches', async () => {
    const { texts, result } = await sent('You IDIOT, MegaStore sells it cheaper');
    expect(result.failed).toBeNull();
    expect(texts).toEqual(['Found: ["IDIOT","MegaStore"] / You *****, ********* sells it cheaper']);
  });

  it('takes "Clean" when nothing matches', async () => {
    expect((await sent('Where is my parcel?')).texts).toEqual(['All good']);
  });

  it('fails clearly when a list was deleted', async () => {
    const withoutRivals: WordListService = { check: (text, ids) => wordLists.check(text, ids.map((id) => (id === 'rivals' ? 'gone' : id))) };
    const { result, texts } = await sent('hello', withoutRivals);
    expect(texts).toEqual([]);
    expect(result.failed).toBe('a word list this node checks was deleted: pick the lists again');
  });

  it('needs at least one list, each once', async () => {
    const bad = flow({ start: { type: 'start' }, words: { type: 'sensitive-words', data: { lists: ['a', 'a'] } } }, ['start -> words']);
    expect((await runOnce(bad, message('x'), { wordLists })).failed).toBe('invalid config: lists: a word list is chosen twice');
    const none = flow({ start: { type: 'start' }, words: { type: 'sensitive-words', data: { lists: [] } } }, ['start -> words']);
    expect((await runOnce(none, message('x'), { wordLists })).failed).toBe('invalid config: lists: choose at least one word list');
  });
});
