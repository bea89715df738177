import { WORD_CHAR, spacedClass } from './boundaries.ts';
import type { PiiCandidate } from './types.ts';

// Letters and digits of any script are allowed (RFC 6531 internationalised addresses).
// The lookbehind keeps us from starting inside a longer local part; the lookahead stops a
// TLD from being cut out of a longer word ("bob@example.community" is one address).
const LOCAL_EDGE = spacedClass('\\p{L}\\p{N}_%+\\-');
const LOCAL_INNER = spacedClass("\\p{L}\\p{N}._%+'\\-");
const LABEL_EDGE = spacedClass('\\p{L}\\p{N}');
const LABEL_INNER = spacedClass('\\p{L}\\p{N}\\-');
const TLD_LETTER = spacedClass('\\p{L}');
const EMAIL = new RegExp(
  `(?<!${spacedClass('\\p{L}\\p{N}._%+\\-')})${LOCAL_EDGE}(?:${LOCAL_INNER}{0,62}${LOCAL_EDGE})?` +
    `@(?:${LABEL_EDGE}(?:${LABEL_INNER}{0,61}${LABEL_EDGE})?\\.)+${TLD_LETTER}{2,63}` +
    `(?!${WORD_CHAR}|-|\\.${LABEL_EDGE})`,
  'gu',
);

export function findEmails(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  for (const match of text.matchAll(EMAIL)) {
    const local = match[0].slice(0, match[0].indexOf('@'));
    // RFC 5321: dots separate atoms, so ".." never appears in an unquoted local part.
    if (local.includes('..')) continue;
    found.push({ type: 'email', start: match.index, end: match.index + match[0].length });
  }
  return found;
}
