import { EMOTIONS, type Emotion } from '@signalbox/nodes';
import { seededRandom, shuffleInPlace } from '../classifier/random.ts';
import { countFeatures, weighFeatures, type CountedFeatures } from './features.ts';
import { EmotionModel, type EmotionModelParts } from './model.ts';
import { lenientMacroF1 } from './scoring.ts';

export interface EmotionExample {
  readonly text: string;
  /** One or more gold emotions; an example with several trains once per emotion. */
  readonly emotions: readonly Emotion[];
}

export interface EmotionTrainingOptions {
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
  readonly seed: number;
  /** Features kept in the shipped model, the most discriminative first. */
  readonly maxFeatures: number;
  /** Folds of the out-of-fold predictions the prior offsets are tuned on. */
  readonly folds: number;
}

/**
 * Chosen on a seeded 10% hold-out of the GoEmotions train split (never the dev split): more passes or a
 * stronger penalty did no better, and keeping 60,000 of ~300,000 features cost nothing measurable.
 */
export const defaultEmotionTraining: EmotionTrainingOptions = { epochs: 5, learningRate: 0.5, l2: 1e-5, seed: 1, maxFeatures: 60_000, folds: 5 };

export interface EmotionTrainingReport {
  examples: number;
  vocabulary: number;
  features: number;
  /** Macro-F1 of the out-of-fold predictions before and after the prior offsets. */
  outOfFold: { macroF1: number; macroF1WithOffsets: number };
  offsets: Record<Emotion, number>;
}

const CLASSES = EMOTIONS.length;

interface Rows {
  readonly start: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float32Array;
}

interface Vocabulary {
  readonly hashes: Uint32Array;
  readonly idfCodes: Uint8Array;
  readonly idfStep: number;
  readonly idf: Float32Array;
}

/** Every feature seen, with a smoothed idf stored in one byte (the model is trained on the stored value). */
function vocabularyOf(counted: readonly CountedFeatures[]): Vocabulary {
  const df = new Map<number, number>();
  for (const { keys } of counted) for (const k of keys) df.set(k, (df.get(k) ?? 0) + 1);
  const hashes = Uint32Array.from(df.keys()).sort();
  const n = counted.length;
  const idfStep = Math.log((1 + n) / 2) / 255 || 1;
  const idfCodes = Uint8Array.from(hashes, (h) => Math.round(Math.log((1 + n) / (1 + (df.get(h) ?? 0))) / idfStep));
  return { hashes, idfCodes, idfStep, idf: Float32Array.from(idfCodes, (code) => 1 + code * idfStep) };
}

function rowsOf(counted: readonly CountedFeatures[], vocabulary: Vocabulary): Rows {
  const vectors = counted.map((c) => weighFeatures(c, vocabulary.hashes, vocabulary.idf));
  const start = new Int32Array(vectors.length + 1);
  vectors.forEach((v, i) => (start[i + 1] = (start[i] as number) + v.columns.length));
  const columns = new Int32Array(start[vectors.length] as number);
  const values = new Float32Array(columns.length);
  vectors.forEach((v, i) => {
    columns.set(v.columns, start[i]);
    values.set(v.values, start[i]);
  });
  return { start, columns, values };
}

