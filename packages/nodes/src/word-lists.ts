/**
 * What the sensitive-words node asks of the workspace's word lists (matching lives in `packages/ai`, the lists in
 * the database; the runner, the editor's preview and the CLI wire them in). Shapes only.
 */

export interface SensitiveWordMatch {
  /** The words as the customer wrote them ("1d10t"). */
  text: string;
  /** The list entry that matched ("idiot*"). */
  entry: string;
  /** The name of the list it is on. */
  list: string;
  /** UTF-16 offsets into the checked text. */
  start: number;
  end: number;
}

export interface SensitiveWordCheck {
  matches: SensitiveWordMatch[];
  /** The text with each match covered by `*`, everything else as it was. */
  censored: string;
}

export interface WordListService {
  /** Checks `text` against the lists by id; throws `WordListMissing` when one is not in the workspace. */
  check(text: string, listIds: readonly string[]): Promise<SensitiveWordCheck>;
}

/** A node names a list that was deleted (or belongs to another workspace). */
export class WordListMissing extends Error {
  constructor(readonly listIds: readonly string[]) {
    super(`${listIds.length === 1 ? 'a word list this node checks was' : `${listIds.length} word lists this node checks were`} deleted: pick the lists again`);
    this.name = 'WordListMissing';
  }
}
