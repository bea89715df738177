// Shared pieces of the intent experiments (NB-SVM features, vocabulary-coverage certainty). Rebuilds the
// shipped model from its parts (same vectorizer, softmax SGD, one-vs-rest SVMs, defaults as in classifier.ts)
// so that the parts' scores can be kept apart and mixed with new members without retraining.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultFeatureOptions, featureHashes, isWordFeature } from '../../src/classifier/features.ts';
import { scoreSparse, trainSoftmax, type LinearWeights } from '../../src/classifier/softmax.ts';
import { seededRandom, shuffleInPlace } from '../../src/classifier/random.ts';
import { trainSvm } from '../../src/classifier/svm.ts';
import { Vectorizer, type SparseRows } from '../../src/classifier/vectorizer.ts';
import { parseIntentCsv } from '../../src/intents/csv.ts';
import { DATASETS } from '../datasets.ts';

export interface Example {
  readonly text: string;
  readonly label: string;
}

export async function readBanking77(): Promise<Example[]> {
  const parsed = parseIntentCsv(await readFile(join(DATASETS, 'intents/banking77/train.csv'), 'utf8'));
  if (!parsed.ok) throw new Error('banking77 parse');
  return parsed.phrases.map((p) => ({ text: p.text, label: p.intent }));
}

export async function readClinc(file: 'train.json' | 'val.json'): Promise<Record<string, [string, string][]>> {
  return JSON.parse(await readFile(join(DATASETS, 'intents/clinc150', file), 'utf8')) as Record<string, [string, string][]>;
}

/** Same as eval/intents.ts stratifiedFolds (copied so the experiments do not load the eval module). */
export function stratifiedFolds(labels: readonly string[], folds: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, i) => byLabel.set(label, [...(byLabel.get(label) ?? []), i]));
  const fold = new Int32Array(labels.length);
  let offset = 0;
  for (const indices of byLabel.values()) {
    shuffleInPlace(indices, random);
    indices.forEach((index, k) => (fold[index] = (k + offset) % folds));
    offset += indices.length;
  }
  return fold;
}

// Defaults of classifier.ts.
export const TEMPERATURE = 2;
export const SVM_WEIGHT = 3;
const epochsFor = (n: number): number => Math.min(60, Math.max(10, Math.ceil(60_000 / Math.max(1, n))));

export interface Base {
  readonly labels: string[];
  readonly vectorizer: Vectorizer;
  readonly rows: SparseRows;
  readonly classOf: Int32Array;
  readonly softmax: LinearWeights;
  readonly svm: LinearWeights;
}

export function trainBase(examples: readonly Example[]): Base {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const { vectorizer, rows } = Vectorizer.fit(
    examples.map((e) => e.text),
    defaultFeatureOptions,
  );
  const classOf = Int32Array.from(examples, (e) => labelIndex.get(e.label) as number);
  const softmax = trainSoftmax(rows, classOf, labels.length, vectorizer.size, { epochs: epochsFor(examples.length), learningRate: 2, l2: 3e-6, seed: 1 });
  const svm = trainSvm(rows, classOf, labels.length, vectorizer.size, { c: 1, passes: 5, seed: 1 });
  return { labels, vectorizer, rows, classOf, softmax, svm };
}

/** Scores of every row (row-major, n × classes). */
export function scoreRows(model: LinearWeights, rows: SparseRows): Float64Array {
  const n = rows.rowStart.length - 1;
  const out = new Float64Array(n * model.classes);
  const tmp = new Float64Array(model.classes);
  for (let i = 0; i < n; i++) {
    scoreSparse(model, rows.columns, rows.values, rows.rowStart[i] as number, rows.rowStart[i + 1] as number, tmp);
    out.set(tmp, i * model.classes);
  }
  return out;
}

/** The same rows with every stored value replaced by 1 (binarized, unnormalized: Wang & Manning's x̂). */
export function binarize(rows: SparseRows): SparseRows {
  return { rowStart: rows.rowStart, columns: rows.columns, values: new Float32Array(rows.values.length).fill(1) };
}

/** Binarized, then L2-normalized per row. */
export function binarizeNormalized(rows: SparseRows): SparseRows {
  const values = new Float32Array(rows.values.length);
  for (let i = 0; i + 1 < rows.rowStart.length; i++) {
    const from = rows.rowStart[i] as number;
    const to = rows.rowStart[i + 1] as number;
    const v = to > from ? 1 / Math.sqrt(to - from) : 0;
    values.fill(v, from, to);
  }
  return { rowStart: rows.rowStart, columns: rows.columns, values };
}

