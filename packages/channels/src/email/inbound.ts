import type { InboundEvent, MessageEvent } from '@signalbox/nodes';
import { readJson, safeEqual, type ChannelSecrets, type InboundAdapter, type InboundFile, type InboundRequest, type Normalized, type Verification } from '../adapter.ts';
import { SIGNATURE_HEADER, verifySignature } from '../webhook/webhook.ts';
import { readJsonView, readMime, stripQuotedReply, threadTitle, type AttachmentMeta, type IncomingMail, type MailAddress } from './incoming-mail.ts';

/**
 * Email in: a mail-to-webhook service POSTs the raw MIME message (or its JSON view) to the channel's hook;
 * the IMAP poller (`imap-poller.ts`) hands fetched messages to the same `normalize`. One mail is one event.
 * Secrets: `webhookSecret` (X-Signalbox-Signature, as the generic webhook) or `webhookUsername` /
 * `webhookPassword` (HTTP Basic, for services that only take credentials in the URL).
 */
/** The largest mail taken, by webhook or IMAP: what most providers accept with attachments. */
export const MAX_MAIL_BYTES = 25 * 1024 * 1024;

export const emailInbound: InboundAdapter = {
  type: 'email',
  maxBodyBytes: MAX_MAIL_BYTES,
  verify: verifyEmailWebhook,
  async normalize({ body, contentType, now }): Promise<Normalized> {
    const reading = isJson(body, contentType) ? readJsonBody(body) : await readMime(body);
    if (!reading.ok) return reading;
    const event = mailEvent(reading.mail, now);
    return { ok: true, events: [event], files: event.kind === 'message' ? filesOf(reading.mail, event) : [] };
  },
};

export function verifyEmailWebhook(request: InboundRequest, secrets: ChannelSecrets): Verification {
  const { webhookSecret, webhookUsername, webhookPassword } = secrets;
  const basic = webhookUsername && webhookPassword ? { username: webhookUsername, password: webhookPassword } : null;
  if (!webhookSecret && !basic) return { ok: false, reason: 'the channel has neither a webhookSecret nor webhookUsername/webhookPassword to check requests with' };
  const signature = request.headers[SIGNATURE_HEADER];
  const authorization = request.headers.authorization;
  if (webhookSecret && verifySignature(request.body, webhookSecret, signature)) return { ok: true };
  if (basic && basicAuthMatches(authorization, basic)) return { ok: true };
  const reasons: string[] = [];
  if (webhookSecret) reasons.push(signature ? 'X-Signalbox-Signature does not match the body' : 'no X-Signalbox-Signature header');
  if (basic) reasons.push(authorization ? 'Basic credentials do not match' : 'no Authorization header');
  return { ok: false, reason: reasons.join('; ') };
}

function basicAuthMatches(header: string | undefined, expected: { username: string; password: string }): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both halves compared every time, so the answer's timing does not tell which one was wrong.
  const userOk = safeEqual(decoded.slice(0, colon), expected.username);
  const passwordOk = safeEqual(decoded.slice(colon + 1), expected.password);
  return userOk && passwordOk;
}

function isJson(body: Buffer, contentType: string | undefined): boolean {
  if (contentType) return /\bjson\b/i.test(contentType);
  return body.subarray(0, 64).toString('utf8').trimStart().startsWith('{');
}

function readJsonBody(body: Buffer): ReturnType<typeof readJsonView> {
  const json = readJson(body);
  return json.ok ? readJsonView(body, json.value) : { ok: false, error: 'malformed_body', issues: json.issues };
}

/**
 * The thread is the conversation's root message: the first References entry, else the message answered,
 * else this message itself (it starts a thread). Every reply of a thread then lands in one conversation,
 * whichever message of it the customer answered.
 */
export function threadRoot(mail: Pick<IncomingMail, 'references' | 'inReplyTo' | 'messageId'>): string {
  return mail.references[0] ?? mail.inReplyTo ?? mail.messageId;
}

function mailEvent(mail: IncomingMail, now: Date): InboundEvent {
  // The customer is who answers go to: a shop's contact form mails from its own mailer with Reply-To set to
  // the customer, and every such mail must not become one contact "mailer@shop".
  const from = party(mail.replyTo ?? mail.from);
  const title = threadTitle(mail.subject);
  const base = {
    id: mail.messageId,
    channelType: 'email',
    timestamp: (mail.date ?? now).toISOString(),
    thread: { id: threadRoot(mail), kind: 'direct' as const, ...(title ? { title } : {}) },
    raw: mail.raw,
  };
  if (mail.automatic) return { kind: 'unsupported', ...base, rawType: mail.automatic.rawType, reason: mail.automatic.reason, from };
  const text = stripQuotedReply(mail.text);
  // Inline images are logos and signatures next to a text; with no text at all they are the message.
  const media = (text.trim() === '' ? [...mail.attachments, ...mail.inlineAttachments] : mail.attachments).map(mediaContent);
  const content: MessageEvent['content'] = text.trim() === '' && media[0] ? media[0] : { type: 'text', text };
  return {
    kind: 'message',
    ...base,
    messageId: mail.messageId,
    from,
    ...(mail.to ? { to: party(mail.to) } : {}),
    content,
    ...(mail.inReplyTo ? { replyTo: mail.inReplyTo } : {}),
    echo: false,
    ...(media.length > 0 ? { attachments: media } : {}),
  };
}

function party(address: MailAddress): MessageEvent['from'] {
  return { id: address.address.toLowerCase(), email: address.address, ...(address.name ? { name: address.name } : {}) };
}

type Media = NonNullable<MessageEvent['attachments']>[number];

/** The bytes of the attachments the event names, for the ingress to store (inline logos beside a text are not kept). */
function filesOf(mail: IncomingMail, event: MessageEvent): InboundFile[] {
  const named = new Set((event.attachments ?? []).map((item) => item.mediaId));
  return [...mail.attachments, ...mail.inlineAttachments].flatMap((a) =>
    a.bytes && named.has(a.mediaId) ? [{ mediaId: a.mediaId, bytes: a.bytes, mimeType: a.mimeType, ...(a.name ? { name: a.name } : {}) }] : [],
  );
}

function mediaContent(attachment: AttachmentMeta): Media {
  const fields = { mediaId: attachment.mediaId, mimeType: attachment.mimeType, ...(attachment.name ? { name: attachment.name } : {}), ...(attachment.size !== undefined ? { size: attachment.size } : {}) };
  const family = attachment.mimeType.split('/')[0]?.toLowerCase();
  if (family === 'image') return { type: 'image', ...fields };
  if (family === 'audio') return { type: 'audio', ...fields };
  if (family === 'video') return { type: 'video', ...fields };
  return { type: 'file', ...fields };
}