interface Linear {
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

/**
 * Multinomial logistic regression by SGD over (example, label) pairs with Bottou's step eta / (1 + eta l2 t);
 * the L2 decay is applied lazily to the weights an example touches, so a step costs its features x classes.
 */
function trainSoftmax(rows: Rows, pairs: readonly (readonly [item: number, label: number])[], features: number, options: EmotionTrainingOptions): Linear {
  const weights = new Float64Array(features * CLASSES);
  const bias = new Float64Array(CLASSES);
  const gradient = new Float64Array(CLASSES);
  const order = Int32Array.from(pairs, (_, i) => i);
  const random = seededRandom(options.seed);
  const { learningRate: eta, l2 } = options;
  let t = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const p of order) {
      const [item, label] = pairs[p] as readonly [number, number];
      const from = rows.start[item] as number;
      const to = rows.start[item + 1] as number;
      gradient.set(bias);
      for (let k = from; k < to; k++) {
        const base = (rows.columns[k] as number) * CLASSES;
        const x = rows.values[k] as number;
        for (let c = 0; c < CLASSES; c++) gradient[c] = (gradient[c] as number) + x * (weights[base + c] as number);
      }
      let max = -Infinity;
      for (const g of gradient) max = Math.max(max, g);
      let sum = 0;
      for (let c = 0; c < CLASSES; c++) {
        gradient[c] = Math.exp((gradient[c] as number) - max);
        sum += gradient[c] as number;
      }
      for (let c = 0; c < CLASSES; c++) gradient[c] = (gradient[c] as number) / sum;
      gradient[label] = (gradient[label] as number) - 1;
      const step = eta / (1 + eta * l2 * t++);
      const decay = 1 - step * l2;
      for (let c = 0; c < CLASSES; c++) bias[c] = (bias[c] as number) - step * (gradient[c] as number);
      for (let k = from; k < to; k++) {
        const base = (rows.columns[k] as number) * CLASSES;
        const x = step * (rows.values[k] as number);
        for (let c = 0; c < CLASSES; c++) weights[base + c] = decay * (weights[base + c] as number) - x * (gradient[c] as number);
      }
    }
  }
  return { weights, bias };
}

/**
 * Keeps the `maxFeatures` features whose weights differ most between emotions and stores the weights as
 * signed bytes. A feature's weights are centred first: softmax ignores what all emotions share.
 */
function compact(linear: Linear, vocabulary: Vocabulary, maxFeatures: number): EmotionModelParts {
  const features = vocabulary.hashes.length;
  const centred = new Float64Array(linear.weights.length);
  const spread = new Float64Array(features);
  for (let f = 0; f < features; f++) {
    let mean = 0;
    for (let c = 0; c < CLASSES; c++) mean += linear.weights[f * CLASSES + c] as number;
    mean /= CLASSES;
    let largest = 0;
    for (let c = 0; c < CLASSES; c++) {
      const w = (linear.weights[f * CLASSES + c] as number) - mean;
      centred[f * CLASSES + c] = w;
      largest = Math.max(largest, Math.abs(w));
    }
    spread[f] = largest;
  }
  const kept = Int32Array.from({ length: features }, (_, f) => f)
    .sort((a, b) => (spread[b] as number) - (spread[a] as number) || a - b)
    .subarray(0, Math.min(maxFeatures, features))
    .sort();
  let largest = 0;
  for (const f of kept) largest = Math.max(largest, spread[f] as number);
  const weightScale = largest / 127 || 1;
  const weights = new Int8Array(kept.length * CLASSES);
  kept.forEach((f, j) => {
    for (let c = 0; c < CLASSES; c++) weights[j * CLASSES + c] = Math.round((centred[f * CLASSES + c] as number) / weightScale);
  });
  return {
    hashes: Uint32Array.from(kept, (f) => vocabulary.hashes[f] as number),
    idfCodes: Uint8Array.from(kept, (f) => vocabulary.idfCodes[f] as number),
    idfStep: vocabulary.idfStep,
    weights,
    weightScale,
    bias: Array.from(linear.bias),
    offsets: new Array<number>(CLASSES).fill(0),
  };
}

function argmax(scores: ArrayLike<number>, offsets: readonly number[]): number {
  let best = 0;
  for (let c = 1; c < CLASSES; c++) if ((scores[c] as number) + (offsets[c] as number) > (scores[best] as number) + (offsets[best] as number)) best = c;
  return best;
}

/**
 * Per-emotion additive offsets on the log-probabilities that maximize macro-F1 on the given predictions, by
 * coordinate ascent over a fixed grid (deterministic, and coarse enough not to chase single items).
 */
