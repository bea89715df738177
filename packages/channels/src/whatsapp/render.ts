import type { Button, OutboundMessage } from '@signalbox/nodes';
import { splitText } from '../meta/messaging-render.ts';
import { apiUrl, type OutboundContext, type PlatformCall, type Rendered } from '../outbound.ts';

/**
 * Renders an outbound message as WhatsApp Cloud API calls: `POST {apiBaseUrl}/{phoneNumberId}/messages` with
 * `{ messaging_product: "whatsapp", recipient_type: "individual", to, type, <type>: {...} }`. Pure.
 *
 * Limits (Cloud API messages reference and interactive messages guide): text 4096 characters; media captions 1024;
 * interactive body 1024; reply buttons 1-3, titles 20; lists at most 10 rows over at most 10 sections, row titles
 * 24, row descriptions 72, section titles 24, the list button's label 20. Characters are counted in UTF-16 units,
 * never fewer than WhatsApp counts, so a text that fits here fits there.
 */
export interface WhatsappSendSettings {
  apiBaseUrl: string;
  phoneNumberId: string;
  accessToken: string;
  /** The label of the button that opens a list, when 4-10 plain choices become one. */
  listButtonLabel: string;
}

export const TEXT_MAX = 4096;
export const CAPTION_MAX = 1024;
export const INTERACTIVE_BODY_MAX = 1024;
export const REPLY_BUTTONS_MAX = 3;
export const BUTTON_TITLE_MAX = 20;
export const LIST_ROWS_MAX = 10;
export const ROW_TITLE_MAX = 24;
export const ROW_DESCRIPTION_MAX = 72;
export const SECTION_TITLE_MAX = 24;
export const LIST_BUTTON_MAX = 20;
/** The customer service window: free-form messages only within 24 hours of the customer's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** When a media message with choices has no caption, WhatsApp still needs a body under the media header. */
const EMPTY_BODY = '…';

type MediaType = 'image' | 'audio' | 'video' | 'document';
interface MediaObject {
  link: string;
  caption?: string;
  filename?: string;
}
type MediaMessage =
  | { type: 'image'; image: MediaObject }
  | { type: 'audio'; audio: MediaObject }
  | { type: 'video'; video: MediaObject }
  | { type: 'document'; document: MediaObject };
/** Reply-button messages take an image, video or document header. */
type Header = Exclude<MediaMessage, { type: 'audio' }>;
interface ListSection {
  title?: string;
  rows: { id: string; title: string; description?: string }[];
}
type Interactive =
  | { type: 'button'; header?: Header; body: { text: string }; action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] } }
  | { type: 'list'; body: { text: string }; action: { button: string; sections: ListSection[] } };

/** The message part of one call's body (`type` and its object). */
export type WhatsappMessage =
  | { type: 'text'; text: { body: string } }
  | MediaMessage
  | { type: 'interactive'; interactive: Interactive }
  | { type: 'template'; template: { name: string; language: { code: string }; components?: { type: 'body'; parameters: { type: 'text'; text: string }[] }[] } };

type Drafted = { ok: true; messages: WhatsappMessage[]; degraded: string[] } | { ok: false; error: string };

export function renderWhatsappMessage(message: OutboundMessage, context: OutboundContext, settings: WhatsappSendSettings): Rendered {
  if (message.type !== 'template') {
    const closed = windowClosed(context);
    if (closed) return { ok: false, error: closed };
  }
  const drafted = draftMessage(message, settings);
  if (!drafted.ok) return drafted;
  const calls: PlatformCall[] = drafted.messages.map((body, index) => ({
    method: 'POST',
    url: apiUrl(settings.apiBaseUrl, `/${encodeURIComponent(settings.phoneNumberId)}/messages`),
    headers: { authorization: `Bearer ${settings.accessToken}` },
    body: {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      ...addressOf(context.to),
      // Only the first part quotes the customer's message; quoting every part of a split answer is noise.
      ...(context.inReplyTo && index === 0 ? { context: { message_id: context.inReplyTo } } : {}),
      ...body,
    },
  }));
  return { ok: true, calls, degraded: drafted.degraded };
}

