import { WORD_CHAR } from './boundaries.ts';
import type { PiiCandidate } from './types.ts';

const SSN_DASHED = new RegExp(`(?<!${WORD_CHAR}|-)(\\d{3})-(\\d{2})-(\\d{4})(?!${WORD_CHAR}|-\\d)`, 'gu');
const SSN_UNDASHED = new RegExp(`(?<!${WORD_CHAR}|-)(\\d{3})[ \\u00a0]?(\\d{2})[ \\u00a0]?(\\d{4})(?!${WORD_CHAR})`, 'gu');
const SSN_CONTEXT = /\b(?:ssn|ssns|social security(?: number| no\.?| #)?|social sec\.?|tax id|itin)\b[^\n]{0,20}$/iu;

/**
 * The Social Security Administration never issues area 000, 666 or 900-999, group 00 or
 * serial 0000; numbers that break these rules are not SSNs whatever their shape.
 */
export function isPlausibleSsn(area: string, group: string, serial: string): boolean {
  const areaNumber = Number(area);
  return (
    areaNumber !== 0 && areaNumber !== 666 && areaNumber < 900 && group !== '00' && serial !== '0000'
  );
}

/**
 * The dashed 3-2-4 form is distinctive enough on its own. Nine digits undashed or spaced are
 * as likely an order or phone number, so they count only after a word such as "SSN".
 */
export function findUsSsns(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  for (const match of text.matchAll(SSN_DASHED)) {
    const [whole, area = '', group = '', serial = ''] = match;
    if (isPlausibleSsn(area, group, serial)) {
      found.push({ type: 'us_ssn', start: match.index, end: match.index + whole.length });
    }
  }
  for (const match of text.matchAll(SSN_UNDASHED)) {
    const [whole, area = '', group = '', serial = ''] = match;
    const before = text.slice(Math.max(0, match.index - 40), match.index);
    if (isPlausibleSsn(area, group, serial) && SSN_CONTEXT.test(before)) {
      found.push({ type: 'us_ssn', start: match.index, end: match.index + whole.length });
    }
  }
  return found;
}