export function tuneOffsets(rawScores: readonly ArrayLike<number>[], golds: readonly (readonly number[])[]): number[] {
  const offsets = new Array<number>(CLASSES).fill(0);
  const predictions = new Int32Array(rawScores.length);
  const f1 = () => {
    rawScores.forEach((s, i) => (predictions[i] = argmax(s, offsets)));
    return lenientMacroF1(golds, predictions);
  };
  let best = f1();
  for (let round = 0; round < 4; round++) {
    let changed = false;
    for (let c = 0; c < CLASSES; c++) {
      const current = offsets[c] as number;
      let bestValue = current;
      for (let step = -20; step <= 60; step++) {
        offsets[c] = step / 20;
        const score = f1();
        if (score > best + 1e-12) {
          best = score;
          bestValue = offsets[c] as number;
        }
      }
      offsets[c] = bestValue;
      if (bestValue !== current) changed = true;
    }
    if (!changed) break;
  }
  return offsets;
}

function pairsOf(items: Iterable<number>, golds: readonly (readonly number[])[]): [number, number][] {
  const pairs: [number, number][] = [];
  for (const i of items) for (const label of golds[i] as readonly number[]) pairs.push([i, label]);
  return pairs;
}

/**
 * Trains the shipped emotion model: features of every example, a softmax regression, pruning and 8-bit
 * weights, then prior offsets tuned on out-of-fold predictions of models built the same way.
 */
export function trainEmotionModel(
  examples: readonly EmotionExample[],
  options: EmotionTrainingOptions = defaultEmotionTraining,
  onProgress: (message: string) => void = () => {},
): { model: EmotionModel; report: EmotionTrainingReport } {
  const golds = examples.map((e) => e.emotions.map((emotion) => EMOTIONS.indexOf(emotion)));
  const counted = examples.map((e) => countFeatures(e.text));
  // Document frequencies come from the whole training set, held-out folds included: they see the texts'
  // words, never their labels.
  const vocabulary = vocabularyOf(counted);
  const rows = rowsOf(counted, vocabulary);
  onProgress(`${examples.length} examples, ${vocabulary.hashes.length} features`);

  const position = Int32Array.from(examples, (_, i) => i);
  shuffleInPlace(position, seededRandom(options.seed + 1));
  const fold = new Int32Array(examples.length);
  position.forEach((item, p) => (fold[item] = p % options.folds));
  const outOfFold: Float64Array[] = new Array<Float64Array>(examples.length);
  for (let k = 0; k < options.folds; k++) {
    const inside = examples.map((_, i) => i).filter((i) => fold[i] !== k);
    const foldModel = new EmotionModel(compact(trainSoftmax(rows, pairsOf(inside, golds), vocabulary.hashes.length, options), vocabulary, options.maxFeatures));
    examples.forEach((e, i) => {
      if (fold[i] === k) outOfFold[i] = foldModel.rawScores(e.text) ?? Float64Array.from(foldModel.parts.bias);
    });
    onProgress(`fold ${k + 1}/${options.folds}`);
  }
  const offsets = tuneOffsets(outOfFold, golds);
  const zero = new Array<number>(CLASSES).fill(0);

  const parts = compact(trainSoftmax(rows, pairsOf(golds.keys(), golds), vocabulary.hashes.length, options), vocabulary, options.maxFeatures);
  const model = new EmotionModel({ ...parts, offsets });
  onProgress('final model trained');
  return {
    model,
    report: {
      examples: examples.length,
      vocabulary: vocabulary.hashes.length,
      features: model.features,
      outOfFold: {
        macroF1: lenientMacroF1(golds, outOfFold.map((s) => argmax(s, zero))),
        macroF1WithOffsets: lenientMacroF1(golds, outOfFold.map((s) => argmax(s, offsets))),
      },
      offsets: Object.fromEntries(EMOTIONS.map((e, c) => [e, offsets[c] as number])) as Record<Emotion, number>,
    },
  };
}