/**
 * Customers who share only a username are reachable by their business-scoped user id (`CC.<id>`, parent ids
 * `CC.ENT.<id>`), sent as `recipient`; phone numbers go in `to` (Meta's business-scoped user ID guide).
 */
function addressOf(to: string): { to: string } | { recipient: string } {
  return /^[A-Z]{2}\.[A-Za-z0-9.]+$/.test(to) ? { recipient: to } : { to };
}

/**
 * Outside the 24-hour customer service window WhatsApp delivers only approved templates (a free-form send fails
 * with 131047). A known last message decides here, before anything is sent; an unknown one lets WhatsApp decide.
 */
function windowClosed(context: OutboundContext): string | null {
  const last = context.lastInboundAt;
  if (!last) return null;
  const age = context.now.getTime() - last.getTime();
  if (age <= SERVICE_WINDOW_MS) return null;
  const hours = Math.floor(age / 3_600_000);
  return `outside WhatsApp's 24-hour customer service window: the customer last wrote ${hours} h ago (${last.toISOString()}); only an approved template can be sent until they write again`;
}

function draftMessage(message: OutboundMessage, settings: WhatsappSendSettings): Drafted {
  switch (message.type) {
    case 'text':
      return draftChoices(message.text, message.buttons, settings, []);
    case 'media':
      return draftMedia(message, settings);
    case 'list':
      return draftList(message, settings);
    case 'template':
      return { ok: true, messages: [templateMessage(message)], degraded: [] };
    default: {
      const unreachable: never = message;
      return unreachable;
    }
  }
}

function templateMessage(message: Extract<OutboundMessage, { type: 'template' }>): WhatsappMessage {
  const template = { name: message.name, language: { code: message.language } };
  if (message.parameters.length === 0) return { type: 'template', template };
  const parameters = message.parameters.map((text) => ({ type: 'text' as const, text }));
  return { type: 'template', template: { ...template, components: [{ type: 'body', parameters }] } };
}

/**
 * Text with choices: up to 3 become reply buttons; 4-10 a list behind one button (a list row is chosen like a
 * button, and the reply comes back as a list choice); more become numbered lines the customer answers by typing.
 * WhatsApp keeps both buttons and lists on the message, so `quickReplies` changes nothing here.
 */
function draftChoices(text: string, buttons: Button[], settings: WhatsappSendSettings, degraded: string[], header?: Header): Drafted {
  if (text.length === 0) return { ok: false, error: 'WhatsApp cannot send an empty text' };
  if (buttons.length === 0) return { ok: true, messages: textMessages(text, degraded), degraded };
  if (buttons.length <= REPLY_BUTTONS_MAX) {
    const messages = withInteractiveTail(text, degraded, (body) => buttonsMessage(body, buttons, degraded, header));
    return { ok: true, messages, degraded };
  }
  if (buttons.length <= LIST_ROWS_MAX) {
    degraded.push(`${buttons.length} buttons sent as a list: WhatsApp shows at most ${REPLY_BUTTONS_MAX} reply buttons`);
    const rows = buttons.map((b) => ({ id: b.id, title: cut(b.title, ROW_TITLE_MAX, 'list row titles', degraded) }));
    const label = cut(settings.listButtonLabel, LIST_BUTTON_MAX, 'the list button label', degraded);
    const messages = withInteractiveTail(text, degraded, (body) => listMessage(body, label, [{ rows }]));
    return { ok: true, messages, degraded };
  }
  degraded.push(`${buttons.length} choices sent as numbered text: a WhatsApp list holds at most ${LIST_ROWS_MAX}`);
  const numbered = `${text}\n\n${buttons.map((b, i) => `${i + 1}. ${b.title}`).join('\n')}`;
  return { ok: true, messages: textMessages(numbered, degraded), degraded };
}

