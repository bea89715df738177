import { isIPv4, isIPv6 } from 'node:net';
import { WORD_CHAR } from './boundaries.ts';
import type { PiiCandidate } from './types.ts';

// Neither a digit nor a dot-and-digit may touch a dotted quad: "1.2.3.4.5" is no address.
const IPV4_CANDIDATE = new RegExp(`(?<!${WORD_CHAR}|\\.|\\d\\.)\\d{1,3}(?:\\.\\d{1,3}){3}(?!${WORD_CHAR}|\\.\\d)`, 'gu');
const IPV6_CANDIDATE = new RegExp(
  `(?<!${WORD_CHAR}|[:.])(?:[0-9a-f]{0,4}:){2,7}(?:\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9a-f]{1,4})?(?:%[\\w.]+)?(?!${WORD_CHAR}|:|\\.\\d)`,
  'giu',
);

/**
 * Software versions look like dotted quads ("v1.2.3.4", "version 10.0.19041.1"). A quad right
 * after one of these words is read as a version, not an address; anywhere else it is an
 * address, because a log line or a chat message naming a host's address is what we must mask.
 */
const VERSION_CONTEXT = /(?:\bv|\b(?:version|ver|build|release|firmware|update|app|ios|android|windows|chrome|firefox|safari)\s*)[:#]?\s*$/iu;

function looksLikeVersion(text: string, start: number): boolean {
  return VERSION_CONTEXT.test(text.slice(Math.max(0, start - 24), start));
}

export function findIpAddresses(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  for (const match of text.matchAll(IPV4_CANDIDATE)) {
    if (!isIPv4(match[0]) || looksLikeVersion(text, match.index)) continue;
    found.push({ type: 'ip_address', start: match.index, end: match.index + match[0].length });
  }
  for (const match of text.matchAll(IPV6_CANDIDATE)) {
    const address = match[0];
    const zoneless = address.split('%')[0] ?? address;
    const groups = zoneless.split(':').filter((group) => group !== '');
    // "::" and "a::b" are valid IPv6 but read as punctuation or code in chat ("std::move").
    if (!isIPv6(zoneless) || groups.length < 2 || !/\d/u.test(zoneless)) continue;
    found.push({ type: 'ip_address', start: match.index, end: match.index + address.length });
  }
  return found;
}