export interface NbSvmOptions {
  /** Rows whose sums give the log-count ratios r (binarized or tf-idf). */
  readonly ratioRows: SparseRows;
  /** Rows the SVMs are trained on (elementwise times r). */
  readonly trainRows: SparseRows;
  readonly alpha: number;
  readonly c: number;
  /** One folded model per β. */
  readonly betas: readonly number[];
  readonly passes: number;
  readonly seed: number;
}

/**
 * NB-SVM (Wang & Manning 2012): per one-vs-rest class c, r_c = log((p/|p|₁)/(q/|q|₁)), p = α + Σ x of class c,
 * q = α + Σ x of the others; a squared-hinge SVM (dual CD, as svm.ts) on x ⊙ r_c; w' = (1-β)·mean|w| + β·w.
 * Returned folded into one linear model of x: weights[f, c] = w'_c[f] · r_c[f], so it scores like the others.
 */
export function trainNbSvm(classOf: Int32Array, classes: number, features: number, options: NbSvmOptions): LinearWeights[] {
  const { ratioRows, trainRows, alpha, betas } = options;
  const n = classOf.length;
  const total = new Float64Array(features);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < n; i++) {
    byClass[classOf[i] as number]?.push(i);
    for (let k = ratioRows.rowStart[i] as number; k < (ratioRows.rowStart[i + 1] as number); k++) {
      const f = ratioRows.columns[k] as number;
      total[f] = (total[f] as number) + (ratioRows.values[k] as number);
    }
  }
  let totalSum = 0;
  for (const v of total) totalSum += v;
  const { rowStart, columns, values } = trainRows;
  const diagonal = 1 / (2 * options.c);
  const models = betas.map(() => ({ classes, features, weights: new Float32Array(features * classes), bias: new Float32Array(classes) }));
  const p = new Float64Array(features);
  const r = new Float64Array(features);
  const w = new Float64Array(features);
  const scaled = new Float64Array(values.length);
  const squaredNorm = new Float64Array(n);
  const alphaDual = new Float64Array(n);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(options.seed);
  for (let c = 0; c < classes; c++) {
    p.fill(0);
    let pSum = 0;
    for (const i of byClass[c] ?? []) {
      for (let k = ratioRows.rowStart[i] as number; k < (ratioRows.rowStart[i + 1] as number); k++) {
        const f = ratioRows.columns[k] as number;
        p[f] = (p[f] as number) + (ratioRows.values[k] as number);
        pSum += ratioRows.values[k] as number;
      }
    }
    const pNorm = pSum + alpha * features;
    const qNorm = totalSum - pSum + alpha * features;
    for (let f = 0; f < features; f++) {
      const pf = alpha + (p[f] as number);
      const qf = alpha + (total[f] as number) - (p[f] as number);
      r[f] = Math.log(pf / pNorm / (qf / qNorm));
    }
    for (let i = 0; i < n; i++) {
      let s = 1;
      for (let k = rowStart[i] as number; k < (rowStart[i + 1] as number); k++) {
        const v = (values[k] as number) * (r[columns[k] as number] as number);
        scaled[k] = v;
        s += v * v;
      }
      squaredNorm[i] = s + diagonal;
    }
    w.fill(0);
    alphaDual.fill(0);
    let b = 0;
    for (let pass = 0; pass < options.passes; pass++) {
      shuffleInPlace(order, random);
      let largestStep = 0;
      for (const i of order) {
        const from = rowStart[i] as number;
        const to = rowStart[i + 1] as number;
        const y = classOf[i] === c ? 1 : -1;
        let score = b;
        for (let k = from; k < to; k++) score += (w[columns[k] as number] as number) * (scaled[k] as number);
        const a = alphaDual[i] as number;
        const g = y * score - 1 + diagonal * a;
        if (a === 0 && g >= 0) continue;
        const next = Math.max(0, a - g / (squaredNorm[i] as number));
        const delta = (next - a) * y;
        if (delta === 0) continue;
        alphaDual[i] = next;
        b += delta;
        for (let k = from; k < to; k++) w[columns[k] as number] = (w[columns[k] as number] as number) + delta * (scaled[k] as number);
        largestStep = Math.max(largestStep, Math.abs(next - a));
      }
      if (largestStep < 1e-3) break;
    }
    let meanAbs = 0;
    for (let f = 0; f < features; f++) meanAbs += Math.abs(w[f] as number);
    meanAbs /= features;
    betas.forEach((beta, m) => {
      const model = models[m] as LinearWeights;
      for (let f = 0; f < features; f++) model.weights[f * classes + c] = ((1 - beta) * meanAbs + beta * (w[f] as number)) * (r[f] as number);
      model.bias[c] = b;
    });
  }
  return models;
}

