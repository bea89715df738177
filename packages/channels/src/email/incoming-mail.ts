import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { z } from 'zod';
import { formatPath } from '@signalbox/nodes';
import type { FieldIssue } from '../adapter.ts';

/**
 * One received mail, read from raw MIME or from the JSON view some mail-to-webhook services post, in the
 * terms the adapter needs. Message ids are kept WITHOUT angle brackets (`abc@host`, not `<abc@host>`): the
 * JSON view, mailparser and hand-typed ids disagree about brackets, the bare addr-spec is what identifies the
 * message, and it reads cleanly in thread ids, URLs and logs. Outbound mail puts the brackets back.
 */
export interface IncomingMail {
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  date: Date | null;
  from: MailAddress;
  /** Where the sender asks answers to go: contact forms send from the shop's own mailer with the customer here. */
  replyTo: MailAddress | null;
  to: MailAddress | null;
  /** The whole text part (or the HTML made text), quoted history included. */
  text: string;
  attachments: AttachmentMeta[];
  /** Images referenced from the HTML body (`cid:`), usually logos and signatures. */
  inlineAttachments: AttachmentMeta[];
  /** Set when a robot sent it (auto-reply, bounce): flows must never answer. */
  automatic: { rawType: string; reason: string } | null;
  /** What the event keeps: headers and text, never attachment bytes. */
  raw: unknown;
}

export interface MailAddress {
  address: string;
  name: string;
}

export interface AttachmentMeta {
  /** The attachment's place in the mail (`part-1` …): how the event's media item names the stored file. */
  mediaId: string;
  name: string | undefined;
  mimeType: string;
  size: number | undefined;
  /** The bytes, where the mail carried them (raw MIME always; a JSON view when it inlines base64 `content`). */
  bytes?: Buffer;
}

export type MailReading = { ok: true; mail: IncomingMail } | { ok: false; error: 'malformed_body' | 'invalid_body'; issues: FieldIssue[] };

/** Raw MIME (`message/rfc822`), as posted by the inbound webhook and fetched by the IMAP poller. */
export async function readMime(body: Buffer): Promise<MailReading> {
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(body, { skipTextToHtml: true, skipTextLinks: true });
  } catch (error) {
    return { ok: false, error: 'malformed_body', issues: [{ path: '$', message: `not a MIME message: ${(error as Error).message}` }] };
  }
  // mailparser reads anything as a message (a first line without a colon becomes a "header"); a body without
  // one `Field-Name: value` line (RFC 5322 field names: printable ASCII but the colon) is not mail.
  if (!parsed.headerLines.some(({ line }) => /^[!-9;-~]+:/.test(line))) return { ok: false, error: 'malformed_body', issues: [{ path: '$', message: 'not a MIME message: no header block' }] };
  const from = firstAddress(parsed.from);
  if (!from) return { ok: false, error: 'invalid_body', issues: [{ path: 'from', message: 'the mail has no From address' }] };
  const headers = headerRecord(parsed.headerLines);
  const text = parsed.text ?? (parsed.html ? htmlToText(parsed.html) : '');
  const parts = parsed.attachments.map(attachmentMeta);
  const attachments = parts.filter((_, i) => !isInline(parsed.attachments[i]!));
  const inlineAttachments = parts.filter((_, i) => isInline(parsed.attachments[i]!));
  return {
    ok: true,
    mail: {
      messageId: firstMessageId(parsed.messageId) ?? contentId(body),
      inReplyTo: firstMessageId(parsed.inReplyTo),
      references: messageIds(parsed.references),
      subject: parsed.subject ?? '',
      date: validDate(parsed.date),
      from,
      replyTo: firstAddress(parsed.replyTo),
      to: firstAddress(parsed.to),
      text,
      attachments,
      inlineAttachments,
      automatic: automaticSender((name) => headerValue(headers, name)),
      raw: { headers, text, attachments: [...attachments, ...inlineAttachments].map(describe) },
    },
  };
}

