import { z } from 'zod';
import type { TranslationProvider } from './provider.ts';
import { createDeepLProvider, deeplSettingsSchema } from './providers/deepl.ts';
import { createGoogleTranslateProvider, googleTranslateSettingsSchema } from './providers/google.ts';
import { createLibreTranslateProvider, libreTranslateSettingsSchema } from './providers/libretranslate.ts';
import { createOpenAiTranslationProvider, openAiTranslationSettingsSchema } from './providers/openai.ts';

/** A workspace's translation provider settings, one shape per provider, told apart by `provider`. */
export const translationSettingsSchema = z.discriminatedUnion('provider', [
  openAiTranslationSettingsSchema,
  deeplSettingsSchema,
  libreTranslateSettingsSchema,
  googleTranslateSettingsSchema,
]);

export type TranslationSettingsInput = z.input<typeof translationSettingsSchema>;
export type TranslationSettings = z.output<typeof translationSettingsSchema>;
export type TranslationProviderId = TranslationSettings['provider'];

export const translationProviderIds = ['openai', 'deepl', 'libretranslate', 'google'] as const satisfies readonly TranslationProviderId[];

export interface SettingsProblem {
  /** The field at fault, dotted (`retry.maxDelayMs`); `provider` when the provider itself is unknown. */
  field: string;
  message: string;
}

export type ParsedSettings = { ok: true; settings: TranslationSettings } | { ok: false; problems: SettingsProblem[] };

/** Validates settings from a form or a file; every problem names its field. */
export function parseTranslationSettings(input: unknown): ParsedSettings {
  const parsed = translationSettingsSchema.safeParse(input, { reportInput: true });
  if (parsed.success) return { ok: true, settings: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({
      field: issue.path.length > 0 ? issue.path.join('.') : 'provider',
      message: issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.message,
    })),
  };
}

export function createTranslationProvider(settings: TranslationSettings): TranslationProvider {
  switch (settings.provider) {
    case 'openai':
      return createOpenAiTranslationProvider(settings);
    case 'deepl':
      return createDeepLProvider(settings);
    case 'libretranslate':
      return createLibreTranslateProvider(settings);
    case 'google':
      return createGoogleTranslateProvider(settings);
    default: {
      const unknown: never = settings;
      throw new Error(`unknown translation provider ${JSON.stringify(unknown)}`);
    }
  }
}
