// Translation: providers behind one interface, a glossary of terms never translated, and a translation memory.
export { TranslationError, isTranslationError, translationErrorKinds, NOT_CONFIGURED_MESSAGE, type TranslationErrorKind } from './errors.ts';
export {
  createProvider,
  parseTranslationRequest,
  translationRequestSchema,
  MAX_TEXTS_PER_CALL,
  type ProviderTransport,
  type TranslatedText,
  type TranslationProvider,
  type TranslationRequest,
  type TranslationResult,
  type TransportBatch,
  type TransportResult,
} from './provider.ts';
export { compileGlossary, EMPTY_GLOSSARY_VERSION, type Glossary, type TermSpan } from './glossary.ts';
export { canonicalLanguage } from './languages.ts';
export {
  AUTO_SOURCE,
  createInMemoryTranslationMemory,
  sourceTextHash,
  tmKeyId,
  type InMemoryTranslationMemory,
  type TmEntry,
  type TmKey,
  type TmValue,
  type TranslationMemory,
} from './memory.ts';
export { createTranslator, translateInputSchema, type TranslateInput, type Translator, type TranslatorOptions, type TranslatorResult } from './translator.ts';
export { defaultRetryPolicy, retryPolicySchema, type RetryPolicy } from './retry.ts';
export {
  createTranslationProvider,
  parseTranslationSettings,
  translationProviderIds,
  translationSettingsSchema,
  type ParsedSettings,
  type SettingsProblem,
  type TranslationProviderId,
  type TranslationSettings,
  type TranslationSettingsInput,
} from './settings.ts';
export { createDeepLProvider, deeplSettingsSchema, DEEPL_FREE_URL, DEEPL_PRO_URL, type DeepLSettings } from './providers/deepl.ts';
export { createGoogleTranslateProvider, googleTranslateSettingsSchema, GOOGLE_TRANSLATE_URL, type GoogleTranslateSettings } from './providers/google.ts';
export { createLibreTranslateProvider, libreTranslateSettingsSchema, LIBRETRANSLATE_URL, type LibreTranslateSettings } from './providers/libretranslate.ts';
export {
  createOpenAiTranslationProvider,
  openAiTranslationSettingsSchema,
  OPENAI_URL,
  type OpenAiTranslationSettings,
} from './providers/openai.ts';
export { glossaryFromEnv, translationProviderFromEnv, type TranslationEnvironment } from './environment.ts';
export { workspaceTranslator, type WorkspaceTranslationSource, type WorkspaceTranslatorOptions } from './workspace.ts';
