import { createHash } from 'node:crypto';
import { z } from 'zod';
import { formatPath, type InboundEvent, type MessageContent, type MessageEvent } from '@signalbox/nodes';
import { epochToIso, readJson, type Normalized } from '../adapter.ts';

/**
 * What Messenger and Instagram messaging share on the way in: Meta's Messenger Platform webhook body
 * `{ object, entry: [{ id, time, messaging: [...] } | { id, time, changes: [...] }] }`, one normalized event per
 * messaging item (or per delivered message id), `unsupported` for anything without a meaning here.
 *
 * Orientation: Meta names the two sides `sender` and `recipient`. For a customer's message, receipt, reaction or
 * edit the sender is the customer; for an echo (`message.is_echo`, the business's own message) the sender is the
 * Page / Instagram account and the recipient the customer. The thread is always the customer's scoped id.
 */
export interface MetaMessagingPlatform {
  channelType: 'messenger' | 'instagram';
  /** The envelope's `object`: `page` for Messenger, `instagram` for Instagram messaging. */
  object: 'page' | 'instagram';
}

/** Meta sends ids as strings, but numbers have been seen in older payloads. */
const IdLike = z.union([z.string().min(1), z.number()]).transform(String);
/** Epoch milliseconds on Messenger; ISO strings in some Instagram payloads; seconds in a few older ones. */
const TimeLike = z.union([z.number(), z.string()]);
const OptionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined);

const Entry = z.looseObject({
  id: IdLike.optional(),
  time: TimeLike.optional(),
  messaging: z.array(z.unknown()).optional(),
  /** Items for the app that is not thread owner under the handover protocol. */
  standby: z.array(z.unknown()).optional(),
  changes: z.array(z.unknown()).optional(),
});
type Entry = z.infer<typeof Entry>;

function envelopeSchema(object: MetaMessagingPlatform['object']) {
  return z.looseObject({
    object: z.literal(object, { error: `expected "${object}" (a ${object === 'page' ? 'Messenger Page' : 'Instagram messaging'} webhook)` }),
    entry: z.array(Entry),
  });
}

const Party = z.looseObject({ id: IdLike.optional(), user_ref: IdLike.optional() });
/** Lenient per field: a malformed sender or timestamp must not hide the rest of the item. */
const Item = z.looseObject({
  sender: Party.optional().catch(undefined),
  recipient: Party.optional().catch(undefined),
  timestamp: TimeLike.optional().catch(undefined),
});
type Item = z.infer<typeof Item>;

const Referral = z.looseObject({
  ref: OptionalText,
  source: OptionalText,
  type: OptionalText,
  ad_id: IdLike.nullish(),
  referer_uri: OptionalText,
  ads_context_data: z
    .looseObject({ ad_title: OptionalText, photo_url: OptionalText, video_url: OptionalText })
    .nullish(),
});
type Referral = z.infer<typeof Referral>;

const Message = z.looseObject({
  mid: z.string().min(1),
  text: z.string().optional(),
  is_echo: z.boolean().optional(),
  is_deleted: z.boolean().optional(),
  is_unsupported: z.boolean().optional(),
  quick_reply: z.looseObject({ payload: z.string() }).optional(),
  reply_to: z
    .looseObject({
      mid: z.string().min(1).optional(),
      story: z.looseObject({ id: IdLike.optional(), url: OptionalText }).optional(),
    })
    .optional(),
  attachments: z.array(z.unknown()).optional(),
  referral: Referral.optional(),
});
type Message = z.infer<typeof Message>;

const Attachment = z.looseObject({
  type: z.string().min(1),
  payload: z
    .looseObject({
      url: OptionalText,
      title: OptionalText,
      sticker_id: IdLike.nullish(),
      reel_video_id: IdLike.nullish(),
      coordinates: z.looseObject({ lat: z.number(), long: z.number() }).nullish(),
    })
    .nullish(),
});
type Attachment = z.infer<typeof Attachment>;

