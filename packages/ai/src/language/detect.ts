import { SUPPORTED_LANGUAGES } from './languages.ts';
import type { LanguageCode, SupportedLanguage } from './languages.ts';
import { malayVarietyEvidence } from './malay.ts';
import { orthographyFactor } from './orthography.ts';
import { countScripts, dominantScript, scriptOf } from './scripts.ts';
import type { Script } from './scripts.ts';

/**
 * An n-gram model's view of a text: for each language it knows, a score that grows with how likely the text
 * is in that language (0 or absent when nothing matched). Scores of different languages must be comparable.
 */
export type LanguageScorer = (text: string) => ReadonlyMap<string, number>;

export interface DetectLanguageOptions {
  /**
   * Only these languages may be answered (ISO 639-1); unsupported codes are ignored. Absent or empty: all
   * supported languages, so a node whose list was left empty restricts nothing.
   */
  candidates?: readonly string[];
  /**
   * Languages to favour when the text reads alike in several, e.g. the contact's locale or the conversation's
   * language so far. It settles near ties (Indonesian or Malay, Danish or Swedish); it never outweighs a
   * text that is clearly another language.
   */
  prefer?: readonly string[];
}

export interface LanguageDetection {
  /** ISO 639-1, or null when the text has no letters or none in a script of an allowed language. */
  language: LanguageCode | null;
  /** 0..1, the share of the evidence for `language` among the allowed languages. */
  confidence: number;
  /** The next likeliest languages, best first. */
  alternatives: { language: LanguageCode; confidence: number }[];
}

const UNKNOWN: LanguageDetection = { language: null, confidence: 0, alternatives: [] };

// What a chat message carries that is no language: links, addresses, handles.
const NOT_WORDS = /(?:https?:\/\/|www\.)\S+|\S+@\S+\.\S+|[@#]\S+/giu;
const NOT_LETTERS = /[^\p{L}\p{M}'’-]+/gu;
const WORD = /[\p{L}\p{M}]+(?:-[\p{L}\p{M}]+)*/gu;

const MAX_CHARS = 1000;
// A preferred language's score is doubled: enough to win a tie, far from enough to turn a clear answer.
const PREFERENCE = 2;
// Each word only Indonesian or only Malay uses moves the score five times towards that one.
const VARIETY_WORD = 5;
// Scores are raised to this power before they are shared out as confidences: n-gram scores of related
// languages lie close together, and their plain shares would call a clear answer a coin toss.
const SHARPNESS = 3;
const MAX_ALTERNATIVES = 3;

/** Scripts several supported languages write; in the others the script alone names the language. */
const SHARED_SCRIPTS: ReadonlySet<Script> = new Set(
  SUPPORTED_LANGUAGES.map((language) => language.script).filter(
    (script, index, scripts) => scripts.indexOf(script) !== index,
  ),
);

function allowedLanguages(candidates: readonly string[] | undefined): SupportedLanguage[] {
  if (!candidates || candidates.length === 0) return [...SUPPORTED_LANGUAGES];
  const wanted = new Set(candidates);
  return SUPPORTED_LANGUAGES.filter((language) => wanted.has(language.code));
}

function languagesWriting(script: Script, allowed: readonly SupportedLanguage[]): SupportedLanguage[] {
  const writers = allowed.filter((language) => language.script === script);
  // Japanese can be written in Han characters alone; when Chinese is not allowed it is the reading left.
  if (writers.length === 0 && script === 'Han') return allowed.filter((language) => language.script === 'Kana');
  return writers;
}

function lettersOf(text: string, script: Script): Set<string> {
  const letters = new Set<string>();
  for (const char of text) if (scriptOf(char) === script) letters.add(char);
  return letters;
}

function shareOut(scores: Map<LanguageCode, number>): LanguageDetection {
  const ranked = [...scores.entries()].filter(([, score]) => score > 0);
  // A stable sort, so equal scores keep the order of SUPPORTED_LANGUAGES.
  ranked.sort((a, b) => b[1] - a[1]);
  const [best] = ranked;
  if (!best) return UNKNOWN;
  const top = best[1];
  const weights = ranked.map(([language, score]) => [language, (score / top) ** SHARPNESS] as const);
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  const [first, ...rest] = weights.map(([language, weight]) => ({ language, confidence: weight / total }));
  if (!first) return UNKNOWN;
  return {
    language: first.language,
    confidence: first.confidence,
    alternatives: rest.slice(0, MAX_ALTERNATIVES),
  };
}

/**
 * The language of a short text. The script decides alone where one allowed language writes it (Hangul is
 * Korean, kana Japanese, Han characters without kana Chinese); otherwise the n-gram scorer ranks the
 * languages of that script, letters a language never writes count against it, and the words that only
 * Indonesian or only Malay use split those two, which n-gram models confuse.
 */
export function identifyLanguage(
  text: string,
  scorer: LanguageScorer,
  options: DetectLanguageOptions = {},
): LanguageDetection {
  const cleaned = text.slice(0, MAX_CHARS).normalize('NFC').toLowerCase().replace(NOT_WORDS, ' ');
  const script = dominantScript(countScripts(cleaned));
  if (!script) return UNKNOWN;
  const languages = languagesWriting(script, allowedLanguages(options.candidates));
  const [first] = languages;
  if (!first) return UNKNOWN;
  if (languages.length === 1 && !SHARED_SCRIPTS.has(script)) {
    return { language: first.code, confidence: 1, alternatives: [] };
  }

  const letters = cleaned.replace(NOT_LETTERS, ' ').trim();
  const modelScores = scorer(letters);
  const scriptLetters = lettersOf(letters, script);
  const preferred = new Set(options.prefer ?? []);
  const scores = new Map<LanguageCode, number>();
  for (const { code } of languages) {
    const factor = orthographyFactor(code, script, scriptLetters) * (preferred.has(code) ? PREFERENCE : 1);
    scores.set(code, (modelScores.get(code) ?? 0) * factor);
  }

  const indonesian = scores.get('id');
  const malay = scores.get('ms');
  if (indonesian !== undefined && malay !== undefined) {
    const evidence = malayVarietyEvidence(letters.match(WORD) ?? []);
    const lean = VARIETY_WORD ** (evidence.id - evidence.ms);
    scores.set('id', indonesian * Math.min(lean, 1));
    scores.set('ms', malay / Math.max(lean, 1));
  }
  return shareOut(scores);
}
