import { createHash } from 'node:crypto';
import { decodeHTML, decodeXML } from 'entities';

/**
 * Terms that are never translated (brand and product names). Before a text goes to a provider, each occurrence
 * is wrapped in the markup that provider documents for "leave this alone"; after, the markup is checked and
 * replaced by the occurrence exactly as the customer wrote it.
 */
export interface Glossary {
  /** The terms, trimmed, de-duplicated (case-insensitively) and sorted. */
  readonly terms: readonly string[];
  /** Changes whenever the terms do, so the translation memory never serves a translation made under other terms. */
  readonly version: string;
  /** Occurrences in `text`, left to right, never overlapping; the longest term wins where several start together. */
  find(text: string): TermSpan[];
}

export interface TermSpan {
  start: number;
  end: number;
}

export const EMPTY_GLOSSARY_VERSION = 'none';

/**
 * Scripts written without spaces between words: a term in them matches anywhere, and a Latin term next to them
 * still counts as a whole word ("我买了Signalbox手机").
 */
const UNSPACED = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}';
const WORD_CHAR = `(?:(?![${UNSPACED}])[\\p{L}\\p{M}\\p{N}_])`;
const spacedWordChar = new RegExp(`^${WORD_CHAR}$`, 'u');

export function compileGlossary(input: readonly string[]): Glossary {
  const byKey = new Map<string, string>();
  for (const raw of input) {
    const term = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
    if (term && !byKey.has(term.toLowerCase())) byKey.set(term.toLowerCase(), term);
  }
  const terms = [...byKey.values()].sort((a, b) => a.localeCompare(b, 'en'));
  if (terms.length === 0) return { terms, version: EMPTY_GLOSSARY_VERSION, find: () => [] };

  const version = `g${createHash('sha256').update(JSON.stringify([...byKey.keys()].sort())).digest('hex').slice(0, 16)}`;
  // Longest first, so "Apple Pay" wins over "Apple" where both match at the same place.
  const alternatives = [...terms].sort((a, b) => b.length - a.length).map(termPattern);
  const pattern = new RegExp(alternatives.join('|'), 'giu');

  return {
    terms,
    version,
    find(text: string): TermSpan[] {
      const spans: TermSpan[] = [];
      for (const match of text.normalize('NFC').matchAll(pattern)) {
        if (match[0].length > 0) spans.push({ start: match.index, end: match.index + match[0].length });
      }
      return spans;
    },
  };
}

/** A term as a regular expression: spaces match any run of whitespace; word-like ends must not touch a letter. */
function termPattern(term: string): string {
  const body = term
    .split(' ')
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  const first = Array.from(term)[0] ?? '';
  const last = Array.from(term).at(-1) ?? '';
  const before = spacedWordChar.test(first) ? `(?<!${WORD_CHAR})` : '';
  const after = spacedWordChar.test(last) ? `(?!${WORD_CHAR})` : '';
  return `${before}${body}${after}`;
}

/**
 * How a provider is told not to translate a span:
 * - `xml`: DeepL's XML tag handling with `ignore_tags=x`; the rest of the text is XML-escaped.
 * - `html`: HTML with `translate="no"` (Google's and LibreTranslate's HTML formats); the rest is HTML-escaped.
 * - `inline`: the same `<x>` element in otherwise plain text, for a language model told to keep it.
 */
export type GlossaryMarkup = 'xml' | 'html' | 'inline';

export interface ProtectedText {
  text: string;
  /** The protected occurrences as written in the source, by placeholder id. */
  originals: string[];
}

export function protectTerms(text: string, spans: readonly TermSpan[], markup: GlossaryMarkup): ProtectedText {
  const source = text.normalize('NFC');
  const escape = markup === 'inline' ? (value: string) => value : escapeMarkup;
  const originals: string[] = [];
  let out = '';
  let at = 0;
  for (const span of spans) {
    const original = source.slice(span.start, span.end);
    const id = `t${originals.length}`;
    out += escape(source.slice(at, span.start));
    out += markup === 'html' ? `<span translate="no" id="${id}">${escape(original)}</span>` : `<x id="${id}">${escape(original)}</x>`;
    originals.push(original);
    at = span.end;
  }
  return { text: out + escape(source.slice(at)), originals };
}

/** Escapes what would otherwise be read as markup; enough for both XML and HTML text content. */
export function escapeMarkup(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** How a provider's output text must be decoded outside the protected spans. */
export type OutputDecoding = 'xml' | 'html' | 'none';

export type RestoreResult = { ok: true; text: string } | { ok: false; missing: number[]; unexpected: number[] };

const OPENING = '<(x|span)\\b([^<>]*?)(\\/?)>';
const OUR_ID = /\bid\s*=\s*["']?t(\d+)\b/iu;

/**
 * Puts the original occurrences back in place of their placeholders and decodes the rest. Fails (so the caller
 * can fall back) when a placeholder is missing or one appears that we never sent; tolerates the harmless changes
 * providers make (quotes, spacing, a self-closed element, attributes added).
 */
export function restoreTerms(translated: string, originals: readonly string[], decoding: OutputDecoding): RestoreResult {
  const decode = decoding === 'xml' ? decodeXML : decoding === 'html' ? decodeHTML : (value: string) => value;
  const seen = new Set<number>();
  const unexpected: number[] = [];
  let out = '';
  let at = 0;
  const opening = new RegExp(OPENING, 'giu');
  for (let match = opening.exec(translated); match !== null; match = opening.exec(translated)) {
    const idMatch = OUR_ID.exec(match[2] ?? '');
    if (!idMatch) continue;
    const id = Number(idMatch[1]);
    let end = match.index + match[0].length;
    if (match[3] !== '/') {
      const closing = new RegExp(`</${match[1]}\\s*>`, 'iu');
      const close = closing.exec(translated.slice(end));
      if (close) end += close.index + close[0].length;
    }
    out += decode(translated.slice(at, match.index));
    const original = originals[id];
    if (original === undefined) unexpected.push(id);
    else {
      out += original;
      seen.add(id);
    }
    at = end;
    opening.lastIndex = end;
  }
  out += decode(translated.slice(at));
  const missing = originals.map((_, id) => id).filter((id) => !seen.has(id));
  if (missing.length > 0 || unexpected.length > 0) return { ok: false, missing, unexpected };
  return { ok: true, text: out };
}

export interface TextPiece {
  text: string;
  term: boolean;
}

/** Cuts a text at its term occurrences, for translating the pieces between them when markup did not survive. */
export function splitAtTerms(text: string, spans: readonly TermSpan[]): TextPiece[] {
  const source = text.normalize('NFC');
  const pieces: TextPiece[] = [];
  let at = 0;
  for (const span of spans) {
    if (span.start > at) pieces.push({ text: source.slice(at, span.start), term: false });
    pieces.push({ text: source.slice(span.start, span.end), term: true });
    at = span.end;
  }
  if (at < source.length) pieces.push({ text: source.slice(at), term: false });
  return pieces;
}