const Postback = z.looseObject({ payload: z.string().optional(), title: OptionalText, mid: z.string().min(1).optional(), referral: Referral.optional() });
const Reaction = z.looseObject({ mid: z.string().min(1), action: OptionalText, reaction: OptionalText, emoji: OptionalText });
const Receipt = z.looseObject({ mids: z.array(z.string().min(1)).optional(), mid: z.string().min(1).optional(), watermark: TimeLike.optional() });
const MessageEdit = z.looseObject({ mid: z.string().min(1), text: z.string().optional(), num_edit: z.union([z.number(), z.string()]).optional() });
const Change = z.looseObject({ field: z.string().min(1).optional(), value: z.unknown() });
const ChangeValue = z.looseObject({
  from: z.looseObject({ id: IdLike.optional(), name: OptionalText, username: OptionalText }).optional(),
  created_time: TimeLike.optional(),
});

/** Parses a Messenger or Instagram webhook body into normalized events, in Meta's order. Never throws. */
export function normalizeMetaMessaging(body: Buffer, now: Date, platform: MetaMessagingPlatform): Normalized {
  const json = readJson(body);
  if (!json.ok) return { ok: false, error: 'malformed_body', issues: json.issues };
  const envelope = envelopeSchema(platform.object).safeParse(json.value);
  if (!envelope.success) {
    return { ok: false, error: 'invalid_body', issues: envelope.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  }
  const events = envelope.data.entry.flatMap((entry) => normalizeEntry(entry, platform, now));
  return { ok: true, events };
}

function normalizeEntry(entry: Entry, platform: MetaMessagingPlatform, now: Date): InboundEvent[] {
  const events = [
    ...(entry.messaging ?? []).flatMap((item) => normalizeItem(item, entry, platform, now)),
    ...(entry.standby ?? []).map((item) =>
      unsupportedItem(scopeOf(item, entry, platform, now), 'standby', 'a message for the thread owner under the handover protocol; this app is not the thread owner'),
    ),
    ...(entry.changes ?? []).map((change) => normalizeChange(change, entry, platform, now)),
  ];
  if (events.length > 0) return events;
  return [unsupportedItem(scopeOf(entry, entry, platform, now), 'entry', 'an entry with no messaging, standby or changes items')];
}

/** Everything one messaging item's events share. */
interface ItemScope {
  platform: MetaMessagingPlatform;
  raw: unknown;
  item: Item | null;
  senderId: string | undefined;
  recipientId: string | undefined;
  /** The entry's id (the Page or Instagram account), the thread of last resort. */
  entryId: string | undefined;
  timestamp: string;
  /** The platform's time as it was sent, for dedupe keys that must not change between retries. */
  timeKey: string;
  now: Date;
}

function scopeOf(raw: unknown, entry: Entry, platform: MetaMessagingPlatform, now: Date): ItemScope {
  const parsed = Item.safeParse(raw);
  const item = parsed.success ? parsed.data : null;
  const time = item?.timestamp ?? entry.time;
  return {
    platform,
    raw,
    item,
    senderId: partyId(item?.sender),
    recipientId: partyId(item?.recipient),
    entryId: entry.id,
    timestamp: metaTime(time, now),
    timeKey: time === undefined ? hashOf(raw) : String(time),
    now,
  };
}

function partyId(party: z.infer<typeof Party> | undefined): string | undefined {
  // `user_ref` stands in for the id before a person has a scoped id (checkbox plugin, chat plugin guests).
  return party?.id ?? party?.user_ref;
}

function normalizeItem(raw: unknown, entry: Entry, platform: MetaMessagingPlatform, now: Date): InboundEvent[] {
  const scope = scopeOf(raw, entry, platform, now);
  const item = scope.item;
  const rawType = itemType(raw);
  if (!item) return [unsupportedItem(scope, rawType, 'a messaging item that is not an object')];
  if (!scope.senderId) return [unsupportedItem(scope, rawType, 'a messaging item without sender.id')];
  if (item.message_edit !== undefined) return fromEdit(item.message_edit, scope);
  if (item.message !== undefined) return fromMessage(item.message, scope);
  if (item.postback !== undefined) return fromPostback(item.postback, scope);
  if (item.reaction !== undefined) return fromReaction(item.reaction, scope);
  if (item.delivery !== undefined) return fromReceipt(item.delivery, 'delivery', scope);
  if (item.read !== undefined) return fromReceipt(item.read, 'read', scope);
  if (item.referral !== undefined) return fromReferral(item.referral, scope);
  return [unsupportedItem(scope, rawType, `Signalbox has no meaning for "${rawType}" messaging items`)];
}

/** Meta's name for a messaging item: its first key besides the envelope fields (`optin`, `account_linking`, …). */
function itemType(raw: unknown): string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'messaging';
  return Object.keys(raw).find((key) => key !== 'sender' && key !== 'recipient' && key !== 'timestamp') ?? 'messaging';
}

