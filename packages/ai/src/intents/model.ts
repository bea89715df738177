import {
  deserializeClassifier,
  serializeClassifier,
  trainClassifier,
  trainClassifierWithEncoder,
  type ClassifierOptions,
  type SentenceEncoder,
  type SerializedClassifier,
  type TextClassifier,
  type TrainingExample,
} from '../classifier/index.ts';
import { chooseIntentEncoder, intentEncoderById } from '../encoder/index.ts';
import type { Intent } from './schema.ts';

/**
 * Below this confidence an intent is "not sure". Chosen by `npx tsx packages/ai/eval/intent-threshold.ts` from
 * CLINC150's training file alone: a model trained on four fifths of it, the lowest threshold (in steps of 0.01)
 * that turns away at least 85% of CLINC's 100 out-of-scope training questions (held-out in-scope accuracy
 * there: 90.7%). Its val split was not looked at for this.
 */
export const DEFAULT_INTENT_THRESHOLD = 0.38;

/**
 * The same for a model trained with sentence-encoder features (an English workspace, src/encoder): its confidences
 * are higher, right or wrong, so the same protocol lands higher. Chosen by the same script, with the encoder (as a
 * workspace trains CLINC150's English questions); held-out in-scope accuracy there 93.5%.
 */
export const ENCODER_INTENT_THRESHOLD = 0.47;

export interface IntentModel {
  readonly classifier: TextClassifier;
  /** The encoder whose vectors the classifier reads next to its n-grams; null: n-grams alone. */
  readonly encoder: SentenceEncoder | null;
}

/** The threshold a classify-intent node without one of its own applies to this model. */
export function defaultIntentThreshold(model: IntentModel): number {
  return model.encoder ? ENCODER_INTENT_THRESHOLD : DEFAULT_INTENT_THRESHOLD;
}

export interface IntentMatch {
  /** The recognized intent, or null when the best guess is below the threshold ("not sure"). */
  readonly intent: string | null;
  readonly confidence: number;
  /** The other intents, most likely first. */
  readonly runnersUp: readonly { readonly intent: string; readonly confidence: number }[];
  /** The threshold applied: the caller's, or the model's default. */
  readonly threshold: number;
}

export type IntentTrainingOptions = ClassifierOptions & {
  /** Train with its vectors as extra features (what `chooseIntentEncoder` picks for the phrases); none: n-grams alone. */
  readonly encoder?: SentenceEncoder | null;
};

export async function trainIntents(intents: readonly Intent[], options: IntentTrainingOptions = {}): Promise<IntentModel> {
  return trainIntentExamples(
    intents.flatMap((intent) => intent.phrases.map((text) => ({ text, label: intent.name }))),
    options,
  );
}

/** The same from labelled phrases in any order (evaluations keep a data set's own order). */
export async function trainIntentExamples(examples: readonly TrainingExample[], options: IntentTrainingOptions = {}): Promise<IntentModel> {
  const { encoder = null, ...training } = options;
  return encoder ? { classifier: await trainClassifierWithEncoder(examples, encoder, training), encoder } : { classifier: trainClassifier(examples, training), encoder: null };
}

/**
 * Trained as every workspace's phrases are (the web app, the runner, the CLI and the eval): with the sentence
 * encoder when it reads most of them (`chooseIntentEncoder`), else n-grams alone.
 */
export async function trainAsWorkspace(examples: readonly TrainingExample[]): Promise<IntentModel> {
  return trainIntentExamples(examples, { encoder: await chooseIntentEncoder(examples.map((e) => e.text)) });
}

export async function classifyIntent(model: IntentModel, text: string, options: { threshold?: number; runnersUp?: number } = {}): Promise<IntentMatch> {
  const threshold = options.threshold ?? defaultIntentThreshold(model);
  const vector = model.encoder ? (await model.encoder.embed([text]))[0] : undefined;
  const { label, confidence, ranked } = model.classifier.classify(text, vector);
  return {
    intent: confidence >= threshold ? label : null,
    confidence,
    runnersUp: ranked.slice(1, 1 + (options.runnersUp ?? 3)).map((r) => ({ intent: r.label, confidence: r.confidence })),
    threshold,
  };
}

export function serializeIntentModel(model: IntentModel): SerializedClassifier {
  return serializeClassifier(model.classifier);
}

/**
 * Loads a stored model. One trained with an encoder's vectors needs that encoder (`encoders(id)` finds it; by default
 * the process's own): when
 * this process has no such encoder, the model cannot be used and says so (it is then retrained from its phrases).
 */
export async function deserializeIntentModel(
  json: unknown,
  encoders: (id: string) => Promise<SentenceEncoder | null> = intentEncoderById,
): Promise<{ ok: true; model: IntentModel } | { ok: false; error: string }> {
  const result = deserializeClassifier(json);
  if (!result.ok) return result;
  const { classifier } = result;
  if (!classifier.dense) return { ok: true, model: { classifier, encoder: null } };
  const encoder = await encoders(classifier.dense.encoder);
  if (!encoder || encoder.id !== classifier.dense.encoder || encoder.dimensions !== classifier.dense.dimensions) {
    return { ok: false, error: `the model was trained with the sentence encoder ${classifier.dense.encoder}, which this process does not have` };
  }
  return { ok: true, model: { classifier, encoder } };
}
