import { z } from 'zod';
import { formatPath, type InboundEvent, type MessageContent, type MessageEvent, type Party } from '@signalbox/nodes';
import { readJson, type FieldIssue, type InboundAdapter, type Normalized } from '../adapter.ts';
import { verifyTwilioSignature } from './signature.ts';

/**
 * Twilio Programmable Messaging webhooks: one request per inbound message (SMS, MMS, WhatsApp) or per status
 * change of a message we sent, as flat parameters. Twilio posts `application/x-www-form-urlencoded`; the CLI
 * and the fixtures give the same parameters as a JSON object. Twilio gives no time: events carry `now`.
 *
 * Ids keep Twilio's channel prefix (`whatsapp:+15550001111`), since replies must be addressed with it; `phone`
 * is the bare number. WhatsApp users who chose a username may come as a business-scoped user id instead of a
 * number (`whatsapp:IN.2081978709342942`): that id is the customer, and they have no phone.
 */
type Params = Readonly<Record<string, string>>;

/** Statuses Twilio reports for a message it received, in the inbound webhook itself. */
const INBOUND_STATUSES = new Set(['received', 'receiving']);

const DELIVERY_STATUSES: Readonly<Record<string, 'sent' | 'delivered' | 'read' | 'failed'>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  undelivered: 'failed',
  // Only scheduled messages are canceled; a canceled message will never go out.
  canceled: 'failed',
};

