import { describe, expect, it } from 'vitest';
import { pageLanguage, parseLocale, UI_LANGUAGES, UI_TEXT } from './ui-text.ts';

describe('the web chat’s own words', () => {
  it('has every word in every language, with the placeholders the widget fills in', () => {
    const keys = Object.keys(UI_TEXT.en).sort();
    for (const language of UI_LANGUAGES) {
      const words = UI_TEXT[language];
      expect(Object.keys(words).sort(), language).toEqual(keys);
      for (const [key, text] of Object.entries(words)) expect(text.trim(), `${language}.${key}`).not.toBe('');
      expect(words.fileTooLarge, language).toContain('{mb}');
      expect(words.uploading, language).toContain('{percent}');
    }
    // Not a copy of English left in by mistake (the brand name and "online" may be the same).
    for (const language of UI_LANGUAGES.filter((l) => l !== 'en')) expect(UI_TEXT[language].placeholder, language).not.toBe(UI_TEXT.en.placeholder);
  });

  it('picks the page language from ?lang=, then Accept-Language by its q-values, then English', () => {
    expect(pageLanguage('ar', 'de-DE,de;q=0.9')).toBe('ar');
    expect(pageLanguage('pt-BR', undefined)).toBe('pt');
    expect(pageLanguage(undefined, 'fr;q=0.5, de-CH, en;q=0.8')).toBe('de');
    expect(pageLanguage(undefined, 'nl-NL, es;q=0.4')).toBe('es');
    expect(pageLanguage('xx', 'zh-TW,zh;q=0.9')).toBe('zh');
    expect(pageLanguage(['es'], 'ru, pl;q=0.5')).toBe('en');
    expect(pageLanguage(undefined, undefined)).toBe('en');
  });

  it('takes a client’s locale as a language tag and names the field when it is not one', () => {
    expect(parseLocale(undefined)).toEqual({ ok: true, locale: undefined });
    expect(parseLocale('')).toEqual({ ok: true, locale: undefined });
    expect(parseLocale('ms-MY')).toEqual({ ok: true, locale: 'ms-MY' });
    expect(parseLocale('zh_Hant_TW')).toEqual({ ok: true, locale: 'zh-Hant-TW' });
    for (const bad of ['<script>', 'english please', 'x', 'de-DE-'.padEnd(40, 'x'), ['de']]) {
      expect(parseLocale(bad), String(bad)).toEqual({ ok: false, message: 'locale: a language tag such as "de" or "pt-BR"' });
    }
  });
});
