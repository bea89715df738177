import type { Button, OutboundMessage } from '@signalbox/nodes';
import { apiUrl, type OutboundContext, type PlatformCall, type Rendered } from '../outbound.ts';
import { lineRetryKey } from './retry-key.ts';

/**
 * Outbound messages as LINE push requests `POST {apiBaseUrl}/v2/bot/message/push { to, messages }`, with the
 * limits of the Messaging API reference ("Message objects", "Action objects", "Send push message"):
 * at most 5 message objects per request, text up to 5000 characters counted in UTF-16 code units (JavaScript's
 * `length`), media by https URL only, quick replies up to 13 with 20-character labels, postback data and display
 * text up to 300 characters, a Flex Message bubble up to 30 KB of JSON with 40-character button labels, and
 * `altText` (the notification and chat-list line of a Flex Message) up to 400 characters.
 */
export const MESSAGES_PER_REQUEST = 5;
export const TEXT_MAX = 5000;
export const QUICK_REPLIES_MAX = 13;
export const QUICK_REPLY_LABEL_MAX = 20;
export const FLEX_BUTTON_LABEL_MAX = 40;
export const FLEX_BUBBLE_MAX_BYTES = 30 * 1024;
export const ALT_TEXT_MAX = 400;
export const POSTBACK_DATA_MAX = 300;
export const DISPLAY_TEXT_MAX = 300;
export const MEDIA_URL_MAX = 2000;

type LineAction = { type: 'postback'; label: string; data: string; displayText: string } | { type: 'message'; label: string; text: string };

interface QuickReply {
  items: { type: 'action'; action: LineAction }[];
}

interface FlexBubble {
  type: 'bubble';
  body: { type: 'box'; layout: 'vertical'; contents: [{ type: 'text'; text: string; wrap: true }] };
  footer: { type: 'box'; layout: 'vertical'; spacing: 'sm'; contents: { type: 'button'; style: 'link'; height: 'sm'; action: LineAction }[] };
}

/** One message object of a push request. */
export type LineMessage = (
  | { type: 'text'; text: string }
  | { type: 'image'; originalContentUrl: string; previewImageUrl: string }
  | { type: 'flex'; altText: string; contents: FlexBubble }
) & { quickReply?: QuickReply };

export interface LineSendSettings {
  apiBaseUrl: string;
  channelAccessToken: string;
}

interface Draft {
  messages: LineMessage[];
  degraded: string[];
}

type Drafted = { ok: true; draft: Draft } | { ok: false; error: string };

/**
 * Renders one outbound message as push requests (one, unless it takes more than 5 message objects). Pure.
 * The push goes to the thread: the customer's userId in a 1:1 chat, the groupId or roomId in a group, where
 * pushing to the member would open a 1:1 chat instead.
 */
export function renderLineMessage(message: OutboundMessage, context: OutboundContext, settings: LineSendSettings): Rendered {
  const to = context.thread || context.to;
  if (!to) return { ok: false, error: 'LINE push needs a recipient: the conversation has no thread or customer id' };
  const drafted = draftMessage(message);
  if (!drafted.ok) return drafted;
  const { messages, degraded } = drafted.draft;
  const calls: PlatformCall[] = [];
  for (let start = 0; start < messages.length; start += MESSAGES_PER_REQUEST) {
    calls.push({
      method: 'POST',
      url: apiUrl(settings.apiBaseUrl, '/v2/bot/message/push'),
      headers: { authorization: `Bearer ${settings.channelAccessToken}`, 'x-line-retry-key': lineRetryKey(context.idempotencyKey, calls.length) },
      body: { to, messages: messages.slice(start, start + MESSAGES_PER_REQUEST) },
    });
  }
  return { ok: true, calls, degraded };
}

function draftMessage(message: OutboundMessage): Drafted {
  switch (message.type) {
    case 'text':
      return draftChoices(message.text, message.buttons, !message.quickReplies);
    case 'media':
      return draftMedia(message);
    case 'list':
      return draftList(message);
    case 'template': {
      const drafted = draftChoices(message.fallbackText, [], false);
      if (!drafted.ok) return drafted;
      const note = `template "${message.name}" sent as its fallback text: LINE has no message templates to push`;
      return { ok: true, draft: { ...drafted.draft, degraded: [note, ...drafted.draft.degraded] } };
    }
    default: {
      const unreachable: never = message;
      return unreachable;
    }
  }
}

/**
 * Text with choices. Buttons that must stay (`persistent`) become a Flex Message bubble: the text in its body,
 * one link button per choice in its footer. A buttons template was the other candidate, but it holds 160
 * characters of text and 4 buttons with 20-character labels, so most real questions would not fit; a bubble
 * keeps the whole text and any number of buttons within LINE's 30 KB bubble limit, with 40-character labels.
 * Quick replies (up to 13, gone after a choice) carry the rest; beyond 13, the choices become numbered lines.
 */
