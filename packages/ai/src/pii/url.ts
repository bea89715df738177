import { WORD_CHAR } from './boundaries.ts';
import type { PiiCandidate } from './types.ts';

const URL_CANDIDATE = new RegExp(`(?<!${WORD_CHAR})(?:(?:https?|ftp)://|www\\.)[^\\s<>"'\`]+`, 'giu');
const TRAILING_PUNCTUATION = /[.,;:!?'"»”’)\]}>]+$/u;

/** A URL ends before sentence punctuation, but keeps a closing bracket it opened itself. */
function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const trailing = TRAILING_PUNCTUATION.exec(url);
    if (trailing === null) return url;
    const closer = url.at(-1);
    const opener = closer === ')' ? '(' : closer === ']' ? '[' : closer === '}' ? '{' : undefined;
    if (opener !== undefined && countOf(url, opener) >= countOf(url, closer ?? '')) return url;
    url = url.slice(0, -1);
  }
}

function countOf(text: string, char: string): number {
  let count = 0;
  for (const c of text) if (c === char) count += 1;
  return count;
}

function hasValidHost(url: string): boolean {
  try {
    const parsed = new URL(/^www\./iu.test(url) ? `http://${url}` : url);
    return parsed.hostname.includes('.') || parsed.hostname.startsWith('[');
  } catch {
    return false;
  }
}

export function findUrls(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const url = trimUrl(match[0]);
    if (!hasValidHost(url)) continue;
    found.push({ type: 'url', start: match.index, end: match.index + url.length });
  }
  return found;
}
