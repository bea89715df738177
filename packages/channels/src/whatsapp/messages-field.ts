import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { formatPath, type InboundEvent, type MessageEvent, type Party } from '@signalbox/nodes';
import { epochToIso } from '../adapter.ts';
import { messageContent } from './message-content.ts';
import {
  Contact,
  Edit,
  EchoesValue,
  Message,
  type MessagesValue,
  PlatformError,
  Reaction,
  Revoke,
  Status,
  SystemChange,
  type Referral,
} from './payload.ts';

/**
 * Events of the `messages` webhook field (customer messages, receipts of the business's messages, errors) and of
 * `smb_message_echoes` (messages the business sent from the WhatsApp Business app on a coexistence number).
 *
 * Who is who: the customer is `from` (their phone number, the wa_id) or, when they share only a username,
 * `from_user_id` (the business-scoped user id, BSUID). The thread is the customer, or the group (`group_id`).
 * The business is the value's `metadata.phone_number_id`. Echoes turn that around: `from` is the business and
 * `to` / `to_user_id` the customer, whose thread they belong to.
 */
export interface ValueScope {
  /** The business phone number (`metadata`), the `to` of customer messages and the `from` of echoes. */
  business: Party | undefined;
  contacts: Contact[];
  /** The thread of events that name no customer: the phone number id, else the WABA id. */
  fallbackThread: string;
  now: Date;
}

export function valueScope(metadata: z.infer<typeof MessagesValue>['metadata'], contacts: unknown[] | undefined, fallback: string, now: Date): ValueScope {
  const phoneNumberId = metadata?.phone_number_id;
  const business = phoneNumberId ? { id: phoneNumberId, phone: metadata.display_phone_number } : undefined;
  const parsed = (contacts ?? []).flatMap((c) => {
    const contact = Contact.safeParse(c);
    return contact.success ? [contact.data] : [];
  });
  return { business, contacts: parsed, fallbackThread: phoneNumberId ?? fallback, now };
}

/** A `messages` change value (or an On-Premises body): its messages, then statuses, then errors, in Meta's order. */
export function messagesFieldEvents(value: z.infer<typeof MessagesValue>, scope: ValueScope): InboundEvent[] {
  const events = [
    ...(value.messages ?? []).flatMap((m) => messageEvents(m, scope, false)),
    ...(value.statuses ?? []).map((s) => statusEvent(s, scope)),
    ...(value.errors ?? []).map((e) => accountErrorEvent(e, scope)),
  ];
  if (events.length > 0) return events;
  return [unsupported(value, 'messages', 'a messages notification with no messages, statuses or errors', scope)];
}

export function echoesFieldEvents(value: unknown, fallback: string, now: Date): InboundEvent[] {
  const parsed = EchoesValue.safeParse(value);
  if (!parsed.success) {
    const scope = valueScope(undefined, undefined, fallback, now);
    return [unsupported(value, 'smb_message_echoes', `unreadable echoes: ${describeIssues(parsed.error, '$.value')}`, scope)];
  }
  const scope = valueScope(parsed.data.metadata, undefined, fallback, now);
  const echoes = parsed.data.message_echoes ?? [];
  if (echoes.length === 0) return [unsupported(value, 'smb_message_echoes', 'an echoes notification without message_echoes', scope)];
  return echoes.flatMap((echo) => messageEvents(echo, scope, true));
}

/** What every event of one message shares. */
interface MessageScope {
  raw: unknown;
  message: Message;
  type: string;
  /** The message's id, or a hash of it for relays that drop ids (the same body always gives the same id). */
  id: string;
  timestamp: string;
  customer: Party;
  thread: InboundEvent['thread'];
  /** The author: the customer, or the business for an echo. */
  from: Party;
  echo: boolean;
  value: ValueScope;
}