/**
 * An interactive message's body holds 1024 characters. A longer text goes first as plain messages, and its last
 * part carries the buttons or the list, so nothing of the text is lost.
 */
function withInteractiveTail(text: string, degraded: string[], build: (body: string) => WhatsappMessage): WhatsappMessage[] {
  if (text.length <= INTERACTIVE_BODY_MAX) return [build(text)];
  const parts = splitText(text, INTERACTIVE_BODY_MAX, utf16);
  const tail = parts.at(-1) ?? '';
  const lead = parts.slice(0, -1).join('');
  degraded.push(`text longer than an interactive message's ${INTERACTIVE_BODY_MAX} characters: the choices ride on its last part`);
  return [...textMessages(lead, degraded), build(tail)];
}

function buttonsMessage(body: string, buttons: Button[], degraded: string[], header?: Header): WhatsappMessage {
  const reply = buttons.map((b) => ({ type: 'reply' as const, reply: { id: b.id, title: cut(b.title, BUTTON_TITLE_MAX, 'button titles', degraded) } }));
  return { type: 'interactive', interactive: { type: 'button', ...(header ? { header } : {}), body: { text: body }, action: { buttons: reply } } };
}

function listMessage(body: string, button: string, sections: ListSection[]): WhatsappMessage {
  return { type: 'interactive', interactive: { type: 'list', body: { text: body }, action: { button, sections } } };
}

/**
 * Media by URL (`link`; WhatsApp fetches it). Captions go on images, videos and documents; audio has none, so its
 * caption follows as text. With up to 3 buttons the media becomes the header of a reply-button message (the
 * caption its body); audio cannot be a header, and lists take only text headers, so there the media goes first
 * and the choices follow in a message of their own.
 */
function draftMedia(message: Extract<OutboundMessage, { type: 'media' }>, settings: WhatsappSendSettings): Drafted {
  const { attachment, buttons } = message;
  const caption = message.caption ?? '';
  const type: MediaType = attachment.type === 'file' ? 'document' : attachment.type;
  const degraded: string[] = [];
  const media = (withCaption: boolean): MediaObject => ({
    link: attachment.url,
    ...(withCaption && caption.length > 0 ? { caption } : {}),
    ...(type === 'document' && attachment.name ? { filename: attachment.name } : {}),
  });
  if (buttons.length === 0) {
    if (caption.length === 0) return { ok: true, messages: [mediaMessage(type, media(false))], degraded };
    if (type !== 'audio' && caption.length <= CAPTION_MAX) return { ok: true, messages: [mediaMessage(type, media(true))], degraded };
    degraded.push(type === 'audio' ? 'audio caption sent as a text of its own: WhatsApp audio has no caption' : `caption longer than ${CAPTION_MAX} characters sent as a text of its own`);
    return { ok: true, messages: [mediaMessage(type, media(false)), ...textMessages(caption, degraded)], degraded };
  }
  const body = caption.length > 0 ? caption : (attachment.name ?? EMPTY_BODY);
  if (caption.length === 0) degraded.push(`media with buttons and no caption: "${body}" stands in for the body WhatsApp requires`);
  if (type !== 'audio' && buttons.length <= REPLY_BUTTONS_MAX && body.length <= INTERACTIVE_BODY_MAX) {
    const header = mediaMessage(type, media(false));
    return draftChoices(body, buttons, settings, degraded, header);
  }
  degraded.push(
    type === 'audio'
      ? 'audio and its choices sent as two messages: audio cannot head an interactive message'
      : 'media and its choices sent as separate messages: only up to 3 buttons and a 1024-character caption fit under a media header',
  );
  const choices = draftChoices(body, buttons, settings, degraded);
  if (!choices.ok) return choices;
  return { ok: true, messages: [mediaMessage(type, media(false)), ...choices.messages], degraded };
}

function mediaMessage<T extends MediaType>(type: T, media: MediaObject): Extract<MediaMessage, { type: T }>;
function mediaMessage(type: MediaType, media: MediaObject): MediaMessage {
  switch (type) {
    case 'image':
      return { type, image: media };
    case 'audio':
      return { type, audio: media };
    case 'video':
      return { type, video: media };
    case 'document':
      return { type, document: media };
  }
}