/** Σ_k weight_k · scores_k, all n × classes. */
export function mix(parts: readonly (readonly [number, Float64Array])[]): Float64Array {
  const out = new Float64Array((parts[0] as readonly [number, Float64Array])[1].length);
  for (const [weight, s] of parts) if (weight !== 0) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + weight * (s[i] as number);
  return out;
}

/** Best class and its softmax probability at the given temperature, per row. */
export function decide(scores: Float64Array, classes: number, temperature: number): { best: Int32Array; probability: Float64Array } {
  const n = scores.length / classes;
  const best = new Int32Array(n);
  const probability = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    let arg = 0;
    for (let c = 0; c < classes; c++) {
      const s = scores[i * classes + c] as number;
      if (s > max) {
        max = s;
        arg = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(((scores[i * classes + c] as number) - max) / temperature);
    best[i] = arg;
    probability[i] = 1 / sum;
  }
  return { best, probability };
}

export function accuracy(best: Int32Array, gold: Int32Array): number {
  let right = 0;
  for (let i = 0; i < gold.length; i++) if (best[i] === gold[i]) right++;
  return right / gold.length;
}

// ---- vocabulary coverage -------------------------------------------------------------------------------

const WORD = /[\p{L}\p{M}\p{N}]+|\p{Extended_Pictographic}/gu;

/**
 * Coverage measures of one message against the training features the vectorizer already stores (no extra
 * model data): the share of its word tokens whose word-unigram hash is known; and the idf-weighted share of
 * its feature mass (sublinear tf × idf; an unknown feature gets the idf of df = 0) that is known, for the word
 * block, the character block and all features.
 */
export interface Coverage {
  readonly tokens: number;
  readonly wordMass: number;
  readonly charMass: number;
  readonly allMass: number;
}

export function coverageOf(vectorizer: Vectorizer, known: Set<number>, text: string, documents: number): Coverage {
  const options = vectorizer.options;
  const unseenIdf = Math.log(1 + documents) + 1;
  // Word tokens: the word hash of each letter/number run (punctuation excluded), as featureHashes makes it.
  const normalized = text.normalize('NFKC').toLowerCase();
  let tokens = 0;
  let knownTokens = 0;
  for (const m of normalized.matchAll(WORD)) {
    const hashes = featureHashes(m[0], { ...options, wordNgramMax: 1, accentFolding: 'none', punctuation: false });
    const wordHash = hashes.find((h) => isWordFeature(h));
    if (wordHash === undefined) continue;
    tokens++;
    if (known.has(wordHash)) knownTokens++;
  }
  const counts = new Map<number, number>();
  for (const h of featureHashes(text, options)) counts.set(h, (counts.get(h) ?? 0) + 1);
  let wordKnown = 0;
  let wordAll = 0;
  let charKnown = 0;
  let charAll = 0;
  const idfOf = idfLookup(vectorizer);
  for (const [h, count] of counts) {
    const idf = idfOf.get(h);
    const v = (1 + Math.log(count)) * (idf ?? unseenIdf);
    if (isWordFeature(h)) {
      wordAll += v;
      if (idf !== undefined) wordKnown += v;
    } else {
      charAll += v;
      if (idf !== undefined) charKnown += v;
    }
  }
  return {
    tokens: tokens > 0 ? knownTokens / tokens : 1,
    wordMass: wordAll > 0 ? wordKnown / wordAll : 1,
    charMass: charAll > 0 ? charKnown / charAll : 1,
    allMass: wordAll + charAll > 0 ? (wordKnown + charKnown) / (wordAll + charAll) : 1,
  };
}

const idfCache = new WeakMap<Vectorizer, Map<number, number>>();
function idfLookup(vectorizer: Vectorizer): Map<number, number> {
  let m = idfCache.get(vectorizer);
  if (!m) {
    m = new Map(Array.from(vectorizer.hashes, (h, i) => [h, vectorizer.idf[i] as number]));
    idfCache.set(vectorizer, m);
  }
  return m;
}

export function knownHashes(vectorizer: Vectorizer): Set<number> {
  return new Set(vectorizer.hashes);
}

export const pct = (x: number, digits = 2): string => `${(100 * x).toFixed(digits)}%`;
