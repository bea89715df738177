import { createHash } from 'node:crypto';
import { z } from 'zod';
import { formatPath, type InboundEvent, type MessageContent, type MessageEvent } from '@signalbox/nodes';
import { readJson, safeEqual, type ChannelSecrets, type FieldIssue, type InboundAdapter, type InboundRequest, type Normalized, type Verification } from '../adapter.ts';

/**
 * Bandwidth Messaging API v2 callbacks: a JSON array of events (a single event object is accepted too), each
 * `{ type, time, description, to, errorCode?, message: { id, from, to[], text, media[], … } }`. Bandwidth
 * retries every callback for 24 hours until it gets a 2xx and may deliver one twice; ids make repeats harmless.
 *
 * Threads: a 1:1 conversation is the customer's number. Group MMS has no id at Bandwidth; its participants are
 * the conversation, so the thread id is every number in it (sender and recipients, ours included) sorted and
 * joined with commas: the same id whoever writes, and the reply goes to all of them but us.
 *
 * Verification: Bandwidth has no signature; the messaging application's callback carries HTTP Basic
 * credentials chosen by the shop (`callbackUsername` / `callbackPassword`).
 */
const STATUS_OF: Readonly<Record<string, 'sent' | 'delivered' | 'failed'>> = {
  // MMS only: Bandwidth handed the message to the carrier. SMS go straight to message-delivered.
  'message-sending': 'sent',
  'message-delivered': 'delivered',
  'message-failed': 'failed',
};
const RECEIVED = 'message-received';

/** MMS presentation layouts carriers attach; they carry no content of their own. */
const LAYOUT_MEDIA = /\.smil$/i;

const Event = z.looseObject({
  type: z.string().min(1),
  time: z.string().optional(),
  description: z.string().optional(),
  to: z.string().optional(),
  errorCode: z.union([z.number(), z.string()]).optional(),
  message: z.unknown().optional(),
});
type Event = z.infer<typeof Event>;

const Message = z.looseObject({
  id: z.string().min(1),
  from: z.string().min(1),
  to: z.array(z.string().min(1)).min(1),
  owner: z.string().optional(),
  time: z.string().optional(),
  text: z.string().optional(),
  media: z.array(z.string().min(1)).optional(),
  direction: z.string().optional(),
  tag: z.string().optional(),
});
type Message = z.infer<typeof Message>;

/** Bandwidth posts an array; a single event object (as some tools and the fixtures have it) is read as one. */
function readEvents(value: unknown) {
  return Array.isArray(value) ? z.array(Event).safeParse(value) : Event.transform((event) => [event]).safeParse(value);
}

export const bandwidthInbound: InboundAdapter = {
  type: 'bandwidth',
  verify: verifyBandwidthCallback,
  normalize({ body, now }) {
    return Promise.resolve(normalizeBandwidth(body, now));
  },
};

export function verifyBandwidthCallback(request: InboundRequest, secrets: ChannelSecrets): Verification {
  const { callbackUsername: username, callbackPassword: password } = secrets;
  if (!username || !password) return { ok: false, reason: 'the channel has no callbackUsername / callbackPassword to check Bandwidth callbacks with' };
  const header = request.headers.authorization;
  if (!header) return { ok: false, reason: 'missing Authorization header (set Basic auth on the Bandwidth application callback)' };
  const match = /^basic\s+(.+)$/i.exec(header.trim());
  if (!match?.[1]) return { ok: false, reason: 'Authorization is not HTTP Basic' };
  const expected = Buffer.from(`${username}:${password}`).toString('base64');
  return safeEqual(match[1], expected) ? { ok: true } : { ok: false, reason: 'Authorization does not match the callback credentials' };
}

