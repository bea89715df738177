import type { MessageContent } from '@signalbox/nodes';
import type { Message } from './update.ts';

/**
 * What a Telegram `Message` carries, as normalized content. A message has exactly one kind of content (text, one
 * photo in several sizes, a voice note …); an album arrives as several messages sharing a `media_group_id`.
 * Service messages (someone joined, the title changed, a pin) are not content: the caller turns them into
 * `unsupported` events.
 */
export type ReadContent = { kind: 'content'; content: MessageContent } | { kind: 'service'; field: string };

/** Message fields that announce something happening in the chat rather than something said (Bot API `Message`). */
const SERVICE_FIELDS = [
  'new_chat_members',
  'left_chat_member',
  'new_chat_title',
  'new_chat_photo',
  'delete_chat_photo',
  'group_chat_created',
  'supergroup_chat_created',
  'channel_chat_created',
  'message_auto_delete_timer_changed',
  'migrate_to_chat_id',
  'migrate_from_chat_id',
  'pinned_message',
  'successful_payment',
  'refunded_payment',
  'users_shared',
  'chat_shared',
  'connected_website',
  'write_access_allowed',
  'passport_data',
  'proximity_alert_triggered',
  'boost_added',
  'chat_background_set',
  'forum_topic_created',
  'forum_topic_edited',
  'forum_topic_closed',
  'forum_topic_reopened',
  'general_forum_topic_hidden',
  'general_forum_topic_unhidden',
  'giveaway_created',
  'giveaway_completed',
  'video_chat_scheduled',
  'video_chat_started',
  'video_chat_ended',
  'video_chat_participants_invited',
  'web_app_data',
] as const;

/** Fields every message may have besides its content; whatever else is there names an unknown content kind. */
const ENVELOPE_FIELDS: ReadonlySet<string> = new Set([
  'message_id', 'message_thread_id', 'from', 'sender_chat', 'sender_boost_count', 'sender_business_bot', 'date',
  'business_connection_id', 'chat', 'forward_origin', 'forward_from', 'forward_from_chat', 'forward_from_message_id',
  'forward_signature', 'forward_sender_name', 'forward_date', 'is_topic_message', 'is_automatic_forward',
  'reply_to_message', 'external_reply', 'quote', 'reply_to_story', 'via_bot', 'edit_date', 'has_protected_content',
  'is_from_offline', 'media_group_id', 'author_signature', 'entities', 'caption', 'caption_entities',
  'show_caption_above_media', 'has_media_spoiler', 'link_preview_options', 'effect_id', 'reply_markup',
]);

/** Reads a message's content; `raw` is the message as Telegram sent it, to name unknown kinds. */
export function readContent(message: Message, raw: unknown): ReadContent {
  const content = knownContent(message);
  if (content) return { kind: 'content', content };
  const fields = isRecord(raw) ? Object.keys(raw) : [];
  const service = SERVICE_FIELDS.find((field) => fields.includes(field));
  if (service) return { kind: 'service', field: service };
  return { kind: 'content', content: { type: 'unsupported', rawType: fields.find((f) => !ENVELOPE_FIELDS.has(f)) ?? 'unknown' } };
}

function knownContent(message: Message): MessageContent | null {
  const caption = message.caption;
  if (message.text !== undefined) return { type: 'text', text: message.text };
  // A GIF comes with both `animation` and `document`; it plays as a silent video.
  if (message.animation) return { type: 'video', ...mediaFields(message.animation), caption };
  if (message.photo && message.photo.length > 0) return { type: 'image', ...mediaFields(largest(message.photo)), caption };
  if (message.voice) return { type: 'audio', ...mediaFields(message.voice), voice: true, caption };
  if (message.audio) return { type: 'audio', ...mediaFields(message.audio), caption };
  if (message.video) return { type: 'video', ...mediaFields(message.video), caption };
  if (message.video_note) return { type: 'video', ...mediaFields(message.video_note), caption };
  if (message.document) return { type: 'file', ...mediaFields(message.document), caption };
  if (message.sticker) return stickerContent(message.sticker);
  // A venue also carries `location`; read it first to keep its name and address.
  if (message.venue) {
    const { latitude, longitude } = message.venue.location;
    return { type: 'location', latitude, longitude, name: message.venue.title, address: message.venue.address };
  }
  if (message.location) return { type: 'location', latitude: message.location.latitude, longitude: message.location.longitude };
  if (message.contact) {
    const { first_name, last_name, phone_number, vcard } = message.contact;
    return { type: 'contacts', contacts: [{ name: [first_name, last_name].filter(Boolean).join(' '), phones: [phone_number], emails: vcardEmails(vcard) }] };
  }
  return null;
}

interface TelegramFile {
  file_id: string;
  file_size?: number;
  mime_type?: string;
  file_name?: string;
}

/** Telegram sends no URL: `file_id` is fetched later with getFile (valid at least an hour per link). */
function mediaFields(file: TelegramFile) {
  return { mediaId: file.file_id, mimeType: file.mime_type, name: file.file_name, size: file.file_size };
}

/** Photos come in several sizes, smallest first; the largest is the one worth keeping. `sizes` is not empty. */
function largest<T extends { width?: number; height?: number; file_size?: number }>(sizes: T[]): T {
  const area = (size: T) => (size.width ?? 0) * (size.height ?? 0) || (size.file_size ?? 0);
  return sizes.reduce((best, size) => (area(size) >= area(best) ? size : best));
}

type Sticker = NonNullable<Message['sticker']>;

/**
 * The schema's sticker fields were named after LINE's: the set name is the package, `file_unique_id` (the same
 * for every bot and over time) the sticker. The emoji Telegram pairs with the sticker goes in `caption`, which is
 * what flows read as a sticker's text: a thumbs-up sticker then reads as "👍".
 */
function stickerContent(sticker: Sticker): MessageContent {
  const mimeType = isTrue(sticker.is_video) ? 'video/webm' : isTrue(sticker.is_animated) ? 'application/x-tgsticker' : 'image/webp';
  return {
    type: 'sticker',
    mediaId: sticker.file_id,
    mimeType,
    size: sticker.file_size,
    packageId: sticker.set_name,
    stickerId: sticker.file_unique_id,
    caption: sticker.emoji,
  };
}

function isTrue(flag: unknown): boolean {
  return flag === true || flag === 1;
}

function vcardEmails(vcard: string | undefined): string[] {
  if (!vcard) return [];
  return [...vcard.matchAll(/^EMAIL[^:\r\n]*:(.+)$/gim)].map((match) => (match[1] ?? '').trim()).filter(Boolean);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
