import { defaultFeatureOptions, type FeatureOptions } from './features.ts';
import { scoreSparse, softmaxInPlace, trainSoftmax, type LinearWeights } from './softmax.ts';
import { trainSvm } from './svm.ts';
import { Vectorizer, type SparseRows } from './vectorizer.ts';

/**
 * A sentence encoder's vectors as extra features: `dimensions` dense columns after the n-gram columns, each text's
 * vector (L2-normalized) scaled by `weight`. `encoder` names the model the vectors came from; a classifier trained on
 * them classifies only with vectors of the same encoder.
 */
export interface DenseBlock {
  readonly encoder: string;
  readonly dimensions: number;
  readonly weight: number;
}

/** Turns texts into one vector each; `id` names the model and its version, as stored with a classifier. */
export interface SentenceEncoder {
  readonly id: string;
  readonly dimensions: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

export interface TrainingExample {
  readonly text: string;
  readonly label: string;
}

export interface ClassifierOptions {
  readonly features?: Partial<FeatureOptions>;
  /** Passes over the data; by default enough for about 60,000 updates, at least 10 and at most 60 passes. */
  readonly epochs?: number;
  readonly learningRate?: number;
  readonly l2?: number;
  readonly seed?: number;
  /** Inverse regularization of the one-vs-rest SVMs (liblinear's C). */
  readonly svmC?: number;
  /** How much the SVMs' scores count next to the softmax model's logits; 0 trains the softmax model alone. */
  readonly svmWeight?: number;
  /** The summed scores are divided by this before the softmax; above 1, confidences are less extreme. */
  readonly temperature?: number;
  /** Each example's sentence vector (same order as the examples) and how they join the features. */
  readonly dense?: { readonly block: DenseBlock; readonly vectors: readonly Float32Array[] };
}

export interface RankedLabel {
  readonly label: string;
  readonly confidence: number;
}

export interface Classification {
  readonly label: string;
  /** Probability of `label`; the `ranked` confidences over all labels sum to 1. */
  readonly confidence: number;
  /** Every label, most probable first. */
  readonly ranked: readonly RankedLabel[];
}

// Learning rate and L2 chosen by 5-fold cross-validation on Banking77 (learning rate 1-4, L2 1e-6 to 1e-4);
// SVM C and weight on one Banking77 fold. The temperature trades two things: on a held-out fifth of CLINC150's
// training set, out-of-scope questions are told from in-scope ones better the higher it is (up to about 3),
// but the confidences of a workspace with a few intents then crowd near 1/intents, where one threshold cannot
// separate anything; 2 keeps both usable (docs/language.md).
export const defaultTraining = { learningRate: 2, l2: 3e-6, seed: 1, svmC: 1, svmWeight: 3, temperature: 2 } as const;
const SVM_PASSES = 5;

// Small intent sets get more passes, so a workspace with a few dozen phrases still converges.
function epochsFor(examples: number): number {
  return Math.min(60, Math.max(10, Math.ceil(60_000 / Math.max(1, examples))));
}

/**
 * A supervised short-text classifier: TF-IDF over hashed word 1-2-grams and in-word character 2-5-grams,
 * then multinomial logistic regression and one-vs-rest linear SVMs, summed. Trains in seconds on ten thousand
 * examples and needs no model files.
 */
export class TextClassifier {
  // Reused across calls: classify is synchronous, so no two calls share it at once.
  private readonly scores: Float64Array;

  constructor(
    readonly labels: readonly string[],
    readonly vectorizer: Vectorizer,
    readonly model: LinearWeights,
    /** Null: n-gram features only. */
    readonly dense: DenseBlock | null = null,
  ) {
    if (labels.length !== model.classes) throw new Error(`${labels.length} labels for a model of ${model.classes} classes`);
    const features = vectorizer.size + (dense?.dimensions ?? 0);
    if (model.features !== features) throw new Error(`a model of ${model.features} features for ${features} feature columns`);
    this.scores = new Float64Array(labels.length);
  }