const JsonAttachment = z
  .object({
    filename: z.string().optional(),
    content_type: z.string().optional(),
    size: z.number().int().nonnegative().optional(),
    /** The file base64, where the service inlines it. */
    content: z.unknown().optional(),
  })
  .passthrough();

const JsonAddress = z.union([z.string().min(1), z.object({ address: z.string().min(1), name: z.string().optional() }).passthrough()]);

/** The parsed JSON view of a mail (`email_reply_threaded.json`): the fields a mail-to-webhook service extracts. */
export const EmailJsonView = z
  .object({
    from: JsonAddress,
    to: z.union([JsonAddress, z.array(JsonAddress)]).optional(),
    reply_to: JsonAddress.nullish(),
    subject: z.string().nullish(),
    date: z.string().nullish(),
    message_id: z.string().nullish(),
    in_reply_to: z.string().nullish(),
    references: z.union([z.string(), z.array(z.string())]).nullish(),
    content_type: z.string().nullish(),
    text_part: z.string().nullish(),
    html_part: z.string().nullish(),
    attachments: z.array(JsonAttachment).nullish(),
    inline_attachments: z.array(JsonAttachment).nullish(),
    /** Extra headers by name, where the service passes them on (Auto-Submitted, Precedence …). */
    headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).nullish(),
  })
  .passthrough();

export function readJsonView(body: Buffer, json: unknown): MailReading {
  const parsed = EmailJsonView.safeParse(json);
  if (!parsed.success) {
    return { ok: false, error: 'invalid_body', issues: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  }
  const view = parsed.data;
  const from = jsonAddress(view.from);
  if (!from) return { ok: false, error: 'invalid_body', issues: [{ path: 'from', message: 'no address in From' }] };
  const to = Array.isArray(view.to) ? view.to[0] : view.to;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(view.headers ?? {})) headers[name.toLowerCase()] = value;
  if (view.content_type && !headers['content-type']) headers['content-type'] = view.content_type;
  const attachments = (view.attachments ?? []).map((a, i) => jsonAttachmentMeta(a, i));
  const inlineAttachments = (view.inline_attachments ?? []).map((a, i) => jsonAttachmentMeta(a, attachments.length + i));
  return {
    ok: true,
    mail: {
      messageId: firstMessageId(view.message_id ?? undefined) ?? contentId(body),
      inReplyTo: firstMessageId(view.in_reply_to ?? undefined),
      references: messageIds(view.references ?? undefined),
      subject: view.subject ?? '',
      date: view.date ? validDate(new Date(view.date)) : null,
      from,
      replyTo: view.reply_to ? jsonAddress(view.reply_to) : null,
      to: to === undefined ? null : jsonAddress(to),
      text: view.text_part ?? (view.html_part ? htmlToText(view.html_part) : ''),
      attachments,
      inlineAttachments,
      automatic: automaticSender((name) => headerValue(headers, name)),
      // The view minus any attachment bytes a service may inline: events never carry binaries.
      raw: { ...view, attachments: view.attachments?.map(withoutBytes), inline_attachments: view.inline_attachments?.map(withoutBytes) },
    },
  };
}

/** A mail without a Message-ID still needs a stable dedupe key: the same bytes give the same id. */
function contentId(body: Buffer): string {
  return `sha256-${createHash('sha256').update(body).digest('hex')}`;
}

/** The first `<id>` of a header value, without brackets; null when there is none. */
export function firstMessageId(value: string | undefined): string | null {
  return messageIds(value)[0] ?? null;
}

/** Every message id in a References-like value, in order, without brackets. */
export function messageIds(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(' ') : (value ?? '');
  const bracketed = [...joined.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1] ?? '');
  if (bracketed.length > 0) return bracketed.filter((id) => id !== '');
  return joined.split(/\s+/).filter((id) => id !== '');
}