export function normalizeBandwidth(body: Buffer, now: Date): Normalized {
  const json = readJson(body);
  if (!json.ok) return { ok: false, error: 'malformed_body', issues: json.issues };
  const envelope = readEvents(json.value);
  if (!envelope.success) return { ok: false, error: 'invalid_body', issues: envelope.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  const single = !Array.isArray(json.value);
  const issues: FieldIssue[] = [];
  const events = envelope.data.flatMap((event, index) => {
    const path = single ? '$' : `$[${index}]`;
    const result = normalizeEvent(event, now);
    if (result.ok) return [result.event];
    issues.push(...result.issues.map((issue) => ({ path: `${path}.message${issue.path.slice(1)}`, message: issue.message })));
    return [];
  });
  return issues.length > 0 ? { ok: false, error: 'invalid_body', issues } : { ok: true, events };
}

type EventResult = { ok: true; event: InboundEvent } | { ok: false; issues: FieldIssue[] };

function normalizeEvent(event: Event, now: Date): EventResult {
  const known = event.type === RECEIVED || STATUS_OF[event.type] !== undefined;
  if (!known) return { ok: true, event: unsupportedEvent(event, now) };
  const parsed = Message.safeParse(event.message);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  const message = parsed.data;
  return { ok: true, event: event.type === RECEIVED ? receivedEvent(event, message, now) : statusEvent(event, message, now) };
}

function receivedEvent(event: Event, message: Message, now: Date): MessageEvent {
  const { content, attachments } = contentOf(message);
  const ours = event.to ?? message.owner;
  return {
    kind: 'message',
    id: message.id,
    channelType: 'bandwidth',
    timestamp: isoTime(event.time ?? message.time, now),
    thread: threadOf(message, message.from),
    raw: event,
    messageId: message.id,
    from: { id: message.from, phone: message.from },
    to: ours ? { id: ours, phone: ours } : undefined,
    content,
    attachments,
    echo: false,
  };
}

function statusEvent(event: Event, message: Message, now: Date): InboundEvent {
  const status = STATUS_OF[event.type] ?? 'failed';
  const error =
    status === 'failed'
      ? { code: event.errorCode === undefined ? 'unknown' : String(event.errorCode), message: event.description ?? 'message failed' }
      : undefined;
  return {
    kind: 'status',
    id: `${message.id}:${status}`,
    channelType: 'bandwidth',
    timestamp: isoTime(event.time ?? message.time, now),
    // Our own message: the customer is its recipient.
    thread: threadOf(message, message.to[0] ?? message.from),
    raw: event,
    messageId: message.id,
    status,
    error,
  };
}

function unsupportedEvent(event: Event, now: Date): InboundEvent {
  const message = Message.safeParse(event.message);
  const id = message.success ? `${message.data.id}:${event.type}` : `${event.type}:${digest(event)}`;
  return {
    kind: 'unsupported',
    id,
    channelType: 'bandwidth',
    timestamp: isoTime(event.time, now),
    thread: message.success ? threadOf(message.data, message.data.from) : { id: event.to || 'bandwidth', kind: 'direct' },
    raw: event,
    rawType: event.type,
    reason: 'a Bandwidth callback type without a meaning here (only message-received, -sending, -delivered and -failed have one)',
  };
}

/** A message to more than one number is a group MMS; see the file comment for its id. */
function threadOf(message: Message, customer: string): MessageEvent['thread'] {
  if (message.to.length <= 1) return { id: customer, kind: 'direct' };
  return { id: groupThreadId([message.from, ...message.to]), kind: 'group' };
}

export function groupThreadId(numbers: readonly string[]): string {
  return [...new Set(numbers)].sort().join(',');
}

type Media = NonNullable<MessageEvent['attachments']>[number];

function contentOf(message: Message): { content: MessageContent; attachments?: Media[] } {
  const media = (message.media ?? []).filter((url) => !LAYOUT_MEDIA.test(url)).map(mediaItem);
  const first = media[0];
  if (!first) return { content: { type: 'text', text: message.text ?? '' } };
  const caption = message.text || undefined;
  return { content: { ...first, caption }, attachments: media.length > 1 ? [{ ...first, caption }, ...media.slice(1)] : undefined };
}

/** Bandwidth gives media as URLs only (`…/users/{accountId}/media/{mediaId}`, fetched with API credentials); the type comes from the file name. */
function mediaItem(url: string): Media {
  const mediaId = /\/media\/(.+)$/.exec(url)?.[1];
  const name = url.split('/').pop() || undefined;
  const extension = name?.includes('.') ? name.split('.').pop()?.toLowerCase() : undefined;
  return { type: mediaKindOf(extension), url, mediaId, name };
}

const KIND_BY_EXTENSION: Readonly<Record<string, Media['type']>> = {
  jpg: 'image',
  jpeg: 'image',
  png: 'image',
  gif: 'image',
  webp: 'image',
  bmp: 'image',
  heic: 'image',
  mp4: 'video',
  '3gp': 'video',
  mov: 'video',
  mpeg: 'video',
  amr: 'audio',
  mp3: 'audio',
  m4a: 'audio',
  wav: 'audio',
  ogg: 'audio',
  aac: 'audio',
};

function mediaKindOf(extension: string | undefined): Media['type'] {
  return (extension && KIND_BY_EXTENSION[extension]) || 'file';
}

function isoTime(value: string | undefined, now: Date): string {
  const at = value ? Date.parse(value) : NaN;
  return Number.isNaN(at) ? now.toISOString() : new Date(at).toISOString();
}

/** A stable id for an event that has none: the same bytes on Bandwidth's retry give the same id. */
function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}
