import { createHash } from 'node:crypto';
import { z } from 'zod';
import { formatPath, type InboundEvent, type MessageContent, type UnsupportedEvent } from '@signalbox/nodes';
import { epochToIso, readJson, type Normalized } from '../adapter.ts';

/**
 * LINE's webhook body `{ destination, events: [...] }` (Messaging API reference, "Webhook Event Objects") as
 * normalized events, one per LINE event, each keeping the LINE event object (with its `replyToken`,
 * `deliveryContext.isRedelivery`, emojis and mentions) as `raw`.
 *
 * LINE omits properties without a value, adds new event types and properties without notice and may send an
 * empty `events` array to check the endpoint (the console's "Verify" button), so every schema here is lenient
 * and an event that cannot be read becomes an `unsupported` event instead of refusing the body.
 */
const CHANNEL_TYPE = 'line';

/** LINE sends ids as strings; a number is accepted rather than refusing the event. */
const IdLike = z.union([z.string().min(1), z.number()]).transform(String);

const Envelope = z.looseObject({
  destination: z.string().optional(),
  events: z.array(z.unknown(), { error: 'expected an array of LINE webhook events' }),
});

const Source = z.looseObject({
  type: z.string(),
  userId: z.string().min(1).optional(),
  groupId: z.string().min(1).optional(),
  roomId: z.string().min(1).optional(),
});
type Source = z.infer<typeof Source>;

const LineEvent = z.looseObject({
  type: z.string().min(1),
  timestamp: z.number().optional(),
  source: Source.optional(),
  webhookEventId: z.string().min(1).optional(),
  replyToken: z.string().min(1).optional(),
});
type LineEvent = z.infer<typeof LineEvent>;

const Message = z.looseObject({ id: IdLike, type: z.string().min(1), quotedMessageId: IdLike.optional() });

const TextMessage = z.looseObject({ text: z.string() });
const ContentProvider = z.looseObject({ type: z.string(), originalContentUrl: z.string().optional() });
const MediaMessage = z.looseObject({ contentProvider: ContentProvider.optional() });
const FileMessage = z.looseObject({ fileName: z.string().optional(), fileSize: z.number().int().nonnegative().optional() });
const LocationMessage = z.looseObject({ title: z.string().optional(), address: z.string().optional(), latitude: z.number(), longitude: z.number() });
/** `text` is what the customer typed on a message sticker. */
const StickerMessage = z.looseObject({ packageId: IdLike, stickerId: IdLike, text: z.string().optional() });

const Postback = z.looseObject({
  data: z.string(),
  params: z.looseObject({ date: z.string().optional(), time: z.string().optional(), datetime: z.string().optional() }).optional(),
});
const Unsend = z.looseObject({ messageId: IdLike });

/** Why the event types with no meaning for a conversation are kept but not acted on, for people reading the log. */
const UNSUPPORTED_REASONS: Readonly<Record<string, string>> = {
  follow: 'the customer added the account as a friend or unblocked it',
  unfollow: 'the customer blocked the account',
  join: 'the account joined a group or multi-person chat',
  leave: 'the account left or was removed from a group or multi-person chat',
  memberJoined: 'people joined a group or multi-person chat the account is in',
  memberLeft: 'people left a group or multi-person chat the account is in',
  beacon: 'the customer came within range of a LINE Beacon',
  accountLink: "the result of linking the customer's LINE account with a shop account",
  things: 'a LINE Things device event',
  videoPlayComplete: 'the customer finished watching a video the account sent',
  membership: 'the customer joined, renewed or left a membership plan',
};

