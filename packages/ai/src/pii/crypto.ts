import { validate } from 'bitcoin-address-validation';
import { WORD_CHAR } from './boundaries.ts';
import type { PiiCandidate } from './types.ts';

// Base58 (P2PKH "1…", P2SH "3…", testnet "m/n/2…") and bech32 ("bc1…", "tb1…") shapes; the
// library then checks the Base58Check or bech32/bech32m checksum, so random words never pass.
const BTC_CANDIDATE = new RegExp(
  `(?<!${WORD_CHAR})(?:[13mn2][1-9A-HJ-NP-Za-km-z]{25,34}|(?:bc|tb)1[02-9ac-hj-np-z]{8,87}|(?:BC|TB)1[02-9AC-HJ-NP-Z]{8,87})(?!${WORD_CHAR})`,
  'gu',
);

export function findCryptoAddresses(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  for (const match of text.matchAll(BTC_CANDIDATE)) {
    if (validate(match[0])) found.push({ type: 'crypto', start: match.index, end: match.index + match[0].length });
  }
  return found;
}
