import { countHashes, featureHashes, isWordFeature, type FeatureOptions } from './features.ts';

/** Rows of sparse vectors in compressed-row form. */
export interface SparseRows {
  readonly rowStart: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float32Array;
}

export interface SparseVector {
  readonly columns: Int32Array;
  readonly values: Float32Array;
}

interface Counted {
  readonly keys: Uint32Array;
  readonly counts: Float32Array;
}

/** The feature hashes seen in training (sorted; position = column) and their inverse document frequencies. */
export class Vectorizer {
  private readonly index: Map<number, number>;

  constructor(
    readonly options: FeatureOptions,
    readonly hashes: Uint32Array,
    readonly idf: Float32Array,
  ) {
    if (hashes.length !== idf.length) throw new Error(`${hashes.length} features but ${idf.length} idf values`);
    this.index = new Map(Array.from(hashes, (h, i) => [h, i]));
  }

  get size(): number {
    return this.hashes.length;
  }

  static fit(texts: readonly string[], options: FeatureOptions): { vectorizer: Vectorizer; rows: SparseRows } {
    const counted = texts.map((t) => countHashes(featureHashes(t, options)));
    const df = new Map<number, number>();
    for (const { keys } of counted) for (const k of keys) df.set(k, (df.get(k) ?? 0) + 1);
    const hashes = Uint32Array.from(df.keys()).sort();
    // Smoothed idf, as if one extra document held every feature: never zero, never infinite.
    const idf = Float32Array.from(hashes, (h) => Math.log((1 + texts.length) / (1 + (df.get(h) ?? 0))) + 1);
    const vectorizer = new Vectorizer(options, hashes, idf);
    return { vectorizer, rows: vectorizer.rowsOf(counted) };
  }

  transform(text: string): SparseVector {
    return this.weigh(countHashes(featureHashes(text, this.options)));
  }

  transformAll(texts: readonly string[]): SparseRows {
    return this.rowsOf(texts.map((t) => countHashes(featureHashes(t, this.options))));
  }

  private rowsOf(counted: readonly Counted[]): SparseRows {
    const vectors = counted.map((c) => this.weigh(c));
    const rowStart = new Int32Array(vectors.length + 1);
    vectors.forEach((v, i) => (rowStart[i + 1] = (rowStart[i] as number) + v.columns.length));
    const total = rowStart[vectors.length] as number;
    const columns = new Int32Array(total);
    const values = new Float32Array(total);
    vectors.forEach((v, i) => {
      columns.set(v.columns, rowStart[i]);
      values.set(v.values, rowStart[i]);
    });
    return { rowStart, columns, values };
  }

  /**
   * Sublinear tf (1 + ln tf) times idf; the word block and the character block are each L2-normalized and
   * mixed by `wordWeight`, so the many character n-grams do not drown the few words. Unknown features drop.
   */
  private weigh({ keys, counts }: Counted): SparseVector {
    const columns: number[] = [];
    const values: number[] = [];
    const isWord: boolean[] = [];
    let wordNorm = 0;
    let charNorm = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as number;
      const column = this.index.get(key);
      if (column === undefined) continue;
      const value = (1 + Math.log(counts[i] as number)) * (this.idf[column] as number);
      const word = isWordFeature(key);
      columns.push(column);
      values.push(value);
      isWord.push(word);
      if (word) wordNorm += value * value;
      else charNorm += value * value;
    }
    const wordWeight = wordNorm > 0 ? this.options.wordWeight : 0;
    const charWeight = charNorm > 0 ? 1 : 0;
    const total = Math.hypot(wordWeight, charWeight) || 1;
    const wordScale = wordNorm > 0 ? wordWeight / Math.sqrt(wordNorm) / total : 0;
    const charScale = charNorm > 0 ? charWeight / Math.sqrt(charNorm) / total : 0;
    return {
      columns: Int32Array.from(columns),
      values: Float32Array.from(values, (v, i) => v * (isWord[i] ? wordScale : charScale)),
    };
  }
}