/**
 * RFC 3834 `Auto-Submitted` (anything but "no"), the older `X-Autoreply` / `X-Autorespond` flags, and
 * `Precedence: bulk | auto_reply | junk` mark robots; `multipart/report` is a bounce (delivery-status) or
 * another machine report (read receipts). Answering any of them risks a mail loop.
 */
export function automaticSender(header: (name: string) => string | undefined): { rawType: string; reason: string } | null {
  const contentType = header('content-type') ?? '';
  if (/^\s*multipart\/report\b/i.test(contentType)) {
    return /report-type\s*=\s*"?delivery-status/i.test(contentType)
      ? { rawType: 'bounce', reason: 'a delivery status notification (bounce): flows never answer robots' }
      : { rawType: 'report', reason: `a machine-generated report (${contentType.split(';')[0]?.trim()}): flows never answer robots` };
  }
  const autoSubmitted = header('auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return { rawType: 'auto-reply', reason: `Auto-Submitted: ${autoSubmitted}: flows never answer robots` };
  for (const flag of ['x-autoreply', 'x-autorespond']) {
    if (header(flag) !== undefined) return { rawType: 'auto-reply', reason: `${flag} header present: flows never answer robots` };
  }
  const precedence = header('precedence')?.trim().toLowerCase();
  if (precedence === 'bulk' || precedence === 'auto_reply' || precedence === 'junk') {
    return { rawType: 'auto-reply', reason: `Precedence: ${precedence}: flows never answer robots` };
  }
  return null;
}

/**
 * The new part of a reply: everything from the quote attribution ("On … wrote:", its German, French and
 * Spanish forms, Outlook's "-----Original Message-----" or "____ From:" block) on is dropped, and so is a
 * block of `>` lines at the very end. Quotes interleaved with new text stay. When nothing but quote would
 * be left, the whole text stays: then the quote is the content (a bare forward).
 */
export function stripQuotedReply(text: string): string {
  const lines = text.split('\n');
  const cut = attributionLine(lines) ?? trailingQuoteStart(lines);
  if (cut === null) return text;
  const kept = lines.slice(0, cut).join('\n').replace(/\s+$/, '');
  return kept === '' ? text : kept;
}

const ATTRIBUTIONS = [/^\s*On\s.*\bwrote:\s*$/, /^\s*Am\s.*\bschrieb\b.*:\s*$/, /^\s*Le\s.*\ba écrit\s*:\s*$/, /^\s*El\s.*\bescribió:\s*$/, /^\s*-{3,}\s*Original Message\s*-{3,}\s*$/i];

function attributionLine(lines: string[]): number | null {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const next = lines[i + 1] ?? '';
    if (ATTRIBUTIONS.some((pattern) => pattern.test(line))) return i;
    // Gmail wraps a long attribution: "On Tue, 20 Apr 2020 at 10:00, Sony Mathew <" / "sony@chatwoot.com> wrote:"
    if (/^\s*On\s/.test(line) && /\bwrote:\s*$/.test(next) && !/^\s*>/.test(next)) return i;
    if (/^_{10,}\s*$/.test(line) && /^\s*From:/.test(next)) return i;
  }
  return null;
}

function trailingQuoteStart(lines: string[]): number | null {
  let end = lines.length - 1;
  while (end >= 0 && (lines[end] ?? '').trim() === '') end--;
  if (end < 0 || !/^\s*>/.test(lines[end] ?? '')) return null;
  let start = end;
  while (start > 0 && (/^\s*>/.test(lines[start - 1] ?? '') || (lines[start - 1] ?? '').trim() === '')) start--;
  return start;
}

/** Subject without the reply and forward prefixes mail clients stack up (Re:, Fwd:, AW:, SV:, WG:, RE[2]:). */
export function threadTitle(subject: string): string {
  return subject.replace(/^(\s*(re|fwd?|aw|sv|wg|vs|antw)(\[\d+\])?\s*:\s*)+/i, '').trim();
}