/** WhatsApp message types Twilio sends that the normalizer reads from other parameters (Body, media, location). */
const KNOWN_MESSAGE_TYPES = new Set(['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'button', 'interactive']);

/** Twilio sends at most 10 media items per message. */
const MAX_MEDIA = 10;

const Envelope = z
  .record(z.string(), z.string())
  .superRefine((params, ctx) => {
    if (!params.AccountSid) ctx.addIssue({ code: 'custom', path: ['AccountSid'], message: 'expected AccountSid (every Twilio webhook carries it)' });
    if (!sidOf(params)) ctx.addIssue({ code: 'custom', path: ['MessageSid'], message: 'expected MessageSid (or SmsMessageSid / SmsSid)' });
    if (!isStatusCallback(params) && !params.From) ctx.addIssue({ code: 'custom', path: ['From'], message: 'expected From on an inbound message' });
  });

export const twilioInbound: InboundAdapter = {
  type: 'twilio',
  verify: verifyTwilioSignature,
  normalize({ body, contentType, now }) {
    return Promise.resolve(normalizeTwilio(body, contentType, now));
  },
};

export function normalizeTwilio(body: Buffer, contentType: string | undefined, now: Date): Normalized {
  const read = readParams(body, contentType);
  if (!read.ok) return read;
  const envelope = Envelope.safeParse(read.params);
  if (!envelope.success) {
    return { ok: false, error: 'invalid_body', issues: envelope.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  }
  const params = envelope.data;
  return { ok: true, events: [isStatusCallback(params) ? statusEvent(params, now) : messageEvent(params, now)] };
}

type ReadParams = { ok: true; params: Params } | { ok: false; error: 'malformed_body' | 'invalid_body'; issues: FieldIssue[] };

/** Form bodies by Content-Type; JSON when the type says so, or when there is none and the body is an object. */
function readParams(body: Buffer, contentType: string | undefined): ReadParams {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = body.toString('utf8');
  if (mediaType === 'application/json' || (mediaType === '' && text.trimStart().startsWith('{'))) return jsonParams(body);
  if (!text.includes('=')) {
    return { ok: false, error: 'malformed_body', issues: [{ path: '$', message: 'not a form body (name=value&…)' }] };
  }
  return { ok: true, params: Object.fromEntries(new URLSearchParams(text)) };
}

function jsonParams(body: Buffer): ReadParams {
  const json = readJson(body);
  if (!json.ok) return { ok: false, error: 'malformed_body', issues: json.issues };
  const value = json.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'invalid_body', issues: [{ path: '$', message: "expected an object of Twilio's webhook parameters" }] };
  }
  const params: Record<string, string> = {};
  for (const [name, field] of Object.entries(value)) {
    if (typeof field === 'string') params[name] = field;
    else if (typeof field === 'number' || typeof field === 'boolean') params[name] = String(field);
    else if (field !== null && field !== undefined) params[name] = JSON.stringify(field);
  }
  return { ok: true, params };
}

function sidOf(params: Params): string | undefined {
  return params.MessageSid || params.SmsMessageSid || params.SmsSid || undefined;
}

function statusOf(params: Params): string | undefined {
  return params.MessageStatus || params.SmsStatus || undefined;
}

function isStatusCallback(params: Params): boolean {
  const status = statusOf(params);
  return status !== undefined && !INBOUND_STATUSES.has(status);
}

function statusEvent(params: Params, now: Date): InboundEvent {
  const messageId = sidOf(params) ?? '';
  const rawStatus = statusOf(params) ?? '';
  // A status callback is about a message we sent: the customer is `To`. Without it, the message is its own key.
  const thread = { id: params.To || messageId, kind: 'direct' as const };
  const status = DELIVERY_STATUSES[rawStatus];
  const base = { id: `${messageId}:${rawStatus}`, channelType: 'twilio', timestamp: now.toISOString(), thread, raw: params };
  if (!status) {
    return {
      kind: 'unsupported',
      ...base,
      rawType: `MessageStatus:${rawStatus}`,
      reason: 'a step before the carrier took the message (queued, accepted, scheduled, sending) or a group-MMS summary; only sent, delivered, read and failed have a meaning here',
    };
  }
  const errorCode = params.ErrorCode;
  const error =
    errorCode && errorCode !== '0'
      ? { code: errorCode, message: params.ErrorMessage || `Twilio error ${errorCode} (https://www.twilio.com/docs/api/errors/${errorCode})` }
      : rawStatus === 'canceled'
        ? { code: 'canceled', message: 'the scheduled message was canceled' }
        : undefined;
  return { kind: 'status', ...base, id: `${messageId}:${status}`, messageId, status, error };
}

function messageEvent(params: Params, now: Date): MessageEvent {
  const messageId = sidOf(params) ?? '';
  const from = params.From ?? '';
  const { content, attachments } = contentOf(params);
  return {
    kind: 'message',
    id: messageId,
    channelType: 'twilio',
    timestamp: now.toISOString(),
    thread: { id: from, kind: 'direct' },
    raw: params,
    messageId,
    from: customerOf(params),
    to: params.To ? partyOf(params.To) : undefined,
    content,
    attachments,
    replyTo: params.OriginalRepliedMessageSid || undefined,
    referral: referralOf(params),
    forwarded: params.Forwarded === 'true' || params.FrequentlyForwarded === 'true' ? true : undefined,
    echo: false,
  };
}

/** An address as a party: the id as Twilio wrote it, the phone without the channel prefix when it is a number. */
function partyOf(address: string): Party {
  const bare = address.replace(/^[a-z-]+:/i, '');
  return { id: address, phone: /^\+?\d{3,}$/.test(bare) ? bare : undefined };
}

function customerOf(params: Params): Party {
  const party = partyOf(params.From ?? '');
  // A business-scoped user id in From hides the number; WaId still carries it while WhatsApp shares it.
  const phone = party.phone ?? (params.WaId && /^\d{3,}$/.test(params.WaId) ? `+${params.WaId}` : undefined);
  return { ...party, phone, name: params.ProfileName || undefined, username: params.ProfileUsername || undefined };
}

type Media = NonNullable<MessageEvent['attachments']>[number];

function contentOf(params: Params): { content: MessageContent; attachments?: Media[] } {
  if (params.ButtonPayload || params.ButtonText) {
    const id = params.ButtonPayload || params.ButtonText || '';
    return { content: { type: 'interactive', id, title: params.ButtonText || id, kind: 'button' } };
  }
  if (params.ListId) return { content: { type: 'interactive', id: params.ListId, title: params.ListTitle || params.ListId, kind: 'list' } };
  const location = locationOf(params);
  if (location) return { content: location };
  const media = mediaOf(params);
  const first = media[0];
  if (first) {
    const caption = params.Body || undefined;
    const content: MessageContent = params.MessageType === 'sticker' ? { ...first, type: 'sticker' } : { ...first, caption };
    return { content, attachments: media.length > 1 ? [{ ...first, caption }, ...media.slice(1)] : undefined };
  }
  const messageType = params.MessageType;
  if (messageType && !KNOWN_MESSAGE_TYPES.has(messageType) && !params.Body) return { content: { type: 'unsupported', rawType: messageType } };
  if (params.Body === undefined) return { content: { type: 'unsupported', rawType: messageType || 'no-body' } };
  return { content: { type: 'text', text: params.Body } };
}

function locationOf(params: Params): MessageContent | null {
  if (params.Latitude === undefined || params.Longitude === undefined) return null;
  const latitude = Number(params.Latitude);
  const longitude = Number(params.Longitude);
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || params.Latitude.trim() === '' || params.Longitude.trim() === '') return null;
  return { type: 'location', latitude, longitude, name: params.Label || undefined, address: params.Address || undefined };
}

/** Twilio numbers media from 0 (MediaUrl0, MediaContentType0, …); NumMedia says how many, at most 10. */
function mediaOf(params: Params): Media[] {
  const media: Media[] = [];
  for (let index = 0; index < MAX_MEDIA; index++) {
    const url = params[`MediaUrl${index}`];
    if (!url) continue;
    const mimeType = params[`MediaContentType${index}`] || undefined;
    media.push({ type: mediaKind(mimeType), url, mimeType, mediaId: /\/Media\/(ME\w+)/.exec(url)?.[1] });
  }
  return media;
}

function mediaKind(mimeType: string | undefined): Media['type'] {
  const family = mimeType?.split('/')[0]?.toLowerCase();
  return family === 'image' || family === 'audio' || family === 'video' ? family : 'file';
}

/** Click-to-WhatsApp ads: Twilio flattens Meta's referral object into Referral* parameters. */
function referralOf(params: Params): MessageEvent['referral'] {
  const referral = {
    source: params.ReferralSourceType || undefined,
    adId: params.ReferralSourceId || undefined,
    url: params.ReferralSourceUrl || undefined,
    headline: params.ReferralHeadline || undefined,
    body: params.ReferralBody || undefined,
  };
  const any = Object.values(referral).some((value) => value !== undefined) || Boolean(params.ReferralCtwaClid);
  return any ? referral : undefined;
}