  /** `vector`: the text's vector from the dense block's encoder, required when the classifier has one. */
  classify(text: string, vector?: Float32Array): Classification {
    const { columns, values } = this.vectorizer.transform(text);
    const scores = this.scores;
    scoreSparse(this.model, columns, values, 0, columns.length, scores);
    if (this.dense) addDense(this.model, this.vectorizer.size, this.dense, vector, scores);
    softmaxInPlace(scores);
    const ranked = this.labels
      .map((label, i) => ({ label, confidence: scores[i] as number }))
      .sort((a, b) => b.confidence - a.confidence || (a.label < b.label ? -1 : 1));
    const best = ranked[0] as RankedLabel;
    return { label: best.label, confidence: best.confidence, ranked };
  }
}

function addDense(model: LinearWeights, firstColumn: number, block: DenseBlock, vector: Float32Array | undefined, scores: Float64Array): void {
  if (!vector || vector.length !== block.dimensions) throw new Error(`classifying needs a ${block.dimensions}-dimensional vector from ${block.encoder}, got ${vector ? vector.length : 'none'}`);
  const { classes, weights } = model;
  for (let j = 0; j < block.dimensions; j++) {
    const x = block.weight * (vector[j] as number);
    const base = (firstColumn + j) * classes;
    for (let c = 0; c < classes; c++) scores[c] = (scores[c] as number) + x * (weights[base + c] as number);
  }
}

/** The rows with each row's vector (times `weight`) appended as columns `firstColumn`, `firstColumn + 1`, …. */
export function appendDense(rows: SparseRows, vectors: readonly Float32Array[], firstColumn: number, weight: number): SparseRows {
  const count = rows.rowStart.length - 1;
  if (vectors.length !== count) throw new Error(`${vectors.length} vectors for ${count} rows`);
  const dimensions = vectors[0]?.length ?? 0;
  const rowStart = Int32Array.from(rows.rowStart, (start, i) => start + i * dimensions);
  const columns = new Int32Array(rows.columns.length + count * dimensions);
  const values = new Float32Array(columns.length);
  for (let i = 0; i < count; i++) {
    const from = rows.rowStart[i] as number;
    const to = rows.rowStart[i + 1] as number;
    const at = rowStart[i] as number;
    columns.set(rows.columns.subarray(from, to), at);
    values.set(rows.values.subarray(from, to), at);
    const vector = vectors[i] as Float32Array;
    if (vector.length !== dimensions) throw new Error(`vector ${i} has ${vector.length} dimensions, the first ${dimensions}`);
    for (let j = 0; j < dimensions; j++) {
      columns[at + to - from + j] = firstColumn + j;
      values[at + to - from + j] = weight * (vector[j] as number);
    }
  }
  return { rowStart, columns, values };
}

/** What trainClassifier sums into one model, kept apart (the experiments in eval/experiments weigh them anew). */
export interface ClassifierParts {
  readonly labels: readonly string[];
  readonly vectorizer: Vectorizer;
  /** The training examples' feature rows, and each one's label index. */
  readonly rows: SparseRows;
  readonly classOf: Int32Array;
  readonly softmax: LinearWeights;
  /** Null when `svmWeight` is 0. */
  readonly svm: LinearWeights | null;
  readonly svmWeight: number;
  readonly temperature: number;
  /** Null: n-gram features only; otherwise `rows` end with its columns. */
  readonly dense: DenseBlock | null;
}

export function trainClassifierParts(examples: readonly TrainingExample[], options: ClassifierOptions = {}): ClassifierParts {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.length < 2) throw new Error(`a classifier needs at least two labels, got ${labels.length}`);
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const features = { ...defaultFeatureOptions, ...options.features };
  const fitted = Vectorizer.fit(
    examples.map((e) => e.text),
    features,
  );
  const { vectorizer } = fitted;
  const dense = options.dense ?? null;
  if (dense && dense.vectors.length !== examples.length) throw new Error(`${dense.vectors.length} sentence vectors for ${examples.length} examples`);
  const rows = dense ? appendDense(fitted.rows, dense.vectors, vectorizer.size, dense.block.weight) : fitted.rows;
  const columns = vectorizer.size + (dense?.block.dimensions ?? 0);
  const classOf = Int32Array.from(examples, (e) => labelIndex.get(e.label) as number);
  const seed = options.seed ?? defaultTraining.seed;
  const softmax = trainSoftmax(rows, classOf, labels.length, columns, {
    epochs: options.epochs ?? epochsFor(examples.length),
    learningRate: options.learningRate ?? defaultTraining.learningRate,
    l2: options.l2 ?? defaultTraining.l2,
    seed,
  });
  const svmWeight = options.svmWeight ?? defaultTraining.svmWeight;
  const svm = svmWeight > 0 ? trainSvm(rows, classOf, labels.length, columns, { c: options.svmC ?? defaultTraining.svmC, passes: SVM_PASSES, seed }) : null;
  return { labels, vectorizer, rows, classOf, softmax, svm, svmWeight, temperature: options.temperature ?? defaultTraining.temperature, dense: dense?.block ?? null };
}

export function trainClassifier(examples: readonly TrainingExample[], options: ClassifierOptions = {}): TextClassifier {
  const parts = trainClassifierParts(examples, options);
  return new TextClassifier(parts.labels, parts.vectorizer, combine(parts.softmax, parts.svm, parts.svmWeight, parts.temperature), parts.dense);
}

/**
 * Trains with the encoder's vectors of the examples as extra features, `weight` times each L2-normalized vector
 * (1 by default: the n-gram blocks are unit vectors too). Classify with `classifier.classify(text, vector)`.
 */
export async function trainClassifierWithEncoder(
  examples: readonly TrainingExample[],
  encoder: SentenceEncoder,
  options: ClassifierOptions & { readonly encoderWeight?: number } = {},
): Promise<TextClassifier> {
  const vectors = await encoder.embed(examples.map((e) => e.text));
  return trainClassifier(examples, { ...options, dense: { block: { encoder: encoder.id, dimensions: encoder.dimensions, weight: options.encoderWeight ?? 1 }, vectors } });
}

/**
 * Both models are linear in the same features, so their weighted sum is one linear model: classifying costs
 * what one model costs, and the stored format does not change. The two losses err differently (the softmax
 * model spreads weight over many features, the hinge loss concentrates it on the examples near a boundary),
 * which is what the sum gains from.
 */
function combine(softmax: LinearWeights, svm: LinearWeights | null, svmWeight: number, temperature: number): LinearWeights {
  const mix = (a: Float32Array, b: Float32Array | undefined): Float32Array => Float32Array.from(a, (v, i) => (v + svmWeight * (b?.[i] ?? 0)) / temperature);
  return { ...softmax, weights: mix(softmax.weights, svm?.weights), bias: mix(softmax.bias, svm?.bias) };
}
