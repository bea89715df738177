import type { WritingSystem } from './languages.ts';

export type Script = WritingSystem | 'Other';

// Script_Extensions for kana, so the long-vowel mark ー (shared by hiragana and katakana) counts as kana.
const SCRIPT_TESTS: readonly (readonly [Script, RegExp])[] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Han', /\p{Script=Han}/u],
  ['Kana', /[\p{Script_Extensions=Hiragana}\p{Script_Extensions=Katakana}]/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Bengali', /\p{Script=Bengali}/u],
  ['Tamil', /\p{Script=Tamil}/u],
];

const LETTER = /[\p{L}\p{M}]/u;
// Marks of no script of their own: combining accents, and the variation selectors that follow emoji.
const INHERITED = /\p{Script=Inherited}/u;

export function scriptOf(char: string): Script | null {
  if (!LETTER.test(char) || INHERITED.test(char)) return null;
  for (const [script, test] of SCRIPT_TESTS) if (test.test(char)) return script;
  return 'Other';
}

/** How many letters of each script the text has; digits, punctuation and emoji count for none. */
export function countScripts(text: string): Map<Script, number> {
  const counts = new Map<Script, number>();
  for (const char of text) {
    const script = scriptOf(char);
    if (script) counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  return counts;
}

// One Chinese, Japanese or Korean character carries about a syllable or a word, a Latin letter a sound:
// weighted up, "my order 订单号" is read as the Chinese it mostly says, not as the English of two words.
const WEIGHT: Partial<Record<Script, number>> = { Han: 3, Kana: 3, Hangul: 2 };

/**
 * The script the text is mostly written in, or null when it has no letters. Japanese mixes kana with Han
 * characters, so any kana makes Han text Japanese; Korean may mix Hangul with Han, so Hangul does the same.
 */
export function dominantScript(counts: ReadonlyMap<Script, number>): Script | null {
  let best: Script | null = null;
  let bestWeight = 0;
  for (const [script, count] of counts) {
    const weight = count * (WEIGHT[script] ?? 1);
    if (weight > bestWeight) {
      best = script;
      bestWeight = weight;
    }
  }
  if (best === 'Han') {
    if (counts.has('Kana')) return 'Kana';
    if (counts.has('Hangul')) return 'Hangul';
  }
  return best;
}