function messageEvents(raw: unknown, value: ValueScope, echo: boolean): InboundEvent[] {
  const parsed = Message.safeParse(raw);
  if (!parsed.success) return [unsupported(raw, 'message', `unreadable message: ${describeIssues(parsed.error, '$')}`, value)];
  const message = parsed.data;
  const type = message.type ?? 'message';
  if (type === 'system' && !echo) return [systemEvent(raw, message, value)];
  const customer = echo ? recipientOf(message, value) : senderOf(message, value);
  if (!customer) {
    const missing = echo ? 'to / to_user_id' : 'from / from_user_id';
    return [unsupported(raw, type, `a ${echo ? 'message echo' : 'message'} without ${missing}`, value)];
  }
  const scope: MessageScope = {
    raw,
    message,
    type,
    id: message.id ?? `${type}:${hashOf(raw)}`,
    timestamp: epochToIso(message.timestamp, value.now),
    customer,
    thread: message.group_id ? { id: message.group_id, kind: 'group' } : { id: customer.id, kind: 'direct' },
    from: echo ? businessOf(message, value) : customer,
    echo,
    value,
  };
  switch (type) {
    case 'reaction':
      return [reactionEvent(scope)];
    case 'edit':
      return [editEvent(scope)];
    case 'revoke':
      return [deleteEvent(scope)];
    case 'request_welcome':
      return [welcomeEvent(scope)];
    default:
      return [contentEvent(scope)];
  }
}

function senderOf(message: Message, value: ValueScope): Party | null {
  const id = message.from ?? message.from_user_id;
  if (!id) return null;
  const contact = value.contacts.find((c) => (message.from !== undefined && c.wa_id === message.from) || (message.from_user_id !== undefined && c.user_id === message.from_user_id));
  return { id, name: contact?.profile?.name, username: contact?.profile?.username, phone: message.from };
}

function recipientOf(message: Message, value: ValueScope): Party | null {
  const id = message.to ?? message.to_user_id;
  if (!id) return null;
  const contact = value.contacts.find((c) => (message.to !== undefined && c.wa_id === message.to) || (message.to_user_id !== undefined && c.user_id === message.to_user_id));
  return { id, name: contact?.profile?.name, username: contact?.profile?.username, phone: message.to };
}

/** The business as the author of an echo: its phone number id, like the `to` of customer messages. */
function businessOf(message: Message, value: ValueScope): Party {
  if (value.business) return value.business;
  return { id: message.from ?? value.fallbackThread, phone: message.from };
}

function base(scope: MessageScope, id: string) {
  return { id, channelType: 'whatsapp', timestamp: scope.timestamp, thread: scope.thread, raw: scope.raw };
}

function contentEvent(scope: MessageScope): MessageEvent {
  const { message } = scope;
  const context = message.context;
  return {
    kind: 'message',
    ...base(scope, scope.id),
    messageId: scope.id,
    from: scope.from,
    to: scope.echo ? scope.customer : scope.value.business,
    content: messageContent(message, scope.type),
    replyTo: context?.id,
    referral: referralOf(message.referral),
    echo: scope.echo,
    forwarded: context?.forwarded === true || context?.frequently_forwarded === true ? true : undefined,
  };
}

/**
 * `request_welcome`: the customer opened the chat for the first time and has written nothing yet. Meta sends it
 * so the business can greet them, so it becomes a message (flows run on it, and the customer service window is
 * open) whose content is `unsupported` with rawType `request_welcome`: a flow greets on that, and nothing
 * mistakes it for text. It carries no message id; the customer and time make one.
 */
function welcomeEvent(scope: MessageScope): MessageEvent {
  const time = scope.message.timestamp;
  const id = scope.message.id ?? `request_welcome:${scope.customer.id}:${time === undefined ? hashOf(scope.raw) : String(time)}`;
  return { ...contentEvent(scope), id, messageId: id, content: { type: 'unsupported', rawType: 'request_welcome' } };
}

