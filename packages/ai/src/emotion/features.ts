// Text -> hashed features for the emotion model: words, adjacent word pairs, and character 2-5-grams inside
// each word (which carry "scared", "scary", "terrifying" to the same place), each hashed to 32 bits.
//
// The shipped model file stores these hashes, so this function is part of the file format: any change to what
// it returns must bump EMOTION_MODEL_VERSION and rebuild the model. That is why the emotion model keeps its own
// featurizer instead of sharing the intent classifier's, which is tuned on its own schedule (only the hash
// primitives are shared: they never change).

import { hashStep, mixHash } from '../classifier/hash.ts';

const WORD_SEED = 0x9e3779b1;
const PAIR_SEED = 0x85ebca77;
const CHAR_SEED = 0xc2b2ae3d;
const SPACE = 0x20;
const CHAR_MIN = 2;
const CHAR_MAX = 5;

// Punctuation and symbols are words of their own: "?" leans to surprise, "!!" to joy or anger. Emoji too.
const TOKEN = /[\p{L}\p{M}\p{N}]+|\p{Extended_Pictographic}|[\p{P}\p{S}]/gu;
// Emoji presentation selectors and joiners would otherwise become tokens of their own or split an emoji.
const INVISIBLE = /[\ufe0e\ufe0f\u200d]/gu;

/** Word features have odd hashes, character features even ones, so a hash tells its block. */
export function isWordFeature(hash: number): boolean {
  return (hash & 1) === 1;
}

export function normalizeForEmotion(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(INVISIBLE, '').replace(/\p{Nd}/gu, '0');
}

/** The feature hashes of a text, with repeats (a repeated n-gram is a repeated hash). */
export function featureHashes(text: string): number[] {
  const out: number[] = [];
  const words: number[] = [];
  for (const [token] of normalizeForEmotion(text).matchAll(TOKEN)) {
    const padded = [SPACE];
    let word = WORD_SEED;
    for (const ch of token) {
      const codePoint = ch.codePointAt(0) as number;
      padded.push(codePoint);
      word = hashStep(word, codePoint);
    }
    padded.push(SPACE);
    words.push((mixHash(word) | 1) >>> 0);
    for (let i = 0; i < padded.length; i++) {
      let h = CHAR_SEED;
      for (let n = 1; n <= CHAR_MAX && i + n <= padded.length; n++) {
        h = hashStep(h, padded[i + n - 1] as number);
        if (n >= CHAR_MIN) out.push((mixHash(h ^ n) & ~1) >>> 0);
      }
    }
  }
  for (let i = 0; i < words.length; i++) {
    out.push(words[i] as number);
    if (i + 1 < words.length) out.push((mixHash(Math.imul((words[i] as number) ^ PAIR_SEED, 0x27d4eb2f) ^ (words[i + 1] as number)) | 1) >>> 0);
  }
  return out;
}

export interface CountedFeatures {
  /** Distinct hashes, ascending. */
  readonly keys: Uint32Array;
  readonly counts: Uint16Array;
}

export function countFeatures(text: string): CountedFeatures {
  const sorted = Uint32Array.from(featureHashes(text)).sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const keys = new Uint32Array(distinct);
  const counts = new Uint16Array(distinct);
  let k = -1;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) keys[++k] = sorted[i] as number;
    counts[k] = Math.min(0xffff, (counts[k] as number) + 1);
  }
  return { keys, counts };
}

/** Index of `key` in the ascending `hashes`, or -1. */
export function columnOf(hashes: Uint32Array, key: number): number {
  let lo = 0;
  let hi = hashes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const h = hashes[mid] as number;
    if (h < key) lo = mid + 1;
    else if (h > key) hi = mid - 1;
    else return mid;
  }
  return -1;
}

export interface SparseVector {
  readonly columns: Int32Array;
  readonly values: Float32Array;
}

/**
 * Sublinear tf (1 + ln tf) times idf over the features in the vocabulary; the word block and the character
 * block are each L2-normalized and weigh the same, so a long word's many n-grams do not drown the words.
 */
export function weighFeatures(counted: CountedFeatures, hashes: Uint32Array, idf: ArrayLike<number>): SparseVector {
  const columns: number[] = [];
  const values: number[] = [];
  let wordNorm = 0;
  let charNorm = 0;
  for (let i = 0; i < counted.keys.length; i++) {
    const key = counted.keys[i] as number;
    const column = columnOf(hashes, key);
    if (column < 0) continue;
    const value = (1 + Math.log(counted.counts[i] as number)) * (idf[column] as number);
    columns.push(column);
    values.push(value);
    if (isWordFeature(key)) wordNorm += value * value;
    else charNorm += value * value;
  }
  const blocks = (wordNorm > 0 ? 1 : 0) + (charNorm > 0 ? 1 : 0);
  const wordScale = wordNorm > 0 ? 1 / Math.sqrt(wordNorm * blocks) : 0;
  const charScale = charNorm > 0 ? 1 / Math.sqrt(charNorm * blocks) : 0;
  return {
    columns: Int32Array.from(columns),
    values: Float32Array.from(values, (v, i) => v * (isWordFeature(hashes[columns[i] as number] as number) ? wordScale : charScale)),
  };
}
