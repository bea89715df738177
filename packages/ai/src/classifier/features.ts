import { z } from 'zod';
import { hashStep, mixHash } from './hash.ts';

// Text -> hashed sparse features. N-grams are hashed as they are read (no substring allocation), which keeps
// featurizing a chat message in the tens of microseconds; a 32-bit hash keyed per feature kind makes
// collisions among a few hundred thousand distinct n-grams negligible.

export const featureOptionsSchema = z.object({
  /** Longest word n-gram (1 = words only, 2 = words and adjacent word pairs). */
  wordNgramMax: z.number().int().min(1).max(2),
  /** Character n-grams are taken inside each word padded with a space on each side, so boundaries count. */
  charNgramMin: z.number().int().min(1).max(8),
  charNgramMax: z.number().int().min(1).max(8),
  /** `extra` adds the accent-free spelling of accented words next to the original. */
  accentFolding: z.enum(['none', 'replace', 'extra']),
  /** Every decimal digit becomes 0, so "2 weeks" and "3 weeks" share features. */
  digitsAsZero: z.boolean(),
  /** Punctuation and symbols ("?", "$", "!") count as words. */
  punctuation: z.boolean(),
  /** Word and character features are normalized as two blocks; this is the word block's share. */
  wordWeight: z.number().positive(),
});

export type FeatureOptions = Readonly<z.infer<typeof featureOptionsSchema>>;

export const defaultFeatureOptions: FeatureOptions = {
  wordNgramMax: 2,
  charNgramMin: 2,
  charNgramMax: 5,
  accentFolding: 'extra',
  digitsAsZero: true,
  punctuation: true,
  wordWeight: 1,
};

const WORD_SEED = 0x9e3779b1;
const PAIR_SEED = 0x85ebca77;
const CHAR_SEED = 0xc2b2ae3d;
const SPACE = 0x20;

// Scripts written without spaces between words: each character is a word of its own for word n-grams,
// and the whole run is one "word" for character n-grams.
const UNSPACED = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;
const RUN = /[\p{L}\p{M}\p{N}]+|\p{Extended_Pictographic}/gu;
const RUN_OR_PUNCTUATION = /[\p{L}\p{M}\p{N}]+|\p{Extended_Pictographic}|[\p{P}\p{S}]/gu;

/** Word features have odd hashes, character features even ones, so a hash tells its block. */
export function isWordFeature(hash: number): boolean {
  return (hash & 1) === 1;
}
const asWord = (h: number): number => (h | 1) >>> 0;
const asChar = (h: number): number => (h & ~1) >>> 0;

export function normalizeText(text: string, digitsAsZero: boolean): string {
  const lowered = text.normalize('NFKC').toLowerCase();
  return digitsAsZero ? lowered.replace(/\p{Nd}/gu, '0') : lowered;
}

// Diacritics people leave out when typing fast: Latin/Greek/Cyrillic accents, Arabic and Hebrew vowel
// points, and the Arabic letter variants chat writers use interchangeably. Japanese voicing marks stay:
// が and か are different words.
const COMBINING_ACCENTS = /[\u0300-\u036f\u0591-\u05c7\u064b-\u065f\u0670]/gu;
const ARABIC_VARIANTS: Readonly<Record<string, string>> = {
  'أ': 'ا',
  'إ': 'ا',
  'آ': 'ا',
  'ٱ': 'ا',
  'ة': 'ه',
  'ى': 'ي',
  'ؤ': 'و',
  'ئ': 'ي',
};

export function foldAccents(normalized: string): string {
  return normalized
    .normalize('NFD')
    .replace(COMBINING_ACCENTS, '')
    .normalize('NFC')
    .replace(/[أإآٱةىؤئ]/gu, (c) => ARABIC_VARIANTS[c] ?? c)
    .replace(/ß/gu, 'ss')
    .replace(/\u0640/gu, '');
}

function hashCodePoints(codePoints: readonly number[], from: number, to: number): number {
  let h = WORD_SEED;
  for (let i = from; i < to; i++) h = hashStep(h, codePoints[i] as number);
  return asWord(mixHash(h));
}

function charNgrams(padded: readonly number[], options: FeatureOptions, out: number[]): void {
  const { charNgramMin, charNgramMax } = options;
  for (let i = 0; i < padded.length; i++) {
    let h = CHAR_SEED;
    for (let n = 1; n <= charNgramMax && i + n <= padded.length; n++) {
      h = hashStep(h, padded[i + n - 1] as number);
      // A lone boundary space says nothing.
      if (n >= charNgramMin && !(n === 1 && padded[i] === SPACE)) out.push(asChar(mixHash(h ^ n)));
    }
  }
}

/** Appends the feature hashes of one normalized text to `out`; a repeated n-gram is a repeated hash. */
function collect(normalized: string, options: FeatureOptions, out: number[]): void {
  const words: number[] = [];
  for (const match of normalized.matchAll(options.punctuation ? RUN_OR_PUNCTUATION : RUN)) {
    const run = match[0];
    const codePoints = Array.from(run, (ch) => ch.codePointAt(0) as number);
    if (UNSPACED.test(run)) {
      let start = 0;
      for (let i = 0; i <= codePoints.length; i++) {
        const unspaced = i < codePoints.length && UNSPACED.test(String.fromCodePoint(codePoints[i] as number));
        if (i === codePoints.length || unspaced) {
          if (i > start) words.push(hashCodePoints(codePoints, start, i));
          if (unspaced) words.push(hashCodePoints(codePoints, i, i + 1));
          start = i + 1;
        }
      }
    } else {
      words.push(hashCodePoints(codePoints, 0, codePoints.length));
    }
    charNgrams([SPACE, ...codePoints, SPACE], options, out);
  }
  for (const w of words) out.push(w);
  if (options.wordNgramMax >= 2) {
    for (let i = 0; i + 1 < words.length; i++) {
      out.push(asWord(mixHash(Math.imul((words[i] as number) ^ PAIR_SEED, 0x27d4eb2f) ^ (words[i + 1] as number))));
    }
  }
}

/** The hashed features of a raw text, with repeats (term frequency = number of repeats). */
export function featureHashes(text: string, options: FeatureOptions): number[] {
  const normalized = normalizeText(text, options.digitsAsZero);
  const out: number[] = [];
  switch (options.accentFolding) {
    case 'none':
      collect(normalized, options, out);
      break;
    case 'replace':
      collect(foldAccents(normalized), options, out);
      break;
    case 'extra': {
      collect(normalized, options, out);
      const folded = foldAccents(normalized);
      if (folded !== normalized) {
        // Only the n-grams that folding changed are added, so unaccented words are not counted twice.
        const seen = new Set(out);
        const extra: number[] = [];
        collect(folded, options, extra);
        for (const h of extra) if (!seen.has(h)) out.push(h);
      }
      break;
    }
    default: {
      const never: never = options.accentFolding;
      throw new Error(`unknown accent folding ${String(never)}`);
    }
  }
  return out;
}

/** Sorted distinct hashes with their counts. */
export function countHashes(hashes: readonly number[]): { keys: Uint32Array; counts: Float32Array } {
  const sorted = Uint32Array.from(hashes).sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const keys = new Uint32Array(distinct);
  const counts = new Float32Array(distinct);
  let k = -1;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) keys[++k] = sorted[i] as number;
    counts[k] = (counts[k] as number) + 1;
  }
  return { keys, counts };
}