/**
 * A reaction names the message it is on; an empty emoji takes the reaction back. Its own message id is the
 * event id. The business's own reactions, echoed from the WhatsApp Business app, are kept as `unsupported`:
 * a reaction event means the customer reacted.
 */
function reactionEvent(scope: MessageScope): InboundEvent {
  const parsed = Reaction.safeParse(scope.message.reaction);
  if (!parsed.success) return unsupported(scope.raw, 'reaction', `unreadable reaction: ${describeIssues(parsed.error, '$.reaction')}`, scope.value, scope);
  if (scope.echo) return unsupported(scope.raw, 'reaction', 'a reaction the business sent from the WhatsApp Business app (echo)', scope.value, scope);
  const emoji = parsed.data.emoji ?? '';
  return { kind: 'reaction', ...base(scope, scope.id), messageId: parsed.data.message_id, from: scope.from, emoji, removed: emoji === '' };
}

/** An edit carries the whole new message; the event names the original, as the stored message does. */
function editEvent(scope: MessageScope): InboundEvent {
  const parsed = Edit.safeParse(scope.message.edit);
  if (!parsed.success) return unsupported(scope.raw, 'edit', `unreadable edit: ${describeIssues(parsed.error, '$.edit')}`, scope.value, scope);
  const { original_message_id: original, message } = parsed.data;
  const innerType = typeof message?.type === 'string' ? message.type : 'edit';
  const time = scope.message.timestamp === undefined ? hashOf(scope.raw) : String(scope.message.timestamp);
  return {
    kind: 'edit',
    ...base(scope, `${original}:edit:${time}`),
    messageId: original,
    from: scope.from,
    content: message ? messageContent(message, innerType) : { type: 'unsupported', rawType: 'edit' },
  };
}

function deleteEvent(scope: MessageScope): InboundEvent {
  const parsed = Revoke.safeParse(scope.message.revoke);
  if (!parsed.success) return unsupported(scope.raw, 'revoke', `unreadable revoke: ${describeIssues(parsed.error, '$.revoke')}`, scope.value, scope);
  const original = parsed.data.original_message_id;
  return { kind: 'delete', ...base(scope, `${original}:delete`), messageId: original, from: scope.from };
}

/**
 * System messages tell that the customer's identity changed: a new phone number (`user_changed_number`; On-Premises
 * `customer_changed_number`) or a new BSUID (`user_changed_user_id`). The event sits on the thread the customer had
 * (the previous id), so it reaches the conversation it concerns; `from` is the customer as they are now.
 */
function systemEvent(raw: unknown, message: Message, value: ValueScope): InboundEvent {
  const parsed = SystemChange.safeParse(message.system);
  const system = parsed.success ? parsed.data : {};
  const systemType = system.type ?? 'unknown';
  const id = message.id ?? `system:${hashOf(raw)}`;
  const timestamp = epochToIso(message.timestamp, value.now);
  const change = identityChangeOf(system, message);
  if (!change) return unsupported(raw, `system:${systemType}`, `a system message of type "${systemType}" that changes no customer id`, value);
  const { current, previous } = change;
  return {
    kind: 'identity-change',
    id,
    channelType: 'whatsapp',
    timestamp,
    thread: { id: previous ?? current.id, kind: 'direct' },
    raw,
    from: current,
    previousId: previous,
  };
}

function identityChangeOf(system: z.infer<typeof SystemChange>, message: Message): { current: Party; previous: string | undefined } | null {
  switch (system.type) {
    case 'user_changed_number':
    case 'customer_changed_number': {
      const phone = system.new_wa_id ?? system.wa_id;
      return phone ? { current: { id: phone, phone }, previous: message.from } : null;
    }
    case 'user_changed_user_id':
      return system.user_id ? { current: { id: system.user_id, phone: message.from }, previous: system.previous_user_id } : null;
    default:
      return null;
  }
}

