/**
 * SentencePiece's unigram segmentation, for a vocabulary of scored pieces: the text (NFKC, whitespace runs as one
 * "▁" before each word) is split into the pieces whose log-probabilities sum highest (Viterbi over code points).
 * A character no piece starts with becomes the unknown id, and a run of them one unknown.
 */
const WORD_START = '\u2581';

interface TrieNode {
  readonly next: Map<string, TrieNode>;
  /** The piece ending here: its id and score; -1 when none does. */
  id: number;
  score: number;
}

const node = (): TrieNode => ({ next: new Map(), id: -1, score: 0 });

export class PieceTokenizer {
  private readonly root = node();
  private readonly unknownScore: number;

  /**
   * `pieces[id]` = [piece, log-probability]; ids below `reserved` (unknown, <s>, </s> …) are never produced from
   * text except `unknownId`.
   */
  constructor(
    pieces: readonly (readonly [string, number])[],
    private readonly options: { readonly reserved: number; readonly unknownId: number },
  ) {
    let lowest = 0;
    for (let id = options.reserved; id < pieces.length; id++) {
      const [piece, score] = pieces[id] as readonly [string, number];
      let at = this.root;
      for (const char of piece) {
        let child = at.next.get(char);
        if (!child) at.next.set(char, (child = node()));
        at = child;
      }
      at.id = id;
      at.score = score;
      lowest = Math.min(lowest, score);
    }
    // As SentencePiece does: an unknown character costs more than any piece.
    this.unknownScore = lowest - 10;
  }

  encode(text: string): number[] {
    const normalized = text.normalize('NFKC').trim().replace(/\s+/gu, ' ');
    if (normalized === '') return [];
    const chars = Array.from(WORD_START + normalized.replaceAll(' ', WORD_START));
    const n = chars.length;
    const best = new Float64Array(n + 1).fill(-Infinity);
    const piece = new Int32Array(n + 1);
    const from = new Int32Array(n + 1);
    best[0] = 0;
    for (let start = 0; start < n; start++) {
      const base = best[start] as number;
      if (base === -Infinity) continue;
      let matched = false;
      let at: TrieNode | undefined = this.root;
      for (let end = start; end < n && at; end++) {
        at = at.next.get(chars[end] as string);
        if (!at || at.id < 0) continue;
        matched ||= end === start;
        const score = base + at.score;
        if (score > (best[end + 1] as number)) {
          best[end + 1] = score;
          piece[end + 1] = at.id;
          from[end + 1] = start;
        }
      }
      if (!matched) {
        const score = base + this.unknownScore;
        if (score > (best[start + 1] as number)) {
          best[start + 1] = score;
          piece[start + 1] = this.options.unknownId;
          from[start + 1] = start;
        }
      }
    }
    const ids: number[] = [];
    for (let end = n; end > 0; end = from[end] as number) {
      const id = piece[end] as number;
      if (!(id === this.options.unknownId && ids[ids.length - 1] === id)) ids.push(id);
    }
    return ids.reverse();
  }
}