function fromMessage(value: unknown, scope: ItemScope): InboundEvent[] {
  const parsed = Message.safeParse(value);
  if (!parsed.success) return [unsupportedItem(scope, 'message', `unreadable message: ${describeIssues(parsed.error, '$.message')}`)];
  const message = parsed.data;
  const echo = message.is_echo === true;
  const customerId = (echo ? scope.recipientId : scope.senderId) ?? scope.senderId ?? '';
  const from = { id: scope.senderId ?? customerId };
  if (message.is_deleted === true) {
    // Instagram's unsend arrives as a message carrying the removed message's mid.
    return [{ kind: 'delete', ...base(scope, `${message.mid}:delete`, customerId), messageId: message.mid, from }];
  }
  const { content, attachments } = messageContent(message);
  const referral = referralOf(message.referral);
  const event: MessageEvent = {
    kind: 'message',
    ...base(scope, message.mid, customerId),
    messageId: message.mid,
    from,
    to: scope.recipientId ? { id: scope.recipientId } : undefined,
    content,
    replyTo: replyToOf(message),
    referral,
    echo,
    attachments,
  };
  return [event];
}

type MediaContent = Extract<MessageContent, { type: 'image' | 'audio' | 'video' | 'file' | 'sticker' | 'location' }>;
type AttachmentContent = NonNullable<MessageEvent['attachments']>[number];

function messageContent(message: Message): { content: MessageContent; attachments?: AttachmentContent[] } {
  if (message.quick_reply) {
    // Meta posts the tapped quick reply's title as the message text, its payload beside it.
    return { content: { type: 'interactive', id: message.quick_reply.payload, title: message.text ?? message.quick_reply.payload, kind: 'button' } };
  }
  if (message.is_unsupported === true) return { content: { type: 'unsupported', rawType: 'is_unsupported' } };
  const parsedAttachments = (message.attachments ?? []).map((a) => Attachment.safeParse(a));
  const media = parsedAttachments.flatMap((p) => {
    const content = p.success ? mediaOf(p.data) : null;
    return content ? [content] : [];
  });
  const first = media[0];
  if (first) {
    const content = first.type === 'location' ? first : { ...first, caption: message.text ?? first.caption };
    const files = media.filter(isAttachmentContent);
    return { content, attachments: media.length > 1 && files.length > 0 ? files : undefined };
  }
  if (message.text !== undefined) return { content: { type: 'text', text: message.text } };
  const firstRaw = parsedAttachments[0];
  return { content: { type: 'unsupported', rawType: firstRaw?.success ? firstRaw.data.type : 'message' } };
}

/**
 * Attachments that are media. Shares (`share`, `ig_post`, `fallback` links, `template`) and story mentions are
 * not: their media type is not stated, and Meta forbids storing story media. They stay in `raw`; a message with
 * nothing else becomes `unsupported` content named after the attachment type.
 */
function mediaOf(attachment: Attachment): MediaContent | null {
  const payload = attachment.payload;
  const url = payload?.url;
  switch (attachment.type) {
    case 'image':
      // Messenger stickers (the thumbs-up too) still arrive as images carrying a sticker_id.
      return payload?.sticker_id != null ? { type: 'sticker', url, stickerId: payload.sticker_id } : { type: 'image', url };
    case 'sticker':
      return { type: 'sticker', url, stickerId: payload?.sticker_id ?? undefined };
    case 'video':
    case 'audio':
    case 'file':
      return { type: attachment.type, url };
    case 'ig_reel':
    case 'reel':
      return { type: 'video', url, mediaId: payload?.reel_video_id ?? undefined, caption: payload?.title };
    case 'location': {
      const point = payload?.coordinates;
      return point ? { type: 'location', latitude: point.lat, longitude: point.long, name: payload?.title } : null;
    }
    default:
      return null;
  }
}

function isAttachmentContent(content: MediaContent): content is AttachmentContent {
  return content.type === 'image' || content.type === 'audio' || content.type === 'video' || content.type === 'file';
}

