import { z } from 'zod';

/**
 * Languages travel as BCP 47 tags built on ISO 639-1 codes ("es", "pt-BR", "zh-Hant"), canonicalized so the
 * translation memory and the providers see one spelling ("PT_br" and "pt-BR" are the same language).
 */
export const languageCodeSchema = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const canonical = canonicalLanguage(value);
    if (canonical === null) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a language code such as "en", "es" or "pt-BR"` });
      return z.NEVER;
    }
    return canonical;
  });

/** Returns the canonical tag ("pt-BR"), or null for anything that is not a language tag with a 2–3 letter base. */
export function canonicalLanguage(value: string): string | null {
  const tag = value.trim().replace(/_/g, '-');
  if (!/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(tag)) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/** "pt-BR" -> "pt", "zh-Hant-TW" -> "zh". */
export function baseLanguage(code: string): string {
  return (code.split('-')[0] ?? code).toLowerCase();
}

/** The region or script subtags of a tag, upper-cased ("zh-Hant-TW" -> ["HANT", "TW"]). */
export function languageSubtags(code: string): string[] {
  return code
    .split('-')
    .slice(1)
    .map((part) => part.toUpperCase());
}

/** Chinese written in traditional characters: explicit script, or the regions where it is the norm. */
export function isTraditionalChinese(code: string): boolean {
  if (baseLanguage(code) !== 'zh') return false;
  const subtags = languageSubtags(code);
  if (subtags.includes('HANS')) return false;
  return subtags.some((part) => part === 'HANT' || part === 'TW' || part === 'HK' || part === 'MO');
}

const englishNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** An English name for prompts ("pt-BR" -> "Brazilian Portuguese"); the code itself when ICU has none. */
export function languageName(code: string): string {
  try {
    return englishNames.of(code) ?? code;
  } catch {
    return code;
  }
}
