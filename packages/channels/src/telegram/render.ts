import type { Attachment, Button, OutboundMessage } from '@signalbox/nodes';
import { apiUrl, type OutboundContext, type PlatformCall, type Rendered } from '../outbound.ts';
import { TelegramConfig } from './config.ts';
import { replyTargetOf } from './ids.ts';

/**
 * Renders an outbound message into Bot API calls (https://core.telegram.org/bots/api#available-methods), JSON
 * bodies to `POST {apiBaseUrl}/bot<token>/<method>`. Limits, from the method docs: message text 1-4096
 * characters, captions 0-1024, `callback_data` 1-64 bytes. Telegram does not document a cap on inline buttons;
 * its servers refuse keyboards past 100 buttons ("reply markup is too long").
 *
 * A message that takes several calls (long text, a long caption) replies to the customer's message with the
 * first and carries the keyboard on the last, so the buttons sit under the end of what was said.
 */
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
export const CALLBACK_DATA_MAX_BYTES = 64;
export const KEYBOARD_MAX_BUTTONS = 100;

type ReplyMarkup =
  | { inline_keyboard: { text: string; callback_data: string }[][] }
  | { keyboard: { text: string }[][]; one_time_keyboard: true; resize_keyboard: true; selective?: true };

/** One Bot API method call before the shared fields (chat, reply, keyboard) are added. */
interface Part {
  method: string;
  fields: Record<string, unknown>;
}

interface Plan {
  parts: Part[];
  markup: ReplyMarkup | null;
}