/** A reply to a story is marked `story:<id>`: it names a story, not a message Signalbox could have stored. */
function replyToOf(message: Message): string | undefined {
  if (message.reply_to?.mid) return message.reply_to.mid;
  const story = message.reply_to?.story;
  return story?.id ? `story:${story.id}` : undefined;
}

/** Meta's referral in the shared shape; `ref` is the m.me / ig.me link parameter or the ad's ref. */
function referralOf(referral: Referral | undefined): MessageEvent['referral'] {
  if (!referral) return undefined;
  const ads = referral.ads_context_data ?? undefined;
  const mapped = {
    source: referral.source,
    adId: referral.ad_id ?? undefined,
    url: ads?.photo_url ?? ads?.video_url ?? referral.referer_uri,
    headline: ads?.ad_title,
    ref: referral.ref,
  };
  return Object.values(mapped).some((v) => v !== undefined) ? mapped : undefined;
}

function fromPostback(value: unknown, scope: ItemScope): InboundEvent[] {
  const parsed = Postback.safeParse(value);
  if (!parsed.success) return [unsupportedItem(scope, 'postback', `unreadable postback: ${describeIssues(parsed.error, '$.postback')}`)];
  const postback = parsed.data;
  const customerId = scope.senderId ?? '';
  // Postbacks from before 2020 (and persistent-menu taps in some versions) carry no mid.
  const messageId = postback.mid ?? `postback:${customerId}:${scope.timeKey}`;
  return [
    {
      kind: 'message',
      ...base(scope, messageId, customerId),
      messageId,
      from: { id: customerId },
      to: scope.recipientId ? { id: scope.recipientId } : undefined,
      content: { type: 'postback', payload: postback.payload ?? '', title: postback.title },
      referral: referralOf(postback.referral),
      echo: false,
    },
  ];
}

function fromReaction(value: unknown, scope: ItemScope): InboundEvent[] {
  const parsed = Reaction.safeParse(value);
  if (!parsed.success) return [unsupportedItem(scope, 'reaction', `unreadable reaction: ${describeIssues(parsed.error, '$.reaction')}`)];
  const reaction = parsed.data;
  const customerId = scope.senderId ?? '';
  const action = reaction.action ?? 'react';
  return [
    {
      kind: 'reaction',
      ...base(scope, `${reaction.mid}:${action}:${customerId}:${scope.timeKey}`, customerId),
      messageId: reaction.mid,
      from: { id: customerId },
      // An unreact may omit the emoji; `reaction` is Meta's word for it (love, like, …) when the emoji is missing.
      emoji: reaction.emoji ?? reaction.reaction ?? '',
      removed: action === 'unreact',
    },
  ];
}

/**
 * Delivery and read receipts. Messenger's read receipt, and its delivery receipt from older clients, name no
 * message: only a watermark ("everything sent before this time"). Those become status events with `upTo`,
 * which the runner applies to every reply sent to the thread until then. Instagram's `read` (messaging_seen)
 * names its `mid`.
 */
function fromReceipt(value: unknown, kind: 'delivery' | 'read', scope: ItemScope): InboundEvent[] {
  const parsed = Receipt.safeParse(value);
  if (!parsed.success) return [unsupportedItem(scope, kind, `unreadable ${kind} receipt: ${describeIssues(parsed.error, `$.${kind}`)}`)];
  const receipt = parsed.data;
  const customerId = scope.senderId ?? '';
  const mids = [...(receipt.mids ?? []), ...(receipt.mid ? [receipt.mid] : [])];
  const status = kind === 'delivery' ? 'delivered' : 'read';
  // Messenger receipts often carry no timestamp; the watermark is the closest time Meta gives.
  const time = scope.item?.timestamp ?? receipt.watermark;
  const timestamp = time === undefined ? scope.timestamp : metaTime(time, scope.now);
  if (mids.length === 0) {
    if (receipt.watermark === undefined) return [unsupportedItem(scope, kind, `a ${kind} receipt with neither message ids nor a watermark`)];
    const id = `${kind}:${customerId}:${String(receipt.watermark)}`;
    return [{ kind: 'status', ...base(scope, id, customerId), timestamp, messageId: id, status, upTo: metaTime(receipt.watermark, scope.now) }];
  }
  return mids.map((mid) => ({ kind: 'status', ...base(scope, `${mid}:${status}`, customerId), timestamp, messageId: mid, status }));
}

