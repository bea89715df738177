// Shared pieces of the intent experiments (NB-SVM features, vocabulary-coverage certainty). Trains the shipped
// model's parts (classifier.ts trainClassifierParts: vectorizer, softmax regression, one-vs-rest SVMs) and keeps
// their scores apart, so that they can be mixed with new members without retraining.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultTraining, trainClassifierParts, type ClassifierParts } from '../../src/classifier/classifier.ts';
import { featureHashes, isWordFeature } from '../../src/classifier/features.ts';
import { scoreSparse, type LinearWeights } from '../../src/classifier/softmax.ts';
import { DualSvmSolver } from '../../src/classifier/svm.ts';
import type { SparseRows, Vectorizer } from '../../src/classifier/vectorizer.ts';
import { parseIntentCsv } from '../../src/intents/csv.ts';
import { heldOutPhrasings } from '../../src/intents/default-intents.held-out.ts';
import { defaultIntents } from '../../src/intents/default-intents.ts';
import { DATASETS } from '../datasets.ts';
import { lowestThreshold } from '../intent-threshold.ts';

import { stratifiedFolds } from '../intents.ts';

export { stratifiedFolds };

export interface Example {
  readonly text: string;
  readonly label: string;
}

export async function readBanking77(): Promise<Example[]> {
  const parsed = parseIntentCsv(await readFile(join(DATASETS, 'intents/banking77/train.csv'), 'utf8'));
  if (!parsed.ok) throw new Error('banking77 parse');
  return parsed.phrases.map((p) => ({ text: p.text, label: p.intent }));
}

/** The eval's Banking77 folds (5, stratified, seed 1, as intents.ts): training and test examples of each fold asked for. */
export async function banking77Folds(folds: readonly number[]): Promise<{ fold: number; train: Example[]; test: Example[] }[]> {
  const examples = await readBanking77();
  const foldOf = stratifiedFolds(
    examples.map((e) => e.label),
    5,
    1,
  );
  return folds.map((fold) => ({ fold, train: examples.filter((_, i) => foldOf[i] !== fold), test: examples.filter((_, i) => foldOf[i] === fold) }));
}

async function readClinc(file: 'train.json' | 'val.json'): Promise<Record<string, [string, string][]>> {
  return JSON.parse(await readFile(join(DATASETS, 'intents/clinc150', file), 'utf8')) as Record<string, [string, string][]>;
}

/**
 * The default intents' training phrases, and the phrasings default-intents.test.ts holds out of them, without
 * off_topic: the experiments here measured the seven-intent workspace (688 phrases, 112 held out) that came before
 * it, and reproduce their recorded numbers on it.
 */
const beforeOffTopic = (label: string): boolean => label !== 'off_topic';
export const defaultPhrases: readonly Example[] = defaultIntents.filter((i) => beforeOffTopic(i.name)).flatMap((i) => i.phrases.map((text) => ({ text, label: i.name })));
export const heldOutDefaultPhrasings: readonly Example[] = Object.values(heldOutPhrasings).flatMap((byIntent) =>
  Object.entries(byIntent)
    .filter(([label]) => beforeOffTopic(label))
    .flatMap(([label, texts]) => texts.map((text) => ({ text, label }))),
);

export interface ClincSplits {
  /** CLINC150's in-scope training questions, its 100 out-of-scope training questions, and the same of val. */
  readonly examples: Example[];
  readonly oosTrain: string[];
  readonly valIn: Example[];
  readonly oosVal: string[];
}

export async function readClincSplits(): Promise<ClincSplits> {
  const [train, val] = await Promise.all([readClinc('train.json'), readClinc('val.json')]);
  const labelled = (items: [string, string][] | undefined): Example[] => (items ?? []).map(([text, label]) => ({ text, label }));
  const texts = (items: [string, string][] | undefined): string[] => (items ?? []).map(([text]) => text);
  return { examples: labelled(train.train), oosTrain: texts(train.oos_train), valIn: labelled(val.val), oosVal: texts(val.oos_val) };
}

export const TEMPERATURE = defaultTraining.temperature;
export const SVM_WEIGHT = defaultTraining.svmWeight;

/** The shipped model's parts, trained with its defaults; the SVMs are always there (their weight is not 0). */
export type Base = ClassifierParts & { readonly svm: LinearWeights };

