import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy } from './retry.ts';
import { createTranslationProvider, parseTranslationSettings } from './settings.ts';

describe('translation provider settings', () => {
  it('fills in each provider\'s real endpoint and the defaults', () => {
    const parsed = parseTranslationSettings({ provider: 'google', apiKey: 'k' });
    expect(parsed).toEqual({
      ok: true,
      settings: { provider: 'google', apiKey: 'k', baseUrl: 'https://translation.googleapis.com', timeoutMs: 15_000, maxBatch: 128, retry: defaultRetryPolicy },
    });
    const openai = parseTranslationSettings({ provider: 'openai' });
    expect(openai.ok && openai.settings).toMatchObject({ baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini' });
    const libre = parseTranslationSettings({ provider: 'libretranslate' });
    expect(libre.ok && libre.settings).toMatchObject({ baseUrl: 'https://libretranslate.com' });
  });

  it('names the field at fault', () => {
    expect(parseTranslationSettings({ provider: 'deepl' })).toEqual({ ok: false, problems: [{ field: 'apiKey', message: expect.any(String) }] });
    const fields = (input: unknown) => {
      const parsed = parseTranslationSettings(input);
      return parsed.ok ? [] : parsed.problems.map((problem) => problem.field);
    };
    expect(fields({ provider: 'google', apiKey: 'k', baseUrl: 'ftp://example.com' })).toEqual(['baseUrl']);
    expect(fields({ provider: 'deepl', apiKey: 'k', maxBatch: 51 })).toEqual(['maxBatch']);
    expect(fields({ provider: 'openai', retry: { maxDelayMs: -1 } })).toEqual(['retry.maxDelayMs']);
    expect(fields({ provider: 'openai', model: '  ' })).toEqual(['model']);
  });

  it('says which providers exist when the provider is unknown', () => {
    const parsed = parseTranslationSettings({ provider: 'babelfish' });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems[0]?.field).toBe('provider');
    expect(!parsed.ok && parsed.problems[0]?.message).toBe("Invalid discriminator value. Expected 'openai' | 'deepl' | 'libretranslate' | 'google'");
  });

  it('creates the provider the settings name', () => {
    for (const input of [{ provider: 'openai' }, { provider: 'deepl', apiKey: 'k' }, { provider: 'libretranslate' }, { provider: 'google', apiKey: 'k' }]) {
      const parsed = parseTranslationSettings(input);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      expect(createTranslationProvider(parsed.settings).name).toBe(input.provider);
    }
  });
});
