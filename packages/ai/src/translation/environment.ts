import type { TranslationProvider } from './provider.ts';
import { createTranslationProvider, parseTranslationSettings } from './settings.ts';

/** The environment variables that configure translation for a process (the runner and the web app's preview). */
export interface TranslationEnvironment {
  TRANSLATION_PROVIDER?: string | undefined;
  TRANSLATION_API_KEY?: string | undefined;
  TRANSLATION_BASE_URL?: string | undefined;
  TRANSLATION_MODEL?: string | undefined;
  TRANSLATION_GLOSSARY?: string | undefined;
}

/** The variable each setting comes from, so a refusal names what to fix. */
const VARIABLES: Record<string, string> = {
  provider: 'TRANSLATION_PROVIDER',
  apiKey: 'TRANSLATION_API_KEY',
  baseUrl: 'TRANSLATION_BASE_URL',
  model: 'TRANSLATION_MODEL',
};

/**
 * The translation provider the environment names, or null when none is set (the translate node then says so).
 * A provider with a missing or bad setting throws, naming the variable, like every other setting at start.
 */
export function translationProviderFromEnv(env: TranslationEnvironment | NodeJS.ProcessEnv): TranslationProvider | null {
  const value = (name: keyof TranslationEnvironment) => env[name]?.trim() || undefined;
  if (!value('TRANSLATION_PROVIDER')) {
    const stray = (['TRANSLATION_API_KEY', 'TRANSLATION_BASE_URL', 'TRANSLATION_MODEL'] as const).filter((name) => value(name) !== undefined);
    if (stray.length > 0) throw new Error(`invalid settings:\n  TRANSLATION_PROVIDER: required when ${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} set`);
    return null;
  }
  const parsed = parseTranslationSettings({
    provider: value('TRANSLATION_PROVIDER'),
    ...(value('TRANSLATION_API_KEY') ? { apiKey: value('TRANSLATION_API_KEY') } : {}),
    ...(value('TRANSLATION_BASE_URL') ? { baseUrl: value('TRANSLATION_BASE_URL') } : {}),
    ...(value('TRANSLATION_MODEL') ? { model: value('TRANSLATION_MODEL') } : {}),
  });
  if (!parsed.ok) {
    const lines = parsed.problems.map((p) => `  ${VARIABLES[p.field.split('.')[0] ?? ''] ?? `TRANSLATION_PROVIDER (${p.field})`}: ${p.message}`);
    throw new Error(`invalid settings:\n${lines.join('\n')}`);
  }
  return createTranslationProvider(parsed.settings);
}

/** TRANSLATION_GLOSSARY: terms never translated, comma-separated. */
export function glossaryFromEnv(env: TranslationEnvironment | NodeJS.ProcessEnv): string[] {
  return (env.TRANSLATION_GLOSSARY ?? '').split(',').map((term) => term.trim()).filter((term) => term !== '');
}
