import { shippedModels } from '@signalbox/ai';
import type { LanguageModels } from './language-services.ts';

/** Every workspace classifies with the shipped e-commerce intents until it has intents of its own. */
export function languageModels(): LanguageModels {
  return {
    intents: () => shippedModels.defaultIntents(),
    emotion: () => shippedModels.emotion(),
  };
}
