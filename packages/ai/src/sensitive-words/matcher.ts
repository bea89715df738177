import AhoCorasick from 'modern-ahocorasick';
import { z } from 'zod';
import { canonicalize, type CanonicalText } from './canonical.ts';

export const SensitiveWordOptionsSchema = z.object({
  /**
   * Fold l33t look-alikes, stretched letters and spaced-out letters (default true); case,
   * accents and fullwidth forms always fold. See canonical.ts for exactly what is folded.
   */
  obfuscations: z.boolean().default(true),
});
export type SensitiveWordOptions = z.input<typeof SensitiveWordOptionsSchema>;

export const SensitiveWordSpanSchema = z.object({
  /** UTF-16 offsets into the original text. */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  text: z.string(),
  /** The word-list entry that matched, as it was written in the list. */
  entry: z.string(),
});
export type SensitiveWordSpan = z.infer<typeof SensitiveWordSpanSchema>;

interface Entry {
  entry: string;
  runs: number[];
  /** "word*": the entry may continue into a longer word ("idiot*" matches "idiots"). */
  openEnd: boolean;
  /** "*word": the entry may end a longer word. */
  openStart: boolean;
  unspacedStart: boolean;
  unspacedEnd: boolean;
}

export interface SensitiveWordMatcher {
  readonly size: number;
  readonly options: { obfuscations: boolean };
  /** Internal: the compiled automaton over canonical entries. */
  readonly automaton: AhoCorasick<Entry[]>;
}

const UNSPACED_LETTER = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Thai}]/u;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** A character that glues two words into one: a letter or digit of a script with spaces. */
function joinsWords(char: string | undefined): boolean {
  return char !== undefined && WORD_CHAR.test(char) && !UNSPACED_LETTER.test(char);
}

/**
 * Compiles a workspace word list once; reuse the matcher for every message. Entries are matched
 * case-insensitively; entries in alphabetic scripts match whole words only (a trailing or
 * leading `*` lets them run on: `idiot*`, `*phobic`), entries in Chinese, Japanese, Korean
 * or Thai match anywhere, since those scripts put no spaces between words.
 */
export function compileWordList(words: readonly string[], options: SensitiveWordOptions = {}): SensitiveWordMatcher {
  const parsed = SensitiveWordOptionsSchema.parse(options);
  const byKey = new Map<string, Entry[]>();
  for (const raw of words) {
    const trimmed = raw.trim();
    const openStart = trimmed.startsWith('*');
    const openEnd = trimmed.endsWith('*') && trimmed.length > 1;
    const body = trimmed.slice(openStart ? 1 : 0, openEnd ? -1 : undefined).trim();
    if (body === '') continue;
    const canonical = canonicalize(body, parsed);
    if (canonical.text === '') continue;
    const first = [...canonical.text][0];
    const last = [...canonical.text].at(-1);
    const entry: Entry = {
      entry: raw,
      runs: canonical.runs,
      openStart,
      openEnd,
      unspacedStart: first !== undefined && UNSPACED_LETTER.test(first),
      unspacedEnd: last !== undefined && UNSPACED_LETTER.test(last),
    };
    const existing = byKey.get(canonical.text);
    if (existing === undefined) byKey.set(canonical.text, [entry]);
    else existing.push(entry);
  }
  const automaton = new AhoCorasick<Entry[]>(
    [...byKey].map(([pattern, entries]) => ({ pattern, data: entries })),
  );
  return { size: byKey.size, options: parsed, automaton };
}

function accepts(entry: Entry, canonical: CanonicalText, start: number, end: number): boolean {
  for (let i = 0; i < end - start; i += 1) {
    if ((canonical.runs[start + i] ?? 1) < (entry.runs[i] ?? 1)) return false;
  }
  const before = canonical.text[start - 1];
  const after = canonical.text[end];
  if (!entry.openStart && !entry.unspacedStart && joinsWords(before)) return false;
  if (!entry.openEnd && !entry.unspacedEnd && joinsWords(after)) return false;
  return true;
}

/** Sensitive words in `text`, sorted, non-overlapping (the leftmost, then the longest wins). */
export function findSensitiveWords(matcher: SensitiveWordMatcher, text: string): SensitiveWordSpan[] {
  if (matcher.size === 0 || text === '') return [];
  const canonical = canonicalize(text, matcher.options);
  const hits: Array<{ start: number; end: number; entry: string }> = [];
  for (const match of matcher.automaton.search(canonical.text)) {
    const entry = match.data?.find((candidate) => accepts(candidate, canonical, match.start, match.end));
    if (entry === undefined) continue;
    let start = canonical.starts[match.start];
    let end = canonical.ends[match.end - 1];
    if (start === undefined || end === undefined) continue;
    // An open entry covers the whole word it starts or ends ("idiot*" covers "idiots").
    if (entry.openStart) while (start > 0 && joinsWords(text[start - 1])) start -= 1;
    if (entry.openEnd) while (end < text.length && joinsWords(text[end])) end += 1;
    hits.push({ start, end, entry: entry.entry });
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const spans: SensitiveWordSpan[] = [];
  for (const hit of hits) {
    const previous = spans.at(-1);
    if (previous !== undefined && hit.start < previous.end) continue;
    spans.push({ ...hit, text: text.slice(hit.start, hit.end) });
  }
  return spans;
}

export function containsSensitiveWord(matcher: SensitiveWordMatcher, text: string): boolean {
  return findSensitiveWords(matcher, text).length > 0;
}

export const CensorOptionsSchema = z.object({
  /** Put this instead of each match (for example "[censored]"). */
  replacement: z.string().optional(),
  /** Otherwise cover each letter with this character, keeping spaces and punctuation (default "*"). */
  maskChar: z.string().default('*'),
});
export type CensorOptions = z.input<typeof CensorOptionsSchema>;

/** The text with each sensitive word covered; everything else is left exactly as it was. */
export function censor(matcher: SensitiveWordMatcher, text: string, options: CensorOptions = {}): string {
  return coverSpans(text, findSensitiveWords(matcher, text), options);
}

/**
 * The text with each span covered, spans in any order (from several lists): where two overlap, the one that starts
 * first is covered to its end and the other only past that.
 */
export function coverSpans(text: string, spans: readonly Pick<SensitiveWordSpan, 'start' | 'end'>[], options: CensorOptions = {}): string {
  const { replacement, maskChar } = CensorOptionsSchema.parse(options);
  let result = '';
  let cursor = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start || b.end - a.end)) {
    if (span.end <= cursor) continue;
    const start = Math.max(span.start, cursor);
    const covered = replacement ?? text.slice(start, span.end).replace(/[^\s.\-_,·•~+|/\\]/gu, maskChar);
    result += text.slice(cursor, start) + covered;
    cursor = span.end;
  }
  return result + text.slice(cursor);
}
