import type { Attachment, OutboundMessage } from '@signalbox/nodes';

/**
 * What the SMS channels (Twilio, Bandwidth) share on the way out: SMS has no buttons, lists or templates, so
 * every outbound message becomes plain text (choices as numbered options the customer answers with a digit;
 * the ask-question node accepts "2" as the second choice) plus at most one media URL (MMS); and a long text is
 * split into several messages that each stay within the platform's character limit and a segment budget.
 *
 * Segments: carriers carry an SMS in 140-byte segments, 160 GSM-7 characters or 70 UCS-2 code units alone, 153
 * or 67 once concatenated (the User Data Header takes 6 bytes). One character outside GSM-7 (an emoji, a curly
 * quote, any CJK) turns the whole message into UCS-2, so 1600 characters of Chinese would be 24 segments, each
 * billed, and many carriers reassemble no more than about 10. Hence a part must fit both limits.
 */

export interface SmsText {
  /** The whole text to send, options included; '' when the message is only media. */
  text: string;
  attachment: Attachment | null;
  degraded: string[];
}

export interface TextLimits {
  /** The platform's hard limit per message, in UTF-16 code units (Twilio 1600, Bandwidth 2048). */
  maxChars: number;
  /** The segment budget of one part; absent where segments do not apply (WhatsApp via Twilio). */
  maxSegments?: number;
}

export interface SegmentCount {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets for GSM-7 (an extension character takes two), UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
}

/** "1. Yes\n2. No": the digit is what the customer types back. */
export function numberedOptions(titles: readonly string[], first = 1): string {
  return titles.map((title, index) => `${first + index}. ${title}`).join('\n');
}

/** The text an SMS carries for any outbound message, and what was lost on the way. */
export function composeSmsText(message: OutboundMessage): SmsText {
  switch (message.type) {
    case 'text': {
      const kind = message.quickReplies ? 'quick replies' : 'buttons';
      return withOptions(message.text, message.buttons.map((b) => b.title), null, kind);
    }
    case 'media':
      return withOptions(message.caption ?? '', message.buttons.map((b) => b.title), message.attachment, 'buttons');
    case 'list':
      return listText(message);
    case 'template':
      return { text: message.fallbackText, attachment: null, degraded: [`template "${message.name}" sent as its fallback text`] };
    default: {
      const unreachable: never = message;
      return unreachable;
    }
  }
}

function withOptions(text: string, titles: string[], attachment: Attachment | null, kind: string): SmsText {
  if (titles.length === 0) return { text, attachment, degraded: [] };
  const options = numberedOptions(titles);
  return { text: joinBlocks(text, options), attachment, degraded: [`${titles.length} ${kind} sent as numbered options`] };
}

/** Rows are numbered across sections (1..n), in order, so a digit names one row; section titles head their rows. */
function listText(message: Extract<OutboundMessage, { type: 'list' }>): SmsText {
  const titled = message.sections.length > 1;
  let next = 1;
  const blocks = message.sections
    .filter((section) => section.rows.length > 0)
    .map((section) => {
      const rows = numberedOptions(
        section.rows.map((row) => (row.description ? `${row.title} - ${row.description}` : row.title)),
        next,
      );
      next += section.rows.length;
      return titled && section.title ? `${section.title}\n${rows}` : rows;
    });
  const count = next - 1;
  return {
    text: joinBlocks(message.text, ...blocks),
    attachment: null,
    degraded: [`list "${message.buttonTitle}" sent as ${count} numbered options`],
  };
}

function joinBlocks(...blocks: string[]): string {
  return blocks.filter((block) => block !== '').join('\n\n');
}

// GSM 03.38 default alphabet and its extension table (each extension character costs an escape septet too).
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENSION = new Set('^{}\\[~]|€\f');

/** How many SMS segments a text takes, by the encoding carriers will choose for it. */
export function countSegments(text: string): SegmentCount {
  let septets = 0;
  for (const char of text) {
    if (GSM7_BASIC.has(char)) septets += 1;
    else if (GSM7_EXTENSION.has(char)) septets += 2;
    else return { encoding: 'UCS-2', units: text.length, segments: segmentsOf(text.length, 70, 67) };
  }
  return { encoding: 'GSM-7', units: septets, segments: segmentsOf(septets, 160, 153) };
}

function segmentsOf(units: number, single: number, concatenated: number): number {
  if (units === 0) return 0;
  return units <= single ? 1 : Math.ceil(units / concatenated);
}

function fits(text: string, limits: TextLimits): boolean {
  if (text.length > limits.maxChars) return false;
  return limits.maxSegments === undefined || countSegments(text).segments <= limits.maxSegments;
}

/**
 * Splits a text into parts that each fit the limits, cutting at a paragraph, a line or a space where one lies in
 * the second half of the part, else mid-word (never inside a surrogate pair). The whitespace at a cut is dropped.
 */
export function splitText(text: string, limits: TextLimits): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest !== '' && !fits(rest, limits)) {
    const cut = cutPoint(rest, longestFittingPrefix(rest, limits));
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '') parts.push(rest);
  return parts;
}

/** Fitting is monotonic in the prefix length, so a binary search finds the longest fitting prefix. */
function longestFittingPrefix(text: string, limits: TextLimits): number {
  let low = 1;
  let high = Math.min(text.length, limits.maxChars);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(text.slice(0, middle), limits)) low = middle;
    else high = middle - 1;
  }
  return isHighSurrogate(text.charCodeAt(low - 1)) && low > 1 ? low - 1 : low;
}

function cutPoint(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at > 0 && at >= limit / 2) return at;
  }
  return limit;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The degradation note for a text sent as several messages, or none. */
export function splitNote(parts: readonly string[], limits: TextLimits): string[] {
  if (parts.length <= 1) return [];
  const budget = limits.maxSegments === undefined ? `${limits.maxChars} characters` : `${limits.maxChars} characters / ${limits.maxSegments} segments`;
  return [`text split into ${parts.length} messages (over ${budget})`];
}
