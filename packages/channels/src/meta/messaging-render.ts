import type { Button, OutboundMessage } from '@signalbox/nodes';
import { apiUrl, type OutboundContext, type PlatformCall, type Rendered } from '../outbound.ts';

/**
 * What Messenger and Instagram share on the way out: the Send API body `{ recipient, messaging_type, message }`,
 * quick replies, the button template, attachments by URL and the 24-hour standard messaging window. The two
 * differ in the text limit (Messenger 2000 characters, Instagram 1000 UTF-8 bytes), in attachment caching and in
 * the path; a profile says which.
 */
export interface MetaSendProfile {
  /** "Messenger" / "Instagram", for degradation notes and errors people read. */
  platformName: string;
  /** The longest text one message carries, in `unit`s. */
  textMax: number;
  textUnit: 'characters' | 'bytes';
  /** Messenger caches a URL attachment for reuse when asked (`is_reusable`); Instagram documents only `url`. */
  reusableAttachments: boolean;
}

/** The channel's settings the render needs, read from its config and secrets by the platform adapter. */
export interface MetaSendSettings {
  apiBaseUrl: string;
  /** `/{pageId}/messages` or `/me/messages`. */
  path: string;
  pageAccessToken: string;
  /** Send outside the 24-hour window (up to 7 days) with the HUMAN_AGENT tag. */
  humanAgentTag: boolean;
}

/** Quick replies: up to 13, titles cut at 20 characters (Messenger and Instagram quick-reply docs). */
export const QUICK_REPLIES_MAX = 13;
export const CHOICE_TITLE_MAX = 20;
/** Button template: 1-3 postback buttons, text up to 640 characters (Messenger / Instagram button template docs). */
export const TEMPLATE_BUTTONS_MAX = 3;
export const TEMPLATE_TEXT_MAX = 640;
/** Standard messaging window after the customer's last message; HUMAN_AGENT extends it to 7 days. */
export const STANDARD_WINDOW_MS = 24 * 60 * 60 * 1000;
export const HUMAN_AGENT_WINDOW_MS = 7 * STANDARD_WINDOW_MS;

interface QuickReply {
  content_type: 'text';
  title: string;
  payload: string;
}

interface ButtonTemplate {
  type: 'template';
  payload: { template_type: 'button'; text: string; buttons: { type: 'postback'; title: string; payload: string }[] };
}

interface MediaAttachment {
  type: 'image' | 'audio' | 'video' | 'file';
  payload: { url: string; is_reusable?: true };
}

/** The `message` object of one Send API call. */
export type MetaMessage = { text: string; quick_replies?: QuickReply[] } | { attachment: ButtonTemplate | MediaAttachment; quick_replies?: QuickReply[] };

interface Draft {
  messages: MetaMessage[];
  degraded: string[];
}

type Drafted = { ok: true; draft: Draft } | { ok: false; error: string };

/** Renders one outbound message as Send API calls, or says why it cannot be sent now. Pure. */
export function renderMetaMessage(message: OutboundMessage, context: OutboundContext, profile: MetaSendProfile, settings: MetaSendSettings): Rendered {
  const window = windowTag(context, profile, settings);
  if (!window.ok) return window;
  const drafted = draftMessage(message, profile);
  if (!drafted.ok) return drafted;
  const { messages, degraded } = drafted.draft;
  const calls: PlatformCall[] = messages.map((body) => ({
    method: 'POST',
    url: apiUrl(settings.apiBaseUrl, settings.path),
    headers: { authorization: `Bearer ${settings.pageAccessToken}` },
    body: { recipient: { id: context.to }, ...window.tagging, message: body },
  }));
  return { ok: true, calls, degraded: window.note ? [...degraded, window.note] : degraded };
}