/** Normalizes a LINE webhook body. An empty `events` array (LINE's endpoint check) gives no events. */
export function normalizeLineWebhook(body: Buffer, now: Date): Normalized {
  const json = readJson(body);
  if (!json.ok) return { ok: false, error: 'malformed_body', issues: json.issues };
  const envelope = Envelope.safeParse(json.value);
  if (!envelope.success) {
    return { ok: false, error: 'invalid_body', issues: envelope.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  }
  const { destination, events } = envelope.data;
  return { ok: true, events: events.map((raw) => normalizeEvent(raw, destination, now)) };
}

function normalizeEvent(raw: unknown, destination: string | undefined, now: Date): InboundEvent {
  const parsed = LineEvent.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${formatPath(issue.path)}: ${issue.message}` : 'unreadable';
    return unsupported(raw, { rawType: 'unknown', reason: `not a LINE webhook event (${where})`, id: fingerprint(raw), destination, now });
  }
  const event = parsed.data;
  switch (event.type) {
    case 'message':
      return normalizeMessage(event, destination, now);
    case 'postback':
      return normalizePostback(event, destination, now);
    case 'unsend':
      return normalizeUnsend(event, destination, now);
    default:
      return unsupported(event, {
        rawType: event.type,
        reason: UNSUPPORTED_REASONS[event.type] ?? `LINE event type "${event.type}" has no meaning for a conversation`,
        id: eventId(event),
        destination,
        now,
      });
  }
}

function normalizeMessage(event: LineEvent, destination: string | undefined, now: Date): InboundEvent {
  const message = Message.safeParse(event.message);
  const place = placeOf(event.source);
  if (!message.success || !place) {
    const reason = !message.success ? 'message event without a readable message object' : 'message event without a user, group or room source';
    return unsupported(event, { rawType: 'message', reason, id: eventId(event), destination, now });
  }
  const { id: messageId, quotedMessageId } = message.data;
  return {
    kind: 'message',
    id: eventId(event, messageId),
    channelType: CHANNEL_TYPE,
    timestamp: epochToIso(event.timestamp, now),
    thread: place.thread,
    raw: event,
    messageId,
    // LINE leaves the member's userId out of group events when it may not share it; the chat then stands in.
    from: place.from ?? { id: place.thread.id },
    ...(destination ? { to: { id: destination } } : {}),
    content: contentOf(message.data),
    ...(quotedMessageId ? { replyTo: quotedMessageId } : {}),
    echo: false,
  };
}

/** Message objects by `type` (webhook message objects: text, image, video, audio, file, location, sticker). */
function contentOf(message: z.infer<typeof Message>): MessageContent {
  switch (message.type) {
    case 'text': {
      const text = TextMessage.safeParse(message);
      return text.success ? { type: 'text', text: text.data.text } : { type: 'unsupported', rawType: 'text' };
    }
    case 'image':
    case 'video':
    case 'audio':
      return mediaContent(message.type, message);
    case 'file': {
      const file = FileMessage.safeParse(message);
      if (!file.success) return { type: 'file', mediaId: message.id };
      return { type: 'file', mediaId: message.id, name: file.data.fileName, size: file.data.fileSize };
    }
    case 'location': {
      const location = LocationMessage.safeParse(message);
      if (!location.success) return { type: 'unsupported', rawType: 'location' };
      const { latitude, longitude, title, address } = location.data;
      return { type: 'location', latitude, longitude, name: title, address };
    }
    case 'sticker': {
      const sticker = StickerMessage.safeParse(message);
      if (!sticker.success) return { type: 'unsupported', rawType: 'sticker' };
      return { type: 'sticker', packageId: sticker.data.packageId, stickerId: sticker.data.stickerId, caption: sticker.data.text };
    }
    default:
      return { type: 'unsupported', rawType: message.type };
  }
}

/**
 * Content a LINE user sent (`contentProvider.type: "line"`) is fetched later by message id from the content API
 * (`GET {dataApiBaseUrl}/v2/bot/message/{id}/content`); content from an external provider cannot be fetched
 * there, only from its own URL.
 */
function mediaContent(type: 'image' | 'video' | 'audio', message: z.infer<typeof Message>): MessageContent {
  const media = MediaMessage.safeParse(message);
  const provider = media.success ? media.data.contentProvider : undefined;
  if (provider?.type === 'external') return { type, url: provider.originalContentUrl };
  return { type, mediaId: message.id };
}

/**
 * A tap on a postback action. The payload is the action's `data` (the button id Signalbox sent); the label is
 * not in the event, so the title is the value a datetime picker returned, when there is one.
 */
function normalizePostback(event: LineEvent, destination: string | undefined, now: Date): InboundEvent {
  const postback = Postback.safeParse(event.postback);
  const place = placeOf(event.source);
  if (!postback.success || !place) {
    const reason = !postback.success ? 'postback event without postback data' : 'postback event without a user, group or room source';
    return unsupported(event, { rawType: 'postback', reason, id: eventId(event), destination, now });
  }
  const { data, params } = postback.data;
  const id = eventId(event);
  const picked = params?.datetime ?? params?.date ?? params?.time;
  return {
    kind: 'message',
    id,
    channelType: CHANNEL_TYPE,
    timestamp: epochToIso(event.timestamp, now),
    thread: place.thread,
    raw: event,
    // A postback is not a chat message and has no message id of its own: the event's id stands in.
    messageId: id,
    from: place.from ?? { id: place.thread.id },
    ...(destination ? { to: { id: destination } } : {}),
    content: { type: 'postback', payload: data, ...(picked ? { title: picked } : {}) },
    echo: false,
  };
}

function normalizeUnsend(event: LineEvent, destination: string | undefined, now: Date): InboundEvent {
  const unsend = Unsend.safeParse(event.unsend);
  const place = placeOf(event.source);
  if (!unsend.success || !place) {
    const reason = !unsend.success ? 'unsend event without unsend.messageId' : 'unsend event without a user, group or room source';
    return unsupported(event, { rawType: 'unsend', reason, id: eventId(event), destination, now });
  }
  const messageId = unsend.data.messageId;
  return {
    kind: 'delete',
    id: eventId(event, `${messageId}:unsend`),
    channelType: CHANNEL_TYPE,
    timestamp: epochToIso(event.timestamp, now),
    thread: place.thread,
    raw: event,
    messageId,
    from: place.from ?? { id: place.thread.id },
  };
}

interface Place {
  thread: { id: string; kind: 'direct' | 'group' };
  from?: { id: string };
}

/** `source`: a user is a 1:1 chat; a group chat or a multi-person chat ("room") is a group thread. */
function placeOf(source: Source | undefined): Place | null {
  if (!source) return null;
  const from = source.userId ? { id: source.userId } : undefined;
  if (source.type === 'user' && source.userId) return { thread: { id: source.userId, kind: 'direct' }, from };
  if (source.type === 'group' && source.groupId) return { thread: { id: source.groupId, kind: 'group' }, from };
  if (source.type === 'room' && source.roomId) return { thread: { id: source.roomId, kind: 'group' }, from };
  return null;
}

/**
 * The dedupe key: `webhookEventId` (a ULID, the same on LINE's redeliveries). Payloads from before LINE added it
 * (2021, and many test suites) lack it; the message id (or `<id>:unsend`) is then unique per event, else the reply
 * token (issued once per event that can be answered), else a hash of the event without its delivery context.
 */
function eventId(event: LineEvent, fallback?: string): string {
  return event.webhookEventId ?? fallback ?? event.replyToken ?? fingerprint(event);
}

function fingerprint(raw: unknown): string {
  const stable = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...raw, deliveryContext: undefined } : raw;
  return `sha256:${createHash('sha256').update(JSON.stringify(stable) ?? 'undefined').digest('hex').slice(0, 32)}`;
}

interface UnsupportedDetails {
  rawType: string;
  reason: string;
  id: string;
  destination: string | undefined;
  now: Date;
}

function unsupported(raw: unknown, details: UnsupportedDetails): UnsupportedEvent {
  const event = LineEvent.safeParse(raw);
  const place = event.success ? placeOf(event.data.source) : null;
  const from = place?.from;
  return {
    kind: 'unsupported',
    id: details.id,
    channelType: CHANNEL_TYPE,
    timestamp: epochToIso(event.success ? event.data.timestamp : undefined, details.now),
    // Without a source (a failed account link) the bot's own id keeps the event addressable.
    thread: place?.thread ?? { id: details.destination || 'line', kind: 'direct' },
    raw,
    rawType: details.rawType,
    reason: details.reason,
    ...(from ? { from } : {}),
  };
}
