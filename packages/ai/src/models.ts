import { loadEmotionModel } from './emotion/index.ts';
import { classifyIntent, defaultIntents, trainAsWorkspace, type IntentModel } from './intents/index.ts';
import type { EmotionSource, IntentSource } from './services.ts';

/** The intents a classify-intent node uses, from a trained model. */
export function intentSource(model: IntentModel): IntentSource {
  return { classify: (text, options) => classifyIntent(model, text, options) };
}

let defaults: Promise<IntentSource> | undefined;

/**
 * The models that ship inside the package, loaded once per process on first use: the default e-commerce
 * intents (six e-commerce categories, small talk and off-topic, phrases in eight languages; trained here, in well under a second) and emotion.
 */
export const shippedModels = {
  defaultIntents: (): Promise<IntentSource> => {
    // The same choice as a workspace's training makes: in eight languages, the defaults train on n-grams alone.
    defaults ??= trainAsWorkspace(defaultIntents.flatMap((i) => i.phrases.map((text) => ({ text, label: i.name })))).then(intentSource);
    return defaults;
  },
  /** Trained on GoEmotions (English Reddit comments); other languages mostly read as neutral. */
  emotion: (): Promise<EmotionSource> => loadEmotionModel(),
};