/**
 * A list: at most 10 rows in at most 10 sections (every section kept has a row, so 10 rows bound both), each
 * section titled when there are several. Empty sections are
 * dropped (WhatsApp refuses them); untitled ones among several are merged into one. More than 10 rows become
 * numbered lines under their section titles, which keeps every row.
 */
function draftList(message: Extract<OutboundMessage, { type: 'list' }>, settings: WhatsappSendSettings): Drafted {
  if (message.text.length === 0) return { ok: false, error: 'WhatsApp cannot send a list with an empty text' };
  const degraded: string[] = [];
  const filled = message.sections.filter((s) => s.rows.length > 0);
  const rowCount = filled.reduce((sum, s) => sum + s.rows.length, 0);
  if (rowCount === 0) {
    degraded.push('list without rows sent as text');
    return { ok: true, messages: textMessages(message.text, degraded), degraded };
  }
  if (rowCount > LIST_ROWS_MAX) return numberedList(message, rowCount, degraded);
  const rowsOf = (rows: (typeof filled)[number]['rows']) =>
    rows.map((r) => ({
      id: r.id,
      title: cut(r.title, ROW_TITLE_MAX, 'list row titles', degraded),
      ...(r.description ? { description: cut(r.description, ROW_DESCRIPTION_MAX, 'list row descriptions', degraded) } : {}),
    }));
  let sections: ListSection[];
  if (filled.length > 1 && filled.some((s) => s.title.length === 0)) {
    degraded.push('list sections merged into one: WhatsApp needs a title on each of several sections');
    sections = [{ rows: rowsOf(filled.flatMap((s) => s.rows)) }];
  } else {
    sections = filled.map((s) => ({ ...(s.title ? { title: cut(s.title, SECTION_TITLE_MAX, 'list section titles', degraded) } : {}), rows: rowsOf(s.rows) }));
  }
  const label = cut(message.buttonTitle.length > 0 ? message.buttonTitle : settings.listButtonLabel, LIST_BUTTON_MAX, 'the list button label', degraded);
  const messages = withInteractiveTail(message.text, degraded, (body) => listMessage(body, label, sections));
  return { ok: true, messages, degraded };
}

function numberedList(message: Extract<OutboundMessage, { type: 'list' }>, rowCount: number, degraded: string[]): Drafted {
  degraded.push(`list of ${rowCount} rows sent as numbered text: a WhatsApp list holds at most ${LIST_ROWS_MAX}`);
  let n = 0;
  const lines = message.sections.flatMap((section) => [
    ...(section.title ? [section.title] : []),
    ...section.rows.map((row) => `${++n}. ${row.title}${row.description ? ` - ${row.description}` : ''}`),
  ]);
  return { ok: true, messages: textMessages(`${message.text}\n\n${lines.join('\n')}`, degraded), degraded };
}

/** Text beyond 4096 characters is split (at whitespace where it can be) rather than cut: a reply arrives whole. */
function textMessages(text: string, degraded: string[]): WhatsappMessage[] {
  const chunks = splitText(text, TEXT_MAX, utf16);
  if (chunks.length > 1) degraded.push(`text split into ${chunks.length} messages: WhatsApp carries ${TEXT_MAX} characters per message`);
  return chunks.map((body) => ({ type: 'text', text: { body } }));
}

function utf16(point: string): number {
  return point.length;
}

/** Cuts a label to `max` characters with an ellipsis, noting the cut once per kind of label. */
function cut(text: string, max: number, what: string, degraded: string[]): string {
  if (text.length <= max) return text;
  const note = `${what} cut to ${max} characters`;
  if (!degraded.includes(note)) degraded.push(note);
  let out = '';
  for (const point of text) {
    if (out.length + point.length > max - 1) break;
    out += point;
  }
  return `${out}…`;
}
