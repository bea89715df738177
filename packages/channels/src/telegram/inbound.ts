import { z } from 'zod';
import { formatPath, type InboundEvent, type MessageContent, type Party } from '@signalbox/nodes';
import { epochToIso, readJson, safeEqual, type ChannelSecrets, type InboundAdapter, type InboundRequest, type Normalized, type Verification } from '../adapter.ts';
import { isRecord, readContent } from './content.ts';
import { telegramMessageId } from './ids.ts';
import { Chat, Update, User, type CallbackQuery, type Message, type MessageReaction, type ReactionType } from './update.ts';

/**
 * Telegram Bot API webhooks: one `Update` per POST (https://core.telegram.org/bots/api#update), authenticated by
 * the `secret_token` given to setWebhook, which Telegram repeats in `X-Telegram-Bot-Api-Secret-Token`. There is
 * no handshake: the webhook is registered by calling setWebhook (`registerTelegramWebhook`).
 *
 * Ids. The event id is `update_id`: Telegram redelivers an unanswered update with the same id, which is what the
 * dedupe needs. Message ids are `<chat.id>:<message_id>` (ids.ts says why).
 *
 * Bots: a bot never receives its own messages, and the Bot FAQ says bots do not see other bots' messages, so
 * nothing here is an echo. Messages with `from.is_bot` still arrive in groups: an anonymous admin writes as
 * @GroupAnonymousBot with `sender_chat` the group. That is a person speaking for the group, so it is a message,
 * with `from` the chat spoken for (`sender_chat`, as for channel posts and a linked channel's automatic forwards).
 */
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

const CHANNEL_TYPE = 'telegram';

export const telegramInbound: InboundAdapter = {
  type: CHANNEL_TYPE,
  verify: verifyTelegramSecret,
  normalize: ({ body, now }) => Promise.resolve(normalizeTelegram(body, now)),
};

export function verifyTelegramSecret(request: InboundRequest, secrets: ChannelSecrets): Verification {
  const expected = secrets.secretToken;
  if (!expected) return { ok: false, reason: 'the channel has no secretToken to check X-Telegram-Bot-Api-Secret-Token with' };
  const given = request.headers[TELEGRAM_SECRET_HEADER];
  if (given === undefined) return { ok: false, reason: 'missing X-Telegram-Bot-Api-Secret-Token header' };
  return safeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'X-Telegram-Bot-Api-Secret-Token does not match the channel\'s secret token' };
}