const STATUSES = { sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed' } as const;

function isKnownStatus(status: string): status is keyof typeof STATUSES {
  return Object.hasOwn(STATUSES, status);
}

/**
 * A receipt of a message the business sent. One message gets several (sent, delivered, read), so the status is
 * part of the id. The thread is the recipient: the customer, or the group when `recipient_type` says so.
 */
function statusEvent(raw: unknown, value: ValueScope): InboundEvent {
  const parsed = Status.safeParse(raw);
  if (!parsed.success) return unsupported(raw, 'status', `unreadable status: ${describeIssues(parsed.error, '$')}`, value);
  const status = parsed.data;
  const recipient = status.recipient_id ?? status.recipient_user_id;
  const thread = { id: recipient ?? value.fallbackThread, kind: status.recipient_type === 'group' ? ('group' as const) : ('direct' as const) };
  const timestamp = epochToIso(status.timestamp, value.now);
  if (!isKnownStatus(status.status)) {
    return {
      kind: 'unsupported',
      id: `${status.id}:${status.status}`,
      channelType: 'whatsapp',
      timestamp,
      thread,
      raw,
      rawType: `status:${status.status}`,
      reason: `a "${status.status}" receipt: Signalbox knows sent, delivered, read and failed`,
    };
  }
  const error = status.errors?.map((e) => PlatformError.safeParse(e)).find((e) => e.success)?.data;
  return {
    kind: 'status',
    id: `${status.id}:${status.status}`,
    channelType: 'whatsapp',
    timestamp,
    thread,
    raw,
    messageId: status.id,
    status: STATUSES[status.status],
    error: error ? { code: error.code ?? 'unknown', message: errorText(error) } : undefined,
  };
}

/** `title: details`, the way Meta's error reference words them; either alone when the other is missing. */
export function errorText(error: z.infer<typeof PlatformError>): string {
  const title = error.title ?? error.message;
  const details = error.error_data?.details ?? error.details;
  if (title && details && details !== title) return `${title}: ${details}`;
  return title ?? details ?? 'no description';
}

/** `value.errors`: trouble with the phone number or app (not with one message). Kept for people, not flows. */
function accountErrorEvent(raw: unknown, value: ValueScope): InboundEvent {
  const parsed = PlatformError.safeParse(raw);
  const text = parsed.success ? `${parsed.data.code ?? 'unknown'}: ${errorText(parsed.data)}` : 'unreadable error';
  return unsupported(raw, 'errors', `WhatsApp reported an error for the phone number: ${text}`, value);
}

/**
 * Click-to-WhatsApp ads and posts: `source_type` (ad / post), `source_id` (the ad id), `source_url`, and the ad's
 * `headline` and `body`. The media URLs and the click id (`ctwa_clid`) stay in `raw`.
 */
function referralOf(referral: Referral | undefined): MessageEvent['referral'] {
  if (!referral) return undefined;
  const mapped = { source: referral.source_type, adId: referral.source_id, url: referral.source_url, headline: referral.headline, body: referral.body };
  return Object.values(mapped).some((v) => v !== undefined) ? mapped : undefined;
}

function unsupported(raw: unknown, rawType: string, reason: string, value: ValueScope, scope?: MessageScope): InboundEvent {
  return {
    kind: 'unsupported',
    id: scope ? `${scope.id}:${rawType}` : `${rawType}:${hashOf(raw)}`,
    channelType: 'whatsapp',
    timestamp: scope?.timestamp ?? value.now.toISOString(),
    thread: scope?.thread ?? { id: value.fallbackThread, kind: 'direct' },
    raw,
    rawType,
    reason,
    from: scope?.from,
  };
}

/** A dedupe key for payloads without an id of their own: the same bytes on a retry give the same key. */
export function hashOf(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value) ?? 'undefined')
    .digest('hex')
    .slice(0, 16);
}

export function describeIssues(error: z.ZodError, prefix: string): string {
  return error.issues.map((i) => `${formatPath(i.path).replace(/^\$/, prefix)}: ${i.message}`).join('; ');
}
