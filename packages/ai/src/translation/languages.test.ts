import { describe, expect, it } from 'vitest';
import { canonicalLanguage, isTraditionalChinese, languageCodeSchema, languageName } from './languages.ts';

describe('language codes', () => {
  it('canonicalizes spellings of the same tag', () => {
    expect(canonicalLanguage('PT_br')).toBe('pt-BR');
    expect(canonicalLanguage(' zh-hant-tw ')).toBe('zh-Hant-TW');
    expect(canonicalLanguage('EN')).toBe('en');
  });

  it('refuses what is not a language tag', () => {
    expect(canonicalLanguage('english')).toBeNull();
    expect(canonicalLanguage('e')).toBeNull();
    expect(canonicalLanguage('en--US')).toBeNull();
    expect(languageCodeSchema.safeParse('auto').success).toBe(false);
  });

  it('tells traditional from simplified Chinese by script or region', () => {
    expect(isTraditionalChinese('zh-TW')).toBe(true);
    expect(isTraditionalChinese('zh-Hant')).toBe(true);
    expect(isTraditionalChinese('zh-Hans-HK')).toBe(false);
    expect(isTraditionalChinese('zh')).toBe(false);
  });

  it('names languages in English for prompts', () => {
    expect(languageName('de')).toBe('German');
    expect(languageName('pt-BR')).toBe('Brazilian Portuguese');
  });
});