/** A plain reading of an HTML body: block ends become line breaks, tags go, entities are decoded. */
export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<(head|style|script)\b[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<li\b[^>]*>/gi, '\n- ')
      .replace(/<\/(p|div|h[1-6]|tr|table|ul|ol|blockquote)\s*>/gi, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/[ \t]+\n/g, '\n'),
  )
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return codePoint(parseInt(name.slice(2), 16), whole);
    if (name.startsWith('#')) return codePoint(parseInt(name.slice(1), 10), whole);
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function codePoint(value: number, fallback: string): string {
  return Number.isInteger(value) && value > 0 && value <= 0x10ffff ? String.fromCodePoint(value) : fallback;
}

function firstAddress(value: AddressObject | AddressObject[] | undefined): MailAddress | null {
  const objects = Array.isArray(value) ? value : value ? [value] : [];
  for (const object of objects) {
    for (const entry of object.value) {
      if (entry.address) return { address: entry.address, name: entry.name };
      const member = entry.group?.find((g) => g.address);
      if (member?.address) return { address: member.address, name: member.name };
    }
  }
  return null;
}

function jsonAddress(value: z.infer<typeof JsonAddress>): MailAddress | null {
  if (typeof value !== 'string') return { address: value.address, name: value.name ?? '' };
  const first = splitAddressList(value)[0] ?? '';
  const angled = /^(.*?)<([^<>]+)>\s*$/.exec(first);
  if (angled) return { address: (angled[2] ?? '').trim(), name: (angled[1] ?? '').trim().replace(/^"(.*)"$/, '$1') };
  const bare = first.trim();
  return bare.includes('@') ? { address: bare, name: '' } : null;
}

/** Splits "A <a@x>, \"B, Jr.\" <b@x>" at the commas outside quotes and angle brackets. */
function splitAddressList(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angled = false;
  for (const char of value) {
    if (char === '"') quoted = !quoted;
    else if (char === '<' && !quoted) angled = true;
    else if (char === '>' && !quoted) angled = false;
    if (char === ',' && !quoted && !angled) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.filter((p) => p.trim() !== '');
}

function isInline(attachment: ParsedMail['attachments'][number]): boolean {
  return attachment.related === true || (attachment.contentDisposition === 'inline' && Boolean(attachment.cid));
}

function attachmentMeta(attachment: ParsedMail['attachments'][number], index: number): AttachmentMeta {
  return { mediaId: partId(index), name: attachment.filename, mimeType: attachment.contentType, size: attachment.size, bytes: attachment.content };
}

function partId(index: number): string {
  return `part-${index + 1}`;
}

/** An attachment as the stored raw payload keeps it: everything but the bytes. */
function describe({ bytes: _bytes, ...meta }: AttachmentMeta): Omit<AttachmentMeta, 'bytes'> {
  return meta;
}

const BYTE_FIELDS = new Set(['content', 'data', 'base64', 'content_base64', 'body']);

function withoutBytes(attachment: z.infer<typeof JsonAttachment>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attachment).filter(([key]) => !BYTE_FIELDS.has(key)));
}

function jsonAttachmentMeta(attachment: z.infer<typeof JsonAttachment>, index: number): AttachmentMeta {
  const bytes = base64Content(attachment.content);
  return {
    mediaId: partId(index),
    name: attachment.filename,
    mimeType: attachment.content_type ?? 'application/octet-stream',
    size: attachment.size ?? bytes?.length,
    ...(bytes ? { bytes } : {}),
  };
}

/** A service that inlines an attachment sends it base64; anything else in `content` is ignored. */
function base64Content(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || value.length === 0 || !/^[A-Za-z0-9+/=\s]+$/.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length > 0 ? bytes : undefined;
}

/** Header lines as written (unfolded), by lower-case name; repeated headers (Received) become lists. */
function headerRecord(lines: ParsedMail['headerLines']): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const { key, line } of lines) {
    const value = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    const existing = record[key];
    record[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return record;
}

function headerValue(headers: Record<string, string | string[]>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function validDate(date: Date | undefined): Date | null {
  return date && !Number.isNaN(date.getTime()) ? date : null;
}