export function renderTelegram(message: OutboundMessage, context: OutboundContext): Rendered {
  const config = TelegramConfig.safeParse(context.config);
  if (!config.success) return { ok: false, error: `invalid Telegram settings: ${config.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  const token = context.secrets.botToken;
  if (!token) return { ok: false, error: 'the channel has no botToken' };
  const replyTo = replyTargetOf(context.inReplyTo);
  const degraded: string[] = [];
  const plan = planMessage(message, replyTo !== null, degraded);
  if (plan.parts.length === 0) return { ok: false, error: 'Telegram cannot send an empty message' };
  const chatId = chatIdOf(context);
  const last = plan.parts.length - 1;
  // A selective keyboard shows only to the sender of the message replied to, so its part replies too.
  const selective = plan.markup !== null && 'selective' in plan.markup;
  const calls = plan.parts.map((part, index): PlatformCall => {
    const body: Record<string, unknown> = { chat_id: chatId, ...part.fields };
    // Sent even when the customer's message is gone: a lost quote is better than a lost reply.
    if (replyTo !== null && (index === 0 || (index === last && selective))) body.reply_parameters = { message_id: replyTo, allow_sending_without_reply: true };
    if (index === last && plan.markup) body.reply_markup = plan.markup;
    return { method: 'POST', url: apiUrl(config.data.apiBaseUrl, `bot${token}/${part.method}`), headers: { 'content-type': 'application/json' }, body };
  });
  return { ok: true, calls, degraded };
}

function planMessage(message: OutboundMessage, replying: boolean, degraded: string[]): Plan {
  switch (message.type) {
    case 'text': {
      const markup = message.buttons.length === 0 ? null : message.quickReplies ? replyKeyboard(message.buttons, replying, degraded) : inlineKeyboard(message.buttons, degraded);
      return { parts: textParts(message.text, degraded), markup };
    }
    case 'media':
      return { parts: mediaParts(message.attachment, message.caption, degraded), markup: message.buttons.length > 0 ? inlineKeyboard(message.buttons, degraded) : null };
    case 'list':
      return listPlan(message, degraded);
    case 'template':
      degraded.push(`template "${message.name}" sent as its fallback text: Telegram has no message templates`);
      return { parts: textParts(message.fallbackText, degraded), markup: null };
    default: {
      const unreachable: never = message;
      return unreachable;
    }
  }
}

function textParts(text: string, degraded: string[]): Part[] {
  const chunks = splitText(text, TEXT_LIMIT);
  if (chunks.length > 1) degraded.push(`text of ${text.length} characters split into ${chunks.length} messages (Telegram allows ${TEXT_LIMIT} per message)`);
  return chunks.map((chunk) => ({ method: 'sendMessage', fields: { text: chunk } }));
}

/** Telegram fetches the file from the URL itself (photos up to 5 MB, other files up to 20 MB). */
function mediaParts(attachment: Attachment, caption: string | undefined, degraded: string[]): Part[] {
  const { method, field } = mediaMethod(attachment);
  if (method === 'sendDocument' && !fetchableDocument(attachment)) {
    degraded.push(`file "${attachment.name ?? attachment.url}" sent by URL: Telegram fetches only PDF, ZIP and GIF documents by URL and may refuse others`);
  }
  const media: Part = { method, fields: { [field]: attachment.url } };
  if (!caption) return [media];
  if (caption.length <= CAPTION_LIMIT) return [{ method, fields: { ...media.fields, caption } }];
  degraded.push(`caption of ${caption.length} characters sent as a separate message (Telegram allows ${CAPTION_LIMIT} on media)`);
  return [media, ...textParts(caption, degraded)];
}

/** sendAudio plays MP3 / M4A in the music player; OGG/Opus is what Telegram shows as a voice note. */
function mediaMethod(attachment: Attachment): { method: string; field: string } {
  switch (attachment.type) {
    case 'image':
      return { method: 'sendPhoto', field: 'photo' };
    case 'audio':
      return /^audio\/(ogg|opus)\b/i.test(attachment.mimeType ?? '') ? { method: 'sendVoice', field: 'voice' } : { method: 'sendAudio', field: 'audio' };
    case 'video':
      return { method: 'sendVideo', field: 'video' };
    case 'file':
      return { method: 'sendDocument', field: 'document' };
    default: {
      const unreachable: never = attachment.type;
      return unreachable;
    }
  }
}

function fetchableDocument(attachment: Attachment): boolean {
  if (attachment.mimeType) return /^(application\/pdf|application\/(x-)?zip(-compressed)?|image\/gif)$/i.test(attachment.mimeType);
  const path = attachment.url.split(/[?#]/)[0] ?? '';
  return /\.(pdf|zip|gif)$/i.test(path);
}

/**
 * Telegram has no list picker: the text names each section and its rows (with their descriptions, which buttons
 * cannot show), and every row becomes an inline button of its own line, in order.
 */
function listPlan(message: Extract<OutboundMessage, { type: 'list' }>, degraded: string[]): Plan {
  const sections = message.sections
    .filter((section) => section.rows.length > 0)
    .map((section) => [section.title, ...section.rows.map((row) => (row.description ? `• ${row.title}: ${row.description}` : `• ${row.title}`))].filter(Boolean).join('\n'));
  const text = [message.text, ...sections].filter(Boolean).join('\n\n');
  degraded.push(`list shown as text with one inline button per row; its "${message.buttonTitle}" opener is dropped (Telegram has no list picker)`);
  const rows = message.sections.flatMap((section) => section.rows.map((row) => ({ id: row.id, title: row.title })));
  return { parts: textParts(text, degraded), markup: rows.length > 0 ? inlineKeyboard(rows, degraded) : null };
}

/** Buttons stay on the message, one per line so long titles are not cut; a press comes back as a callback query with the id. */
function inlineKeyboard(buttons: Button[], degraded: string[]): ReplyMarkup {
  return { inline_keyboard: capButtons(buttons, degraded).map((button, index) => [{ text: button.title, callback_data: callbackData(button, index, degraded) }]) };
}

/**
 * Quick replies become a one-time reply keyboard: it replaces the letter keyboard, hides after one tap, and the
 * tap arrives as the customer's own text message, the button's title (flows match choices by title as well as
 * id). In a group, `selective` with the reply shows it only to the member being answered.
 */
function replyKeyboard(buttons: Button[], replying: boolean, degraded: string[]): ReplyMarkup {
  degraded.push('quick replies sent as a one-time reply keyboard: a choice comes back as text (the button title), not as the button id');
  const keyboard = capButtons(buttons, degraded).map((button) => [{ text: button.title }]);
  return replying ? { keyboard, one_time_keyboard: true, resize_keyboard: true, selective: true } : { keyboard, one_time_keyboard: true, resize_keyboard: true };
}

function capButtons(buttons: Button[], degraded: string[]): Button[] {
  if (buttons.length <= KEYBOARD_MAX_BUTTONS) return buttons;
  degraded.push(`${buttons.length - KEYBOARD_MAX_BUTTONS} buttons dropped: Telegram refuses keyboards of more than ${KEYBOARD_MAX_BUTTONS} buttons`);
  return buttons.slice(0, KEYBOARD_MAX_BUTTONS);
}

/**
 * `callback_data` is 1-64 bytes. A longer id is replaced by the button's title (or, when that is too long too,
 * its position from 1): the press then comes back with the title as its label, and flows match choices by
 * title or by number as well as by id.
 */
function callbackData(button: Button, index: number, degraded: string[]): string {
  if (Buffer.byteLength(button.id) <= CALLBACK_DATA_MAX_BYTES) return button.id;
  const standIn = Buffer.byteLength(button.title) <= CALLBACK_DATA_MAX_BYTES ? button.title : String(index + 1);
  degraded.push(`button "${button.title}": its id is ${Buffer.byteLength(button.id)} bytes, over Telegram's ${CALLBACK_DATA_MAX_BYTES}-byte callback_data; sent as "${standIn}"`);
  return standIn;
}

/** The chat to write to: the thread (a group replies in the group), which in a private chat is the customer's id. */
function chatIdOf(context: OutboundContext): number | string {
  const chat = context.thread || context.to;
  const id = Number(chat);
  // Numeric ids go as numbers; `@channelusername` stays a string, as the Bot API takes either.
  return /^-?\d+$/.test(chat) && Number.isSafeInteger(id) ? id : chat;
}

/**
 * Splits text into pieces of at most `limit` UTF-16 units (never more characters than Telegram counts), at the
 * last paragraph break, else line break, else space in the second half of the piece, else hard (never inside a
 * surrogate pair). The whitespace at a break is dropped; empty pieces are never sent.
 */
export function splitText(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const cut = breakPoint(rest, limit);
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  pieces.push(rest);
  return pieces.filter((piece) => piece.trim() !== '');
}

function breakPoint(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  const floor = Math.floor(limit / 2);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator, limit - separator.length + 1);
    if (at > floor) return at;
  }
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}
