import { defaultFeatureOptions, type FeatureOptions } from './features.ts';
import { scoreSparse, softmaxInPlace, trainSoftmax, type LinearWeights } from './softmax.ts';
import { Vectorizer } from './vectorizer.ts';

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

// Chosen by 5-fold cross-validation on Banking77 (learning rate 1-4, L2 1e-6 to 1e-4).
const defaultTraining = { learningRate: 2, l2: 3e-6, seed: 1 } as const;

// Small intent sets get more passes, so a workspace with a few dozen phrases still converges.
function epochsFor(examples: number): number {
  return Math.min(60, Math.max(10, Math.ceil(60_000 / Math.max(1, examples))));
}

/**
 * A supervised short-text classifier: TF-IDF over hashed word 1-2-grams and in-word character 2-5-grams,
 * then multinomial logistic regression. Trains in seconds on ten thousand examples and needs no model files.
 */
export class TextClassifier {
  // Reused across calls: classify is synchronous, so no two calls share it at once.
  private readonly scores: Float64Array;

  constructor(
    readonly labels: readonly string[],
    readonly vectorizer: Vectorizer,
    readonly model: LinearWeights,
  ) {
    if (labels.length !== model.classes) throw new Error(`${labels.length} labels for a model of ${model.classes} classes`);
    this.scores = new Float64Array(labels.length);
  }

  classify(text: string): Classification {
    const { columns, values } = this.vectorizer.transform(text);
    const scores = this.scores;
    scoreSparse(this.model, columns, values, 0, columns.length, scores);
    softmaxInPlace(scores);
    const ranked = this.labels
      .map((label, i) => ({ label, confidence: scores[i] as number }))
      .sort((a, b) => b.confidence - a.confidence || (a.label < b.label ? -1 : 1));
    const best = ranked[0] as RankedLabel;
    return { label: best.label, confidence: best.confidence, ranked };
  }
}

export function trainClassifier(examples: readonly TrainingExample[], options: ClassifierOptions = {}): TextClassifier {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.length < 2) throw new Error(`a classifier needs at least two labels, got ${labels.length}`);
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const features = { ...defaultFeatureOptions, ...options.features };
  const { vectorizer, rows } = Vectorizer.fit(
    examples.map((e) => e.text),
    features,
  );
  const model = trainSoftmax(
    rows,
    Int32Array.from(examples, (e) => labelIndex.get(e.label) as number),
    labels.length,
    vectorizer.size,
    {
      epochs: options.epochs ?? epochsFor(examples.length),
      learningRate: options.learningRate ?? defaultTraining.learningRate,
      l2: options.l2 ?? defaultTraining.l2,
      seed: options.seed ?? defaultTraining.seed,
    },
  );
  return new TextClassifier(labels, vectorizer, model);
}