type WindowTag =
  | { ok: true; tagging: { messaging_type: 'RESPONSE' } | { messaging_type: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' }; note?: string }
  | { ok: false; error: string };

/**
 * Meta lets a business answer for 24 hours after the customer's last message; later sends fail with
 * 10/2018278. The HUMAN_AGENT tag stretches that to 7 days, for replies a person wrote: the channel setting
 * `humanAgentTag` is the shop's statement that its late replies are. When the last message time is unknown the
 * send is tried and Meta decides.
 */
function windowTag(context: OutboundContext, profile: MetaSendProfile, settings: MetaSendSettings): WindowTag {
  const last = context.lastInboundAt;
  const age = last ? context.now.getTime() - last.getTime() : 0;
  if (!last || age <= STANDARD_WINDOW_MS) return { ok: true, tagging: { messaging_type: 'RESPONSE' } };
  if (settings.humanAgentTag && age <= HUMAN_AGENT_WINDOW_MS) {
    return { ok: true, tagging: { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }, note: 'sent with the HUMAN_AGENT tag: outside the 24-hour window' };
  }
  const hours = Math.floor(age / 3_600_000);
  const allowed = settings.humanAgentTag ? "the HUMAN_AGENT tag's 7 days" : "the 24-hour standard messaging window (enable humanAgentTag for a person's replies up to 7 days)";
  return { ok: false, error: `outside ${profile.platformName}'s messaging window: the customer last wrote ${hours} h ago (${last.toISOString()}), beyond ${allowed}` };
}

function draftMessage(message: OutboundMessage, profile: MetaSendProfile): Drafted {
  switch (message.type) {
    case 'text':
      return draftChoices(message.text, message.buttons, message.quickReplies, profile);
    case 'media':
      return draftMedia(message, profile);
    case 'list':
      return draftList(message, profile);
    case 'template': {
      const drafted = draftChoices(message.fallbackText, [], true, profile);
      if (!drafted.ok) return drafted;
      const note = `template "${message.name}" sent as its fallback text: ${profile.platformName} has no message templates`;
      return { ok: true, draft: { ...drafted.draft, degraded: [note, ...drafted.draft.degraded] } };
    }
    default: {
      const unreachable: never = message;
      return unreachable;
    }
  }
}

/**
 * Text with choices. Buttons that must stay (`quickReplies: false`) become a button template when they fit (at
 * most 3, text at most 640 characters); otherwise quick replies, which keep the whole text and up to 13
 * choices, are preferred over a generic-template carousel, which would cut the text to an 80-character title
 * and spread the choices over cards. More than 13 choices become numbered lines in the text.
 */
function draftChoices(text: string, buttons: Button[], quickReplies: boolean, profile: MetaSendProfile): Drafted {
  if (text.length === 0) return { ok: false, error: `${profile.platformName} cannot send an empty text` };
  const degraded: string[] = [];
  if (buttons.length === 0) return { ok: true, draft: { messages: textMessages(text, profile, degraded), degraded } };
  if (!quickReplies && buttons.length <= TEMPLATE_BUTTONS_MAX && text.length <= TEMPLATE_TEXT_MAX && fitsText(text, profile)) {
    return { ok: true, draft: { messages: [buttonTemplate(text, buttons, degraded)], degraded } };
  }
  if (!quickReplies) {
    degraded.push(
      buttons.length > TEMPLATE_BUTTONS_MAX
        ? `${buttons.length} buttons sent as quick replies: a button template holds ${TEMPLATE_BUTTONS_MAX}`
        : `buttons sent as quick replies: text longer than a button template's ${TEMPLATE_TEXT_MAX} characters`,
    );
  }
  if (buttons.length <= QUICK_REPLIES_MAX) {
    return { ok: true, draft: { messages: withQuickReplies(textMessages(text, profile, degraded), buttons, degraded), degraded } };
  }
  degraded.push(`${buttons.length} choices sent as numbered text: ${profile.platformName} shows at most ${QUICK_REPLIES_MAX} quick replies`);
  const numbered = `${text}\n\n${buttons.map((b, i) => `${i + 1}. ${b.title}`).join('\n')}`;
  return { ok: true, draft: { messages: textMessages(numbered, profile, degraded), degraded } };
}

/** The attachment by URL first, then the caption (with any buttons) as a message of its own. */
function draftMedia(message: Extract<OutboundMessage, { type: 'media' }>, profile: MetaSendProfile): Drafted {
  const attachment: MediaAttachment = {
    type: message.attachment.type,
    payload: profile.reusableAttachments ? { url: message.attachment.url, is_reusable: true } : { url: message.attachment.url },
  };
  if (message.caption !== undefined && message.caption.length > 0) {
    const caption = draftChoices(message.caption, message.buttons, false, profile);
    if (!caption.ok) return caption;
    return { ok: true, draft: { messages: [{ attachment }, ...caption.draft.messages], degraded: caption.draft.degraded } };
  }
  if (message.buttons.length === 0) return { ok: true, draft: { messages: [{ attachment }], degraded: [] } };
  // Without a caption there is no text for a button template; quick replies can ride on the attachment itself.
  const degraded = ['media buttons sent as quick replies: no caption to carry a button template'];
  const shown = message.buttons.slice(0, QUICK_REPLIES_MAX);
  if (shown.length < message.buttons.length) degraded.push(`${message.buttons.length - shown.length} buttons dropped: at most ${QUICK_REPLIES_MAX} quick replies`);
  return { ok: true, draft: { messages: [{ attachment, quick_replies: quickRepliesOf(shown, degraded) }], degraded } };
}

/**
 * Neither platform has a list message. Up to 13 rows become quick replies under the text (section titles, row
 * descriptions and the list button's title are not shown); more become numbered lines that keep all of them.
 */
function draftList(message: Extract<OutboundMessage, { type: 'list' }>, profile: MetaSendProfile): Drafted {
  const rows = message.sections.flatMap((s) => s.rows);
  if (message.text.length === 0) return { ok: false, error: `${profile.platformName} cannot send a list with an empty text` };
  const degraded: string[] = [];
  if (rows.length > 0 && rows.length <= QUICK_REPLIES_MAX) {
    degraded.push('list sent as quick replies');
    if (rows.some((r) => r.description)) degraded.push('list row descriptions dropped');
    const choices = rows.map((r) => ({ id: r.id, title: r.title }));
    return { ok: true, draft: { messages: withQuickReplies(textMessages(message.text, profile, degraded), choices, degraded), degraded } };
  }
  if (rows.length > 0) degraded.push(`list of ${rows.length} rows sent as numbered text: at most ${QUICK_REPLIES_MAX} quick replies`);
  let n = 0;
  const lines = message.sections.flatMap((section) => [
    ...(section.title ? [section.title] : []),
    ...section.rows.map((row) => `${++n}. ${row.title}${row.description ? ` - ${row.description}` : ''}`),
  ]);
  const text = lines.length > 0 ? `${message.text}\n\n${lines.join('\n')}` : message.text;
  return { ok: true, draft: { messages: textMessages(text, profile, degraded), degraded } };
}

function buttonTemplate(text: string, buttons: Button[], degraded: string[]): MetaMessage {
  return {
    attachment: {
      type: 'template',
      payload: { template_type: 'button', text, buttons: buttons.map((b) => ({ type: 'postback', title: choiceTitle(b.title, degraded), payload: b.id })) },
    },
  };
}

function withQuickReplies(messages: MetaMessage[], choices: Button[], degraded: string[]): MetaMessage[] {
  const last = messages.at(-1);
  if (!last) return messages;
  return [...messages.slice(0, -1), { ...last, quick_replies: quickRepliesOf(choices, degraded) }];
}

function quickRepliesOf(choices: Button[], degraded: string[]): QuickReply[] {
  return choices.map((c) => ({ content_type: 'text', title: choiceTitle(c.title, degraded), payload: c.id }));
}

function choiceTitle(title: string, degraded: string[]): string {
  const points = Array.from(title);
  if (points.length <= CHOICE_TITLE_MAX) return title;
  const note = `choice titles cut to ${CHOICE_TITLE_MAX} characters`;
  if (!degraded.includes(note)) degraded.push(note);
  return `${points.slice(0, CHOICE_TITLE_MAX - 1).join('')}…`;
}

function textMessages(text: string, profile: MetaSendProfile, degraded: string[]): MetaMessage[] {
  const chunks = splitText(text, profile.textMax, unitsOf(profile));
  if (chunks.length > 1) degraded.push(`text split into ${chunks.length} messages: ${profile.platformName} carries ${profile.textMax} ${profile.textUnit} per message`);
  return chunks.map((chunk) => ({ text: chunk }));
}

function fitsText(text: string, profile: MetaSendProfile): boolean {
  const units = unitsOf(profile);
  return Array.from(text).reduce((sum, point) => sum + units(point), 0) <= profile.textMax;
}

/** Messenger counts characters (measured in UTF-16 units, never fewer than Meta's count); Instagram UTF-8 bytes. */
function unitsOf(profile: MetaSendProfile): (point: string) => number {
  return profile.textUnit === 'bytes' ? (point) => Buffer.byteLength(point, 'utf8') : (point) => point.length;
}

/**
 * Cuts text into pieces of at most `max` units without splitting a character, preferring to break after
 * whitespace in the second half of a piece so words stay whole. The pieces join back to the exact text.
 */
export function splitText(text: string, max: number, units: (point: string) => number): string[] {
  const points = Array.from(text);
  const chunks: string[] = [];
  let start = 0;
  while (start < points.length) {
    let end = start;
    let used = 0;
    for (let point = points[end]; point !== undefined && used + units(point) <= max; point = points[end]) {
      used += units(point);
      end += 1;
    }
    if (end < points.length) {
      const half = start + Math.floor((end - start) / 2);
      for (let i = end - 1; i > half; i -= 1) {
        if (/\s/.test(points[i] ?? '')) {
          end = i + 1;
          break;
        }
      }
    }
    end = Math.max(end, start + 1);
    chunks.push(points.slice(start, end).join(''));
    start = end;
  }
  return chunks;
}