function draftChoices(text: string, buttons: Button[], persistent: boolean): Drafted {
  if (text.length === 0) return { ok: false, error: 'LINE cannot send an empty text' };
  const degraded: string[] = [];
  if (buttons.length === 0) return { ok: true, draft: { messages: textMessages(text, degraded), degraded } };
  if (persistent) {
    const bubble = flexWithButtons(text, buttons, degraded);
    if (bubble) return { ok: true, draft: { messages: bubble, degraded } };
    note(degraded, `buttons sent as quick replies: they do not fit a Flex Message bubble (${FLEX_BUBBLE_MAX_BYTES / 1024} KB)`);
  }
  if (buttons.length <= QUICK_REPLIES_MAX) {
    return { ok: true, draft: { messages: withQuickReplies(textMessages(text, degraded), buttons, degraded), degraded } };
  }
  note(degraded, `${buttons.length} choices sent as numbered text: LINE shows at most ${QUICK_REPLIES_MAX} quick replies`);
  return { ok: true, draft: { messages: textMessages(`${text}\n\n${numbered(buttons.map((b) => b.title))}`, degraded), degraded } };
}

/** The text (all but its last 5000-character part as plain text messages) and a bubble with the buttons; null when too big. */
function flexWithButtons(text: string, buttons: Button[], degraded: string[]): LineMessage[] | null {
  const notes: string[] = [];
  const parts = textParts(text, notes);
  const last = parts.pop() ?? text;
  const bubble: FlexBubble = {
    type: 'bubble',
    body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: last, wrap: true }] },
    footer: {
      type: 'box',
      layout: 'vertical',
      spacing: 'sm',
      contents: buttons.map((b) => ({ type: 'button', style: 'link', height: 'sm', action: choiceAction(b, FLEX_BUTTON_LABEL_MAX, notes) })),
    },
  };
  if (Buffer.byteLength(JSON.stringify(bubble)) > FLEX_BUBBLE_MAX_BYTES) return null;
  for (const n of notes) note(degraded, n);
  return [...parts.map((part): LineMessage => ({ type: 'text', text: part })), { type: 'flex', altText: cut(last, ALT_TEXT_MAX), contents: bubble }];
}

/**
 * An image LINE can show (an https URL), then the caption with any buttons. Everything else becomes a text link:
 * LINE takes media only from https URLs, a video only with a preview image and an audio only with its duration
 * (neither is in Signalbox's attachment), and a bot cannot send files at all.
 */
function draftMedia(message: Extract<OutboundMessage, { type: 'media' }>): Drafted {
  const { attachment, caption, buttons } = message;
  const linkReason = mediaLinkReason(attachment.type, attachment.url);
  if (linkReason) {
    const link = attachment.name ? `${attachment.name}: ${attachment.url}` : attachment.url;
    const drafted = draftChoices(caption ? `${caption}\n${link}` : link, buttons, true);
    if (!drafted.ok) return drafted;
    return { ok: true, draft: { ...drafted.draft, degraded: [linkReason, ...drafted.draft.degraded] } };
  }
  // LINE wants a preview image (JPEG or PNG, at most 1 MB) beside the original; the attachment has only the
  // original, so it serves as both; LINE may show no preview for an original over 1 MB.
  const image: LineMessage = { type: 'image', originalContentUrl: attachment.url, previewImageUrl: attachment.url };
  if (caption) {
    const captioned = draftChoices(caption, buttons, true);
    if (!captioned.ok) return captioned;
    return { ok: true, draft: { messages: [image, ...captioned.draft.messages], degraded: captioned.draft.degraded } };
  }
  if (buttons.length === 0) return { ok: true, draft: { messages: [image], degraded: [] } };
  const degraded = ['image buttons sent as quick replies: no caption to carry them'];
  if (buttons.length <= QUICK_REPLIES_MAX) return { ok: true, draft: { messages: withQuickReplies([image], buttons, degraded), degraded } };
  note(degraded, `${buttons.length} choices sent as numbered text: LINE shows at most ${QUICK_REPLIES_MAX} quick replies`);
  return { ok: true, draft: { messages: [image, ...textMessages(numbered(buttons.map((b) => b.title)), degraded)], degraded } };
}

