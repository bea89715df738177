/**
 * Postgres text-search configurations by ISO 639-1 code: the snowball stemmers that both Postgres 15 and the
 * embedded PGlite ship (`SELECT cfgname FROM pg_ts_config`; the db tests check every name here exists).
 * Languages without one are indexed with `simple` (lowercased words, no stemming, no stop words), which is also
 * right for Chinese, Japanese, Korean and Thai once their text is split into character bigrams.
 */
export const FTS_CONFIGS = {
  ar: 'arabic',
  ca: 'catalan',
  da: 'danish',
  de: 'german',
  el: 'greek',
  en: 'english',
  es: 'spanish',
  eu: 'basque',
  fi: 'finnish',
  fr: 'french',
  ga: 'irish',
  hi: 'hindi',
  hu: 'hungarian',
  hy: 'armenian',
  id: 'indonesian',
  it: 'italian',
  lt: 'lithuanian',
  // Malay shares Indonesian's affixes (me-, ber-, -kan, -an), which is what the Indonesian stemmer strips.
  ms: 'indonesian',
  nb: 'norwegian',
  ne: 'nepali',
  nl: 'dutch',
  nn: 'norwegian',
  no: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
} as const satisfies Record<string, string>;

export type FtsConfig = (typeof FTS_CONFIGS)[keyof typeof FTS_CONFIGS] | 'simple';

const BY_CODE = new Map<string, FtsConfig>(Object.entries(FTS_CONFIGS));

/** The configuration for a language code (`es`, `pt-BR`, `zh_Hant`); `simple` when Postgres has no stemmer for it. */
export function ftsConfigFor(language: string): FtsConfig {
  const primary = language.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return BY_CODE.get(primary) ?? 'simple';
}