/**
 * A person with a thread already open came back through an m.me / ig.me link or an ad (messaging_referrals).
 * There is no message, but flows greet on it, so it becomes a message whose content is `unsupported`
 * (rawType `referral`) carrying the referral.
 */
function fromReferral(value: unknown, scope: ItemScope): InboundEvent[] {
  const parsed = Referral.safeParse(value);
  if (!parsed.success) return [unsupportedItem(scope, 'referral', `unreadable referral: ${describeIssues(parsed.error, '$.referral')}`)];
  const customerId = scope.senderId ?? '';
  const id = `referral:${customerId}:${scope.timeKey}`;
  return [
    {
      kind: 'message',
      ...base(scope, id, customerId),
      messageId: id,
      from: { id: customerId },
      to: scope.recipientId ? { id: scope.recipientId } : undefined,
      content: { type: 'unsupported', rawType: 'referral' },
      referral: referralOf(parsed.data),
      echo: false,
    },
  ];
}

function fromEdit(value: unknown, scope: ItemScope): InboundEvent[] {
  const parsed = MessageEdit.safeParse(value);
  if (!parsed.success) return [unsupportedItem(scope, 'message_edit', `unreadable message_edit: ${describeIssues(parsed.error, '$.message_edit')}`)];
  const edit = parsed.data;
  const customerId = scope.senderId ?? '';
  return [
    {
      kind: 'edit',
      ...base(scope, `${edit.mid}:edit:${scope.item?.timestamp ?? edit.num_edit ?? scope.timeKey}`, customerId),
      messageId: edit.mid,
      from: { id: customerId },
      content: { type: 'text', text: edit.text ?? '' },
    },
  ];
}

/** Page feed changes, Instagram comments and mentions: webhook fields Signalbox does not handle as conversations. */
function normalizeChange(raw: unknown, entry: Entry, platform: MetaMessagingPlatform, now: Date): InboundEvent {
  const change = Change.safeParse(raw);
  const field = change.success ? (change.data.field ?? 'changes') : 'changes';
  const value = ChangeValue.safeParse(change.success ? change.data.value : undefined);
  const author = value.success ? value.data.from : undefined;
  const from = author?.id ? { id: author.id, name: author.name, username: author.username } : undefined;
  const time = (value.success ? value.data.created_time : undefined) ?? entry.time;
  const threadId = from?.id ?? entry.id ?? field;
  return {
    kind: 'unsupported',
    id: `${field}:${hashOf(raw)}`,
    channelType: platform.channelType,
    timestamp: metaTime(time, now),
    thread: { id: threadId, kind: 'direct' },
    raw,
    rawType: field,
    reason: `"${field}" is a ${platform.object === 'page' ? 'Page' : 'Instagram'} change notification, not a conversation event`,
    from,
  };
}

function base(scope: ItemScope, id: string, threadId: string) {
  return {
    id,
    channelType: scope.platform.channelType,
    timestamp: scope.timestamp,
    thread: { id: threadId || scope.entryId || 'unknown', kind: 'direct' as const },
    raw: scope.raw,
  };
}

function unsupportedItem(scope: ItemScope, rawType: string, reason: string): InboundEvent {
  const threadId = scope.senderId ?? scope.entryId ?? rawType;
  return {
    kind: 'unsupported',
    ...base(scope, `${rawType}:${hashOf(scope.raw)}`, threadId),
    rawType,
    reason,
    from: scope.senderId ? { id: scope.senderId } : undefined,
  };
}

/** Meta's times as ISO: epoch milliseconds (Messenger), epoch seconds (older payloads) or ISO strings (Instagram). */
export function metaTime(value: unknown, now: Date): string {
  if (typeof value === 'string' && value.trim() !== '' && !/^\d+(\.\d+)?$/.test(value.trim())) {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? now.toISOString() : new Date(parsed).toISOString();
  }
  return epochToIso(value, now);
}

/** A dedupe key for payloads without an id of their own: the same bytes on a retry give the same key. */
function hashOf(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value) ?? 'undefined')
    .digest('hex')
    .slice(0, 16);
}

function describeIssues(error: z.ZodError, prefix: string): string {
  return error.issues.map((i) => `${formatPath(i.path).replace(/^\$/, prefix)}: ${i.message}`).join('; ');
}
