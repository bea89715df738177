import { z } from 'zod';

/**
 * The languages the detector can answer, in the order ties are broken (a text that reads the same in two
 * languages goes to the one listed first, unless the caller prefers the other). The set is the one measured
 * by `packages/ai/eval/langid.ts`: a language is here when the detector tells it apart from its neighbours on
 * two-word snippets; Norwegian is not, because on short text it cannot be told from Danish.
 */
export const SUPPORTED_LANGUAGES = [
  { code: 'en', name: 'English', nativeName: 'English', script: 'Latin' },
  { code: 'zh', name: 'Chinese', nativeName: '中文', script: 'Han' },
  { code: 'es', name: 'Spanish', nativeName: 'Español', script: 'Latin' },
  { code: 'de', name: 'German', nativeName: 'Deutsch', script: 'Latin' },
  { code: 'fr', name: 'French', nativeName: 'Français', script: 'Latin' },
  { code: 'ja', name: 'Japanese', nativeName: '日本語', script: 'Kana' },
  { code: 'pt', name: 'Portuguese', nativeName: 'Português', script: 'Latin' },
  { code: 'ar', name: 'Arabic', nativeName: 'العربية', script: 'Arabic' },
  { code: 'ru', name: 'Russian', nativeName: 'Русский', script: 'Cyrillic' },
  { code: 'it', name: 'Italian', nativeName: 'Italiano', script: 'Latin' },
  { code: 'nl', name: 'Dutch', nativeName: 'Nederlands', script: 'Latin' },
  { code: 'tr', name: 'Turkish', nativeName: 'Türkçe', script: 'Latin' },
  { code: 'pl', name: 'Polish', nativeName: 'Polski', script: 'Latin' },
  { code: 'ko', name: 'Korean', nativeName: '한국어', script: 'Hangul' },
  { code: 'vi', name: 'Vietnamese', nativeName: 'Tiếng Việt', script: 'Latin' },
  { code: 'th', name: 'Thai', nativeName: 'ไทย', script: 'Thai' },
  // Indonesian before Malay: for the many texts that read the same in both, it has several times the speakers.
  { code: 'id', name: 'Indonesian', nativeName: 'Bahasa Indonesia', script: 'Latin' },
  { code: 'ms', name: 'Malay', nativeName: 'Bahasa Melayu', script: 'Latin' },
  { code: 'hi', name: 'Hindi', nativeName: 'हिन्दी', script: 'Devanagari' },
  { code: 'sv', name: 'Swedish', nativeName: 'Svenska', script: 'Latin' },
  { code: 'uk', name: 'Ukrainian', nativeName: 'Українська', script: 'Cyrillic' },
  { code: 'cs', name: 'Czech', nativeName: 'Čeština', script: 'Latin' },
  { code: 'el', name: 'Greek', nativeName: 'Ελληνικά', script: 'Greek' },
  { code: 'he', name: 'Hebrew', nativeName: 'עברית', script: 'Hebrew' },
  { code: 'ro', name: 'Romanian', nativeName: 'Română', script: 'Latin' },
  { code: 'hu', name: 'Hungarian', nativeName: 'Magyar', script: 'Latin' },
  { code: 'da', name: 'Danish', nativeName: 'Dansk', script: 'Latin' },
  { code: 'fi', name: 'Finnish', nativeName: 'Suomi', script: 'Latin' },
  { code: 'bg', name: 'Bulgarian', nativeName: 'Български', script: 'Cyrillic' },
  { code: 'fa', name: 'Persian', nativeName: 'فارسی', script: 'Arabic' },
  { code: 'bn', name: 'Bengali', nativeName: 'বাংলা', script: 'Bengali' },
  { code: 'tl', name: 'Tagalog', nativeName: 'Tagalog', script: 'Latin' },
  { code: 'ta', name: 'Tamil', nativeName: 'தமிழ்', script: 'Tamil' },
  { code: 'lt', name: 'Lithuanian', nativeName: 'Lietuvių', script: 'Latin' },
  { code: 'lv', name: 'Latvian', nativeName: 'Latviešu', script: 'Latin' },
  { code: 'et', name: 'Estonian', nativeName: 'Eesti', script: 'Latin' },
] as const;

export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];
export type LanguageCode = SupportedLanguage['code'];
export type WritingSystem = SupportedLanguage['script'];

const CODES: LanguageCode[] = SUPPORTED_LANGUAGES.map((language) => language.code);

/** A supported ISO 639-1 code, for node configs and API input. */
export const languageCodeSchema = z.enum(CODES);

export function isSupportedLanguage(code: string): code is LanguageCode {
  return languageCodeSchema.safeParse(code).success;
}
