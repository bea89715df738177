import { decodeHTML } from 'entities';

// ---------------------------------------------------------------------------------------------------------------
// Markdown to plain text
// ---------------------------------------------------------------------------------------------------------------

export interface MarkdownToPlainTextOptions {
  /** Keep a link's address after its text, `text (https://…)`: a chat answer needs it, a search index does not. */
  urls?: boolean;
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const HEADING = /^\s{0,3}#{1,6}(\s+|$)/;
const CLOSING_HASHES = /\s+#+\s*$/;
const RULE_OR_UNDERLINE = /^\s{0,3}(?:(?:[-*_]\s*){3,}|=+|-+)\s*$/;
const QUOTE = /^\s{0,3}>\s?/;
const BULLET = /^(\s*)[-*+]\s+(?:\[[ xX]\]\s+)?/;
const NUMBERED = /^(\s*)(\d{1,9})[.)]\s+/;
const TABLE_DIVIDER = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;
const REFERENCE_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s+\S+/;

function inline(text: string, options: MarkdownToPlainTextOptions): string {
  return (
    text
      .replace(/`+([^`]+?)`+/g, '$1')
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, (_, label: string, url: string) =>
        options.urls && label !== url && !url.startsWith('#') ? `${label} (${url})` : label,
      )
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
      .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
      .replace(/<([^@\s<>]+@[^@\s<>]+)>/g, '$1')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/?[A-Za-z][^<>]*>/g, '')
      .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
      .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
      .replace(/\*(?=\S)([^*]*?\S)\*/g, '$1')
      // `_` emphasises only at word edges: snake_case names keep theirs.
      .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_]*?\S)_(?![\p{L}\p{N}_])/gu, '$1$2')
      .replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, '$1')
  );
}

/**
 * A markdown article as the plain text a chat shows: headings, emphasis, quotes, tables, code fences and HTML
 * markup dropped; list items kept on their lines as `- item` and `1. item`; paragraphs kept apart by a blank line.
 */
export function markdownToPlainText(markdown: string, options: MarkdownToPlainTextOptions = {}): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const fenceMark = FENCE.exec(raw)?.[1];
    if (fenceMark !== undefined && (fence === null || fenceMark.startsWith(fence))) {
      fence = fence === null ? (fenceMark[0] ?? '`').repeat(3) : null;
      continue;
    }
    if (fence !== null) {
      out.push(raw);
      continue;
    }
    let line = raw;
    while (QUOTE.test(line)) line = line.replace(QUOTE, '');
    if (RULE_OR_UNDERLINE.test(line) || TABLE_DIVIDER.test(line) || REFERENCE_DEFINITION.test(line)) continue;
    if (HEADING.test(line)) line = line.replace(HEADING, '').replace(CLOSING_HASHES, '');
    line = line.replace(BULLET, '$1- ').replace(NUMBERED, '$1$2. ');
    if (/^\s*\|.*\|\s*$/.test(line)) line = line.trim().slice(1, -1).split('|').map((cell) => cell.trim()).join(' | ');
    out.push(decodeHTML(inline(line, options)).replace(/[ \t]+/g, ' ').trimEnd());
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Scripts written without spaces: character bigrams
// ---------------------------------------------------------------------------------------------------------------

// Chinese, Japanese and Korean share a run (Japanese mixes kanji and kana inside one word; the long-vowel mark ー
// is in both kana blocks). Thai, Lao, Khmer and Myanmar each form their own.
const UNSPACED: readonly (readonly [string, RegExp])[] = [
  ['cjk', /[\p{Script=Han}\p{Script_Extensions=Hiragana}\p{Script_Extensions=Katakana}\p{Script=Hangul}]/u],
  ['thai', /\p{Script=Thai}/u],
  ['lao', /\p{Script=Lao}/u],
  ['khmer', /\p{Script=Khmer}/u],
  ['myanmar', /\p{Script=Myanmar}/u],
];
const ANY_UNSPACED = /[\p{Script=Han}\p{Script_Extensions=Hiragana}\p{Script_Extensions=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const LETTER = /[\p{L}\p{N}]/u;

function unspacedRun(grapheme: string): string | null {
  if (!LETTER.test(grapheme)) return null;
  for (const [run, test] of UNSPACED) if (test.test(grapheme)) return run;
  return null;
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * Splits every run of Chinese, Japanese, Korean, Thai (and Lao, Khmer, Myanmar) letters into overlapping
 * two-character words (`退货政策` -> `退货 货政 政策`); a lone character stays as it is. Postgres has no parser for
 * these scripts and would index a whole run as one word; bigrams, as Lucene's CJK analyzer makes them, find a word
 * inside a sentence without a dictionary. Characters are graphemes, so a Thai consonant keeps its vowel marks.
 * Other text is left alone. Indexing and querying must both use this.
 */
export function segmentUnspaced(text: string): string {
  if (!ANY_UNSPACED.test(text)) return text;
  let out = '';
  let run: string[] = [];
  let runKind: string | null = null;
  const flush = () => {
    if (run.length === 1) out += ` ${run[0]} `;
    else if (run.length > 1) out += ` ${run.slice(1).map((g, i) => `${run[i]}${g}`).join(' ')} `;
    run = [];
    runKind = null;
  };
  for (const { segment } of graphemes.segment(text)) {
    const kind = unspacedRun(segment);
    if (kind !== null && kind === runKind) {
      run.push(segment);
      continue;
    }
    flush();
    if (kind === null) {
      out += segment;
    } else {
      run = [segment];
      runKind = kind;
    }
  }
  flush();
  return out.replace(/ {2,}/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Search text
// ---------------------------------------------------------------------------------------------------------------

/**
 * Latin letters without their accents (`devolución` -> `devolucion`): customers often type without them. Only
 * Latin: in Japanese the same decomposition would turn が into か, and Cyrillic й is a letter of its own.
 */
export function foldLatinAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .normalize('NFC');
}

/**
 * Markdown (or a plain question) as the text Postgres indexes: plain text, compatibility forms unified (full-width
 * ＰａｙＰａｌ is PayPal), and unspaced scripts split into bigrams.
 */
export function searchableText(markdown: string): string {
  return segmentUnspaced(markdownToPlainText(markdown).normalize('NFKC'));
}

/**
 * The words of a searchable text, lowercased, in order, with repeats: runs of letters, digits and marks (an
 * apostrophe or hyphen splits a word, as Postgres's parser also splits it).
 */
export function searchableWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu) ?? [];
}