export function trainBase(examples: readonly Example[]): Base {
  const parts = trainClassifierParts(examples);
  if (!parts.svm) throw new Error('the shipped defaults train SVMs');
  return { ...parts, svm: parts.svm };
}

/** What the shipped model decides for each text: best class and its probability. */
export function shippedDecision(base: Base, texts: readonly string[]): { best: Int32Array; probability: Float64Array } {
  const rows = base.vectorizer.transformAll(texts);
  return decide(shippedScores(base, rows), base.labels.length, TEMPERATURE);
}

/** The shipped model's summed scores of the rows (softmax logits + SVM_WEIGHT × SVM scores), before the temperature. */
export function shippedScores(base: Base, rows: SparseRows): Float64Array {
  return mix([
    [1, scoreRows(base.softmax, rows)],
    [SVM_WEIGHT, scoreRows(base.svm, rows)],
  ]);
}

/** The shipped model's best class per text, and each certainty (a function of its probability and coverage). */
export function judgeCertainties(base: Base, texts: readonly string[], certainties: readonly { readonly of: (p: number, c: Coverage) => number }[]): { best: Int32Array; certainty: Float64Array[] } {
  const d = shippedDecision(base, texts);
  const known = knownHashes(base.vectorizer);
  const cov = texts.map((t) => coverageOf(base.vectorizer, known, t, base.classOf.length));
  return { best: d.best, certainty: certainties.map((c) => Float64Array.from(d.probability, (p, i) => c.of(p, cov[i] as Coverage))) };
}

/** The shipped model's two parts summed into the one linear model it classifies with (without the temperature), for timing. */
export function shippedModel(base: Base): LinearWeights {
  const sum = (a: Float32Array, b: Float32Array) => Float32Array.from(a, (v, i) => v + SVM_WEIGHT * (b[i] as number));
  return { classes: base.labels.length, features: base.softmax.features, weights: sum(base.softmax.weights, base.svm.weights), bias: sum(base.softmax.bias, base.svm.bias) };
}

/** The protocol's threshold (intent-threshold.ts) for these out-of-scope certainties; 1.01 when none reaches 85 %. */
export const protocolThreshold = (certOut: ArrayLike<number>): number => lowestThreshold(certOut) ?? 1.01;

/** The smallest threshold (not in steps) turning away at least 85 %: just above the ⌈0.85 n⌉-th smallest certainty. */
export function exactThreshold(certOut: Float64Array): number {
  const sorted = Float64Array.from(certOut).sort();
  return (sorted[Math.ceil(0.85 * sorted.length) - 1] as number) + 1e-12;
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
  const models = betas.map(() => ({ classes, features, weights: new Float32Array(features * classes), bias: new Float32Array(classes) }));
  const p = new Float64Array(features);
  const r = new Float64Array(features);
  const scaled = new Float64Array(values.length);
  const solver = new DualSvmSolver(n, features, options);
  const { w } = solver;
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
    for (let k = 0; k < values.length; k++) scaled[k] = (values[k] as number) * (r[columns[k] as number] as number);
    solver.useRows({ rowStart, columns, values: scaled });
    const b = solver.fit((i) => classOf[i] === c);
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

/**
 * wordMass as coverageOf measures it, from hashes already counted (features.ts countHashes): the way a shipped
 * version would compute it inside the vectorizer, which looks every hash up anyway. For timing.
 */
export function wordMassOfCounts(counted: { readonly keys: Uint32Array; readonly counts: Float32Array }, idf: ReadonlyMap<number, number>, unseenIdf: number): number {
  let known = 0;
  let all = 0;
  for (let i = 0; i < counted.keys.length; i++) {
    const h = counted.keys[i] as number;
    if (!isWordFeature(h)) continue;
    const v = idf.get(h);
    const x = (1 + Math.log(counted.counts[i] as number)) * (v ?? unseenIdf);
    all += x;
    if (v !== undefined) known += x;
  }
  return all > 0 ? known / all : 1;
}

const idfCache = new WeakMap<Vectorizer, Map<number, number>>();
/** Each training feature hash's idf. */
export function idfLookup(vectorizer: Vectorizer): Map<number, number> {
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
