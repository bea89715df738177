import {
  deserializeClassifier,
  serializeClassifier,
  trainClassifier,
  type ClassifierOptions,
  type SerializedClassifier,
  type TextClassifier,
} from '../classifier/index.ts';
import type { Intent } from './schema.ts';

/**
 * Below this confidence an intent is "not sure". Chosen by `npx tsx packages/ai/eval/intent-threshold.ts` from
 * CLINC150's training file alone: a model trained on four fifths of it, the lowest threshold (in steps of 0.01)
 * that turns away at least 85% of CLINC's 100 out-of-scope training questions (held-out in-scope accuracy
 * there: 90.7%). Its val split was not looked at for this.
 */
export const DEFAULT_INTENT_THRESHOLD = 0.38;

export interface IntentModel {
  readonly classifier: TextClassifier;
}

export interface IntentMatch {
  /** The recognized intent, or null when the best guess is below the threshold ("not sure"). */
  readonly intent: string | null;
  readonly confidence: number;
  /** The other intents, most likely first. */
  readonly runnersUp: readonly { readonly intent: string; readonly confidence: number }[];
}

export function trainIntents(intents: readonly Intent[], options?: ClassifierOptions): IntentModel {
  const examples = intents.flatMap((intent) => intent.phrases.map((text) => ({ text, label: intent.name })));
  return { classifier: trainClassifier(examples, options) };
}

export function classifyIntent(model: IntentModel, text: string, options: { threshold?: number; runnersUp?: number } = {}): IntentMatch {
  const threshold = options.threshold ?? DEFAULT_INTENT_THRESHOLD;
  const { label, confidence, ranked } = model.classifier.classify(text);
  return {
    intent: confidence >= threshold ? label : null,
    confidence,
    runnersUp: ranked.slice(1, 1 + (options.runnersUp ?? 3)).map((r) => ({ intent: r.label, confidence: r.confidence })),
  };
}

export function serializeIntentModel(model: IntentModel): SerializedClassifier {
  return serializeClassifier(model.classifier);
}

export function deserializeIntentModel(json: unknown): { ok: true; model: IntentModel } | { ok: false; error: string } {
  const result = deserializeClassifier(json);
  return result.ok ? { ok: true, model: { classifier: result.classifier } } : result;
}