function mediaLinkReason(type: 'image' | 'audio' | 'video' | 'file', url: string): string | null {
  if (type === 'file') return 'file sent as a link: LINE bots cannot send files';
  if (type === 'video') return 'video sent as a link: LINE needs a preview image for a video, and the message has none';
  if (type === 'audio') return "audio sent as a link: LINE needs an audio's duration, and the message has none";
  if (!/^https:\/\//i.test(url)) return 'image sent as a link: LINE only takes images from https URLs';
  if (url.length > MEDIA_URL_MAX) return `image sent as a link: its URL is longer than LINE's ${MEDIA_URL_MAX} characters`;
  return null;
}

/**
 * LINE has no list message. Up to 13 rows become quick replies under the text (section titles and row
 * descriptions are not shown); more become numbered lines that keep all of them.
 */
function draftList(message: Extract<OutboundMessage, { type: 'list' }>): Drafted {
  if (message.text.length === 0) return { ok: false, error: 'LINE cannot send a list with an empty text' };
  const rows = message.sections.flatMap((s) => s.rows);
  const degraded: string[] = [];
  if (rows.length > 0 && rows.length <= QUICK_REPLIES_MAX) {
    degraded.push('list sent as quick replies');
    if (rows.some((r) => r.description)) degraded.push('list row descriptions dropped');
    const choices = rows.map((r) => ({ id: r.id, title: r.title }));
    return { ok: true, draft: { messages: withQuickReplies(textMessages(message.text, degraded), choices, degraded), degraded } };
  }
  if (rows.length > 0) degraded.push(`list of ${rows.length} rows sent as numbered text: LINE shows at most ${QUICK_REPLIES_MAX} quick replies`);
  let n = 0;
  const lines = message.sections.flatMap((section) => [
    ...(section.title ? [section.title] : []),
    ...section.rows.map((row) => `${++n}. ${row.title}${row.description ? ` - ${row.description}` : ''}`),
  ]);
  const text = lines.length > 0 ? `${message.text}\n\n${lines.join('\n')}` : message.text;
  return { ok: true, draft: { messages: textMessages(text, degraded), degraded } };
}

function textMessages(text: string, degraded: string[]): LineMessage[] {
  return textParts(text, degraded).map((part) => ({ type: 'text', text: part }));
}

function textParts(text: string, degraded: string[]): string[] {
  const parts = splitText(text, TEXT_MAX);
  if (parts.length > 1) note(degraded, `text of ${text.length} characters sent as ${parts.length} messages: a LINE text holds ${TEXT_MAX}`);
  return parts;
}

/** Quick replies show only on the last message object LINE receives (Messaging API reference, "Quick reply"). */
function withQuickReplies(messages: LineMessage[], buttons: Button[], degraded: string[]): LineMessage[] {
  const last = messages[messages.length - 1];
  if (!last) return messages;
  const quickReply: QuickReply = { items: buttons.map((b) => ({ type: 'action', action: choiceAction(b, QUICK_REPLY_LABEL_MAX, degraded) })) };
  return [...messages.slice(0, -1), { ...last, quickReply }];
}

/**
 * A choice as a postback action: the button id comes back as `postback.data` (what flows match on), and the
 * title shows in the chat as the customer's message (`displayText`). An id longer than LINE's 300 characters
 * cannot travel as data, so that choice sends its title as a plain message instead.
 */
function choiceAction(button: Button, labelMax: number, degraded: string[]): LineAction {
  if (button.title.length > labelMax) note(degraded, `button labels cut to ${labelMax} characters`);
  const label = cut(button.title, labelMax);
  if (button.id.length > POSTBACK_DATA_MAX) {
    note(degraded, `button ids longer than ${POSTBACK_DATA_MAX} characters sent as message actions with their title`);
    return { type: 'message', label, text: cut(button.title, DISPLAY_TEXT_MAX) };
  }
  return { type: 'postback', label, data: button.id, displayText: cut(button.title, DISPLAY_TEXT_MAX) };
}

function numbered(titles: string[]): string {
  return titles.map((title, i) => `${i + 1}. ${title}`).join('\n');
}

function note(degraded: string[], text: string): void {
  if (!degraded.includes(text)) degraded.push(text);
}

/** Cuts to `max` UTF-16 code units with an ellipsis, never between the halves of a surrogate pair. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * Parts of at most `max` UTF-16 code units that join back to the exact text: each part ends after the last
 * line break or space of its window when there is one in the window's second half, and never splits a
 * surrogate pair.
 */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let end = max;
    const window = rest.slice(0, max);
    const breakAt = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    if (breakAt >= max / 2) end = breakAt + 1;
    else if (isHighSurrogate(rest.charCodeAt(end - 1))) end -= 1;
    parts.push(rest.slice(0, end));
    rest = rest.slice(end);
  }
  parts.push(rest);
  return parts;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