/** Parses one webhook body into its one event. Never throws. */
export function normalizeTelegram(body: Buffer, now: Date): Normalized {
  const json = readJson(body);
  if (!json.ok) return { ok: false, error: 'malformed_body', issues: json.issues };
  const parsed = Update.safeParse(json.value);
  if (!parsed.success) {
    return { ok: false, error: 'invalid_body', issues: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  }
  return { ok: true, events: [normalizeUpdate(parsed.data, json.value, now)] };
}

function normalizeUpdate(update: Update, raw: unknown, now: Date): InboundEvent {
  const id = String(update.update_id);
  if (update.message) return messageEvent(id, update.message, fieldOf(raw, 'message'), raw, now);
  if (update.channel_post) return messageEvent(id, update.channel_post, fieldOf(raw, 'channel_post'), raw, now);
  if (update.edited_message) return editEvent(id, update.edited_message, fieldOf(raw, 'edited_message'), raw, now);
  if (update.edited_channel_post) return editEvent(id, update.edited_channel_post, fieldOf(raw, 'edited_channel_post'), raw, now);
  if (update.callback_query) return callbackEvent(id, update.callback_query, raw, now);
  if (update.message_reaction) return reactionEvent(id, update.message_reaction, raw, now);
  return unsupportedUpdate(id, raw, now);
}

function threadOf(chat: Chat): InboundEvent['thread'] {
  return chat.type === 'private' ? { id: String(chat.id), kind: 'direct' } : { id: String(chat.id), kind: 'group', title: chat.title };
}

function userParty(user: User): Party {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return { id: String(user.id), name: name || undefined, username: user.username, locale: user.language_code };
}

function chatParty(chat: Chat): Party {
  const name = chat.title ?? [chat.first_name, chat.last_name].filter(Boolean).join(' ');
  return { id: String(chat.id), name: name || undefined, username: chat.username };
}

/** Who wrote: the chat spoken for when there is one (channel post, anonymous admin), else the user. */
function senderOf(message: Message): Party {
  if (message.sender_chat) return chatParty(message.sender_chat);
  return message.from ? userParty(message.from) : chatParty(message.chat);
}

/** One field of the update as Telegram sent it (a message with all its fields, to name unknown content kinds). */
function fieldOf(raw: unknown, field: string): unknown {
  return isRecord(raw) ? raw[field] : undefined;
}

function messageEvent(id: string, message: Message, rawMessage: unknown, raw: unknown, now: Date): InboundEvent {
  const read = readContent(message, rawMessage);
  const base = { id, channelType: CHANNEL_TYPE, timestamp: epochToIso(message.date, now), thread: threadOf(message.chat), raw };
  if (read.kind === 'service') {
    return { kind: 'unsupported', ...base, rawType: read.field, reason: 'a service message (members, title, pins, payments…) has no meaning for flows', from: senderOf(message) };
  }
  return {
    kind: 'message',
    ...base,
    messageId: telegramMessageId(message.chat.id, message.message_id),
    from: senderOf(message),
    content: read.content,
    replyTo: message.reply_to_message ? telegramMessageId(message.chat.id, message.reply_to_message.message_id) : undefined,
    locale: message.from?.language_code,
    echo: false,
    forwarded: message.forward_origin !== undefined || message.forward_date !== undefined ? true : undefined,
  };
}

function editEvent(id: string, message: Message, rawMessage: unknown, raw: unknown, now: Date): InboundEvent {
  const read = readContent(message, rawMessage);
  const content: MessageContent = read.kind === 'content' ? read.content : { type: 'unsupported', rawType: read.field };
  return {
    kind: 'edit',
    id,
    channelType: CHANNEL_TYPE,
    timestamp: epochToIso(message.edit_date ?? message.date, now),
    thread: threadOf(message.chat),
    raw,
    messageId: telegramMessageId(message.chat.id, message.message_id),
    from: senderOf(message),
    content,
  };
}

/**
 * A press on an inline keyboard button. The query has its own id but no date; its `message` is the bot's message
 * the button was on (an `InaccessibleMessage` with date 0 when older than Telegram keeps, without buttons), so
 * the button's label is looked up there and the pressed message becomes `replyTo`.
 */
function callbackEvent(id: string, query: CallbackQuery, raw: unknown, now: Date): InboundEvent {
  const chat = query.message?.chat;
  const content: MessageContent =
    query.data === undefined
      ? { type: 'unsupported', rawType: query.game_short_name === undefined ? 'callback_query' : 'callback_game' }
      : { type: 'interactive', id: query.data, title: buttonLabel(query.message, query.data) ?? query.data, kind: 'button' };
  return {
    kind: 'message',
    id,
    channelType: CHANNEL_TYPE,
    timestamp: now.toISOString(),
    thread: chat ? threadOf(chat) : { id: String(query.from.id), kind: 'direct' },
    raw,
    messageId: `callback:${query.id}`,
    from: userParty(query.from),
    content,
    replyTo: query.message && chat ? telegramMessageId(chat.id, query.message.message_id) : undefined,
    locale: query.from.language_code,
    echo: false,
  };
}

function buttonLabel(message: Message | undefined, data: string): string | undefined {
  const rows = message?.reply_markup?.inline_keyboard ?? [];
  return rows.flat().find((button) => button.callback_data === data)?.text;
}

/**
 * `message_reaction` gives a user's whole reaction list before and after. The event names the reaction that
 * changed: the one added, else the one taken back (`removed`; all of them when the new list is empty).
 * Delivered only to bots that are admins of a group, and only when `allowed_updates` names it.
 */
function reactionEvent(id: string, reaction: MessageReaction, raw: unknown, now: Date): InboundEvent {
  return {
    kind: 'reaction',
    id,
    channelType: CHANNEL_TYPE,
    timestamp: epochToIso(reaction.date, now),
    thread: threadOf(reaction.chat),
    raw,
    messageId: telegramMessageId(reaction.chat.id, reaction.message_id),
    from: reaction.user ? userParty(reaction.user) : chatParty(reaction.actor_chat ?? reaction.chat),
    ...reactionChange(reaction.old_reaction.map(reactionLabel), reaction.new_reaction.map(reactionLabel)),
  };
}

function reactionChange(before: string[], after: string[]): { emoji: string; removed: boolean } {
  const added = after.find((label) => !before.includes(label));
  if (added !== undefined) return { emoji: added, removed: false };
  const taken = before.find((label) => !after.includes(label));
  if (taken !== undefined) return { emoji: taken, removed: true };
  return { emoji: after[0] ?? '', removed: after.length === 0 };
}

/** An emoji as itself; a custom emoji by its id; a paid reaction as the star it costs. */
function reactionLabel(reaction: ReactionType): string {
  if (reaction.emoji) return reaction.emoji;
  if (reaction.custom_emoji_id) return `custom_emoji:${reaction.custom_emoji_id}`;
  return reaction.type === 'paid' ? '⭐' : reaction.type;
}

const UNSUPPORTED_REASONS: Readonly<Record<string, string>> = {
  my_chat_member: "the bot's own membership changed (added, removed, blocked or unblocked by the user)",
  chat_member: 'a member joined, left or changed rights in a chat',
  chat_join_request: 'someone asked to join a chat',
  message_reaction_count: 'anonymous reaction counts carry no customer',
  inline_query: 'inline mode is not a conversation',
  chosen_inline_result: 'inline mode is not a conversation',
  business_message: 'a Telegram Business chat: answering it needs the business connection, which this channel does not use',
};

function unsupportedReason(rawType: string, empty: boolean): string {
  if (Object.hasOwn(UNSUPPORTED_REASONS, rawType)) return UNSUPPORTED_REASONS[rawType] ?? rawType;
  return empty ? 'the update holds nothing' : 'an update type without a meaning for flows';
}

/** Whatever else an update may hold: where it happened and who did it, when the payload says. */
const Actor = z.looseObject({ chat: Chat.optional(), from: User.optional(), user: User.optional(), date: z.number().optional() });

function unsupportedUpdate(id: string, raw: unknown, now: Date): InboundEvent {
  const fields = isRecord(raw) ? Object.keys(raw).filter((key) => key !== 'update_id') : [];
  const rawType = fields[0] ?? 'empty_update';
  const actor = Actor.safeParse(fieldOf(raw, rawType));
  const who = actor.success ? (actor.data.from ?? actor.data.user) : undefined;
  const chat = actor.success ? actor.data.chat : undefined;
  const from = who ? userParty(who) : undefined;
  return {
    kind: 'unsupported',
    id,
    channelType: CHANNEL_TYPE,
    timestamp: epochToIso(actor.success ? actor.data.date : undefined, now),
    // Bot-wide updates (a poll's state) belong to no chat; they share one thread per channel.
    thread: chat ? threadOf(chat) : from ? { id: from.id, kind: 'direct' } : { id: 'bot', kind: 'direct' },
    raw,
    rawType,
    reason: unsupportedReason(rawType, fields.length === 0),
    from,
  };
}
