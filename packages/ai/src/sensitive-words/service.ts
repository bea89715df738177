import { WordListMissing, type SensitiveWordMatch, type WordListService } from '@signalbox/nodes';
import { compileWordList, coverSpans, findSensitiveWords, type SensitiveWordMatcher } from './matcher.ts';

/** A workspace word list as stored; `revision` changes with every save, so a compiled matcher is reused until then. */
export interface StoredWordList {
  id: string;
  name: string;
  words: readonly string[];
  /** Fold l33t, stretched and spaced-out letters (see canonical.ts). */
  obfuscations: boolean;
  revision: number;
}

/**
 * The sensitive-words node's service over lists `load` reads (the workspace's, by id). Each list is compiled once
 * per revision; a check is one pass of each list's automaton over the text.
 */
export function wordListService(load: (ids: readonly string[]) => Promise<StoredWordList[]>): WordListService {
  const compiled = new Map<string, { revision: number; matcher: SensitiveWordMatcher }>();
  const matcherOf = (list: StoredWordList): SensitiveWordMatcher => {
    const hit = compiled.get(list.id);
    if (hit && hit.revision === list.revision) return hit.matcher;
    const matcher = compileWordList(list.words, { obfuscations: list.obfuscations });
    compiled.set(list.id, { revision: list.revision, matcher });
    return matcher;
  };
  return {
    async check(text, listIds) {
      const lists = await load(listIds);
      const missing = listIds.filter((id) => !lists.some((l) => l.id === id));
      if (missing.length > 0) throw new WordListMissing(missing);
      const matches: SensitiveWordMatch[] = lists.flatMap((list) =>
        findSensitiveWords(matcherOf(list), text).map((span) => ({ text: span.text, entry: span.entry, list: list.name, start: span.start, end: span.end })),
      );
      matches.sort((a, b) => a.start - b.start);
      return { matches, censored: coverSpans(text, matches) };
    },
  };
}
