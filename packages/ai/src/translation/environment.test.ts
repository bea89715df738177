import { describe, expect, it } from 'vitest';
import { glossaryFromEnv, translationProviderFromEnv } from './environment.ts';

describe('translation settings from the environment', () => {
  it('is off without TRANSLATION_PROVIDER, and says which variable is missing when another is set', () => {
    expect(translationProviderFromEnv({})).toBeNull();
    expect(() => translationProviderFromEnv({ TRANSLATION_API_KEY: 'k' })).toThrow(/TRANSLATION_PROVIDER: required when TRANSLATION_API_KEY is set/);
  });

  it('builds the named provider, and names the variable of a bad setting', () => {
    expect(translationProviderFromEnv({ TRANSLATION_PROVIDER: 'libretranslate', TRANSLATION_BASE_URL: 'http://127.0.0.1:5000' })?.name).toBe('libretranslate');
    expect(() => translationProviderFromEnv({ TRANSLATION_PROVIDER: 'deepl' })).toThrow(/TRANSLATION_API_KEY: /);
    expect(() => translationProviderFromEnv({ TRANSLATION_PROVIDER: 'libretranslate', TRANSLATION_BASE_URL: 'ftp://x' })).toThrow(/TRANSLATION_BASE_URL: /);
    expect(() => translationProviderFromEnv({ TRANSLATION_PROVIDER: 'babelfish' })).toThrow(/TRANSLATION_PROVIDER/);
  });

  it('reads the glossary as trimmed comma-separated terms', () => {
    expect(glossaryFromEnv({ TRANSLATION_GLOSSARY: ' Acme Pro , ,Signalbox' })).toEqual(['Acme Pro', 'Signalbox']);
    expect(glossaryFromEnv({})).toEqual([]);
  });
});
