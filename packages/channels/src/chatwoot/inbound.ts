import { createHash } from 'node:crypto';
import { z } from 'zod';
import { formatPath, type InboundEvent, type MessageEvent } from '@signalbox/nodes';
import { epochToIso, hmac, readJson, safeEqual, type ChannelSecrets, type InboundAdapter, type InboundRequest, type Normalized, type Verification } from '../adapter.ts';

/**
 * Chatwoot account webhooks and agent-bot webhooks (both post the same event bodies): a shop on Chatwoot puts
 * flows in front of its inboxes. One POST carries one event, named by `event`.
 *
 * Threads are Chatwoot conversations, as `<account id>:<conversation id>` (the conversation id is the one in
 * the dashboard URL and in the Application API, unique per account). Customers are Chatwoot contacts, by
 * contact id. Message ids are Chatwoot message ids, which is also what the outbound side reads as externalId.
 */
export const CHATWOOT_SIGNATURE_HEADER = 'x-chatwoot-signature';
export const CHATWOOT_TIMESTAMP_HEADER = 'x-chatwoot-timestamp';

export const chatwootInbound: InboundAdapter = {
  type: 'chatwoot',
  verify: verifyChatwoot,
  normalize({ body, now }) {
    return Promise.resolve(normalizeChatwoot(body, now));
  },
};

/**
 * Chatwoot signs deliveries of webhooks that have a secret: `X-Chatwoot-Signature: sha256=<hex>`, the
 * HMAC-SHA256 of `<X-Chatwoot-Timestamp>.<raw body>` (Chatwoot's webhook API schema, field `secret`).
 * Versions that do not sign are checked by a `?token=` in the webhook URL instead. No freshness window on
 * the timestamp: `verify` is a pure function of the request, and a replayed delivery repeats an event id
 * that ingress drops.
 */
export function chatwootSignature(secret: string, timestamp: string, body: Buffer): string {
  return `sha256=${hmac('sha256', secret, Buffer.concat([Buffer.from(`${timestamp}.`), body]), 'hex')}`;
}

export function verifyChatwoot(request: InboundRequest, secrets: ChannelSecrets): Verification {
  const { webhookSecret, webhookToken } = secrets;
  if (!webhookSecret && !webhookToken) return { ok: false, reason: 'the channel has neither a webhookSecret nor a webhookToken to check requests with' };
  const signature = request.headers[CHATWOOT_SIGNATURE_HEADER];
  const timestamp = request.headers[CHATWOOT_TIMESTAMP_HEADER];
  if (webhookSecret && signature && timestamp && safeEqual(signature.trim(), chatwootSignature(webhookSecret, timestamp.trim(), request.body))) return { ok: true };
  const token = new URL(request.url, 'http://localhost').searchParams.get('token');
  if (webhookToken && token !== null && safeEqual(token, webhookToken)) return { ok: true };
  const reasons = [
    webhookSecret ? (!signature || !timestamp ? 'no X-Chatwoot-Signature / X-Chatwoot-Timestamp headers' : 'X-Chatwoot-Signature does not match the body') : null,
    webhookToken ? (token === null ? 'no token in the URL' : 'the URL token does not match') : null,
  ];
  return { ok: false, reason: reasons.filter((r) => r !== null).join('; ') };
}

const Id = z.union([z.number(), z.string().min(1)]).transform(String);

const Contact = z
  .object({
    id: Id,
    name: z.string().nullish(),
    email: z.string().nullish(),
    phone_number: z.string().nullish(),
    identifier: z.string().nullish(),
    type: z.string().nullish(),
  })
  .passthrough();

const Attachment = z
  .object({
    id: Id.optional(),
    file_type: z.string().nullish(),
    data_url: z.string().nullish(),
    file_size: z.number().int().nonnegative().nullish(),
    extension: z.string().nullish(),
    coordinates_lat: z.number().nullish(),
    coordinates_long: z.number().nullish(),
    fallback_title: z.string().nullish(),
  })
  .passthrough();

const SubmittedValue = z.object({ title: z.string().nullish(), value: z.union([z.string(), z.number()]).transform(String) }).passthrough();

/** Message.webhook_data: the message with its conversation, inbox and account. */
const MessagePayload = z
  .object({
    event: z.string(),
    id: Id,
    content: z.string().nullish(),
    created_at: z.union([z.string(), z.number()]).nullish(),
    message_type: z.union([z.enum(['incoming', 'outgoing', 'activity', 'template']), z.number().int()]),
    content_type: z.string().nullish(),
    content_attributes: z
      .object({
        in_reply_to: z.union([z.number(), z.string()]).nullish(),
        deleted: z.boolean().nullish(),
        submitted_values: z.array(SubmittedValue).nullish(),
      })
      .passthrough()
      .nullish(),
    private: z.boolean().nullish(),
    status: z.string().nullish(),
    sender: Contact.nullish(),
    attachments: z.array(Attachment).nullish(),
    inbox: z.object({ id: Id, name: z.string().nullish() }).passthrough().nullish(),
    conversation: z
      .object({
        id: Id,
        account_id: Id.nullish(),
        meta: z.object({ sender: Contact.nullish() }).passthrough().nullish(),
      })
      .passthrough(),
    account: z.object({ id: Id, name: z.string().nullish() }).passthrough().nullish(),
  })
  .passthrough();
type MessagePayload = z.infer<typeof MessagePayload>;

interface EventBase {
  channelType: string;
  timestamp: string;
  thread: { id: string; kind: 'direct' };
  raw: unknown;
}

const MESSAGE_TYPES = ['incoming', 'outgoing', 'activity', 'template'] as const;
type MessageType = (typeof MESSAGE_TYPES)[number];

/** The fields other events may carry that locate them (conversation, contact, account); all optional. */
const LooseEvent = z
  .object({
    event: z.string(),
    id: Id.nullish(),
    account_id: Id.nullish(),
    account: z.object({ id: Id.nullish() }).passthrough().nullish(),
    messages: z.array(z.object({ account_id: Id.nullish() }).passthrough()).nullish(),
    meta: z.object({ sender: Contact.nullish() }).passthrough().nullish(),
    conversation: z.object({ id: Id.nullish(), account_id: Id.nullish() }).passthrough().nullish(),
    current_conversation: z.object({ id: Id.nullish() }).passthrough().nullish(),
    contact: Contact.nullish(),
    timestamp: z.union([z.number(), z.string()]).nullish(),
  })
  .passthrough();
type LooseEvent = z.infer<typeof LooseEvent>;

const Envelope = z.object({ event: z.string().min(1) }).passthrough();

export function normalizeChatwoot(body: Buffer, now: Date): Normalized {
  const json = readJson(body);
  if (!json.ok) return { ok: false, error: 'malformed_body', issues: json.issues };
  const envelope = Envelope.safeParse(json.value);
  if (!envelope.success) return invalid(envelope.error);
  const { event } = envelope.data;
  if (event === 'message_created' || event === 'message_updated') {
    const message = MessagePayload.safeParse(json.value);
    if (!message.success) return invalid(message.error);
    return { ok: true, events: [messageEvent(message.data, json.value, body, now)] };
  }
  const loose = LooseEvent.safeParse(json.value);
  if (!loose.success) return invalid(loose.error);
  return { ok: true, events: [otherEvent(loose.data, json.value, body, now)] };
}

function invalid(error: z.ZodError): Normalized {
  return { ok: false, error: 'invalid_body', issues: error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
}

function messageEvent(message: MessagePayload, raw: unknown, body: Buffer, now: Date): InboundEvent {
  const type = messageType(message.message_type);
  const accountId = message.account?.id ?? message.conversation.account_id ?? 'unknown';
  const base: EventBase = {
    channelType: 'chatwoot',
    timestamp: chatwootTime(message.created_at, now),
    thread: { id: `${accountId}:${message.conversation.id}`, kind: 'direct' },
    raw,
  };
  const created = message.event === 'message_created';
  const unsupported = (rawType: string, reason: string): InboundEvent => ({
    kind: 'unsupported',
    ...base,
    id: created ? `message_created:${message.id}` : `message_updated:${message.id}:${digest(body)}`,
    rawType,
    reason,
  });
  if (message.private) return unsupported(`${message.event}:private_note`, 'a private note: agents only, never shown to the customer');
  if (type === 'activity' || type === null) return unsupported(`${message.event}:${String(message.message_type)}`, 'a conversation activity line (assignment, status change), not a message');
  const contact = customer(message);
  if (type === 'outgoing' || type === 'template') {
    return created ? businessEcho(message, base, accountId) : ownMessageUpdate(message, base, unsupported);
  }
  if (!contact) return unsupported(`${message.event}:no_sender`, 'an incoming message without its contact');
  if (created) {
    return {
      kind: 'message',
      ...base,
      id: `message_created:${message.id}`,
      messageId: message.id,
      from: contact,
      ...(message.inbox ? { to: { id: message.inbox.id, ...(message.inbox.name ? { name: message.inbox.name } : {}) } } : {}),
      ...messageBody(message),
      ...replyTo(message),
      echo: false,
    };
  }
  const id = `message_updated:${message.id}:${digest(body)}`;
  // Chatwoot keeps a deleted message and flags it; its content is already gone.
  if (message.content_attributes?.deleted) return { kind: 'delete', ...base, timestamp: now.toISOString(), id, messageId: message.id, from: contact };
  // Chatwoot gives no edit time: the event is dated when it arrives.
  return { kind: 'edit', ...base, timestamp: now.toISOString(), id, messageId: message.id, from: contact, content: messageBody(message).content };
}

/** The business's own reply (an agent's, a bot's, a campaign's): seen as it is sent, never a customer message. */
function businessEcho(message: MessagePayload, base: EventBase, accountId: string): InboundEvent {
  const account = message.account;
  return {
    kind: 'message',
    ...base,
    id: `message_created:${message.id}`,
    messageId: message.id,
    from: { id: accountId, ...(account?.name ? { name: account.name } : {}) },
    ...messageBody(message),
    ...replyTo(message),
    echo: true,
  };
}

/**
 * Updates of the business's own messages: the customer picking an option of an input_select (the web widget
 * writes `submitted_values` onto the options message), a delivery status where the version sends one, or an
 * agent's edit (nothing for flows).
 */
function ownMessageUpdate(message: MessagePayload, base: EventBase, unsupported: (rawType: string, reason: string) => InboundEvent): InboundEvent {
  const choice = message.content_attributes?.submitted_values?.[0];
  const contact = message.conversation.meta?.sender ? party(message.conversation.meta.sender) : null;
  if (message.content_type === 'input_select' && choice && contact) {
    return {
      kind: 'message',
      ...base,
      id: `message_updated:${message.id}:submitted:${choice.value}`,
      messageId: `${message.id}:submitted`,
      from: contact,
      content: { type: 'interactive', id: choice.value, title: choice.title ?? choice.value, kind: 'button' },
      replyTo: message.id,
      echo: false,
    };
  }
  const status = message.status;
  if (status === 'delivered' || status === 'read' || status === 'failed') {
    const externalError = message.content_attributes?.['external_error'];
    return {
      kind: 'status',
      ...base,
      id: `message_updated:${message.id}:${status}`,
      messageId: message.id,
      status,
      ...(status === 'failed' ? { error: { code: 'external_error', message: typeof externalError === 'string' ? externalError : 'the channel behind Chatwoot refused the message' } } : {}),
    };
  }
  return unsupported('message_updated:outgoing', "an update of the business's own message (an agent's edit, a status): nothing for flows");
}

function messageType(value: MessagePayload['message_type']): MessageType | null {
  return typeof value === 'number' ? (MESSAGE_TYPES[value] ?? null) : value;
}

/** The contact who wrote: the sender of an incoming message, else the conversation's contact. */
function customer(message: MessagePayload): MessageEvent['from'] | null {
  const sender = message.sender && (message.sender.type ?? 'contact') === 'contact' ? message.sender : message.conversation.meta?.sender;
  return sender ? party(sender) : null;
}

function party(contact: z.infer<typeof Contact>): MessageEvent['from'] {
  return {
    id: contact.id,
    ...(contact.name ? { name: contact.name } : {}),
    ...(contact.email ? { email: contact.email } : {}),
    ...(contact.phone_number ? { phone: contact.phone_number } : {}),
  };
}

function replyTo(message: MessagePayload): { replyTo?: string } {
  const target = message.content_attributes?.in_reply_to;
  return target === null || target === undefined || target === '' ? {} : { replyTo: String(target) };
}

type Media = NonNullable<MessageEvent['attachments']>[number];

function messageBody(message: MessagePayload): Pick<MessageEvent, 'content' | 'attachments'> {
  const text = message.content ?? '';
  const [first, ...rest] = message.attachments ?? [];
  if (!first) return { content: { type: 'text', text } };
  const caption = text === '' ? {} : { caption: text };
  if (first.file_type === 'location' && typeof first.coordinates_lat === 'number' && typeof first.coordinates_long === 'number') {
    return { content: { type: 'location', latitude: first.coordinates_lat, longitude: first.coordinates_long, ...(first.fallback_title ? { name: first.fallback_title } : {}) } };
  }
  const media = [first, ...rest].filter((a) => a.file_type !== 'location').map(mediaOf);
  const content = media[0] ? { ...media[0], ...caption } : { type: 'text' as const, text };
  return { content, ...(media.length > 1 ? { attachments: media } : {}) };
}

function mediaOf(attachment: z.infer<typeof Attachment>): Media {
  const name = attachment.data_url ? fileName(attachment.data_url) : undefined;
  const fields = {
    ...(attachment.data_url ? { url: attachment.data_url } : {}),
    ...(attachment.id ? { mediaId: attachment.id } : {}),
    ...(name ? { name } : {}),
    ...(typeof attachment.file_size === 'number' ? { size: attachment.file_size } : {}),
  };
  switch (attachment.file_type) {
    case 'image':
      return { type: 'image', ...fields };
    case 'audio':
      return { type: 'audio', ...fields };
    case 'video':
      return { type: 'video', ...fields };
    default:
      // file, and Chatwoot's link-like types (fallback, share, story_mention, ig_reel …).
      return { type: 'file', ...fields };
  }
}

/** Chatwoot's data_url ends with the stored file's name (an ActiveStorage redirect path). */
function fileName(url: string): string | undefined {
  try {
    const last = new URL(url).pathname.split('/').filter((p) => p !== '').pop();
    return last ? decodeURIComponent(last) : undefined;
  } catch {
    return undefined;
  }
}

/** Webhook messages carry an ISO `created_at`; the push-event shape inside conversations carries epoch seconds. */
function chatwootTime(value: string | number | null | undefined, now: Date): string {
  if (typeof value === 'string' && !/^\d+(\.\d+)?$/.test(value.trim())) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? now.toISOString() : date.toISOString();
  }
  return epochToIso(value, now);
}

const REASONS: Record<string, string> = {
  conversation_created: 'a conversation was opened; flows start on its first message',
  conversation_status_changed: 'a conversation changed status (open, pending, resolved, snoozed)',
  conversation_updated: 'a conversation\'s attributes changed (labels, assignee, custom attributes)',
  conversation_typing_on: 'an agent started typing',
  conversation_typing_off: 'an agent stopped typing',
  contact_created: 'a contact was created',
  contact_updated: 'a contact\'s details changed',
  // The widget opening is no message: there may be no conversation yet to answer into, and flows start on
  // the customer's first message anyway (a greeting belongs to the inbox's welcome settings).
  webwidget_triggered: 'the website widget was opened; no message was sent',
};

function otherEvent(event: LooseEvent, raw: unknown, body: Buffer, now: Date): InboundEvent {
  const name = event.event;
  const accountId = event.account?.id ?? event.account_id ?? event.conversation?.account_id ?? event.messages?.find((m) => m.account_id)?.account_id ?? 'unknown';
  const isConversation = name.startsWith('conversation_') && !name.startsWith('conversation_typing');
  const conversationId = isConversation ? event.id : (event.conversation?.id ?? event.current_conversation?.id);
  const contact = event.contact ?? event.meta?.sender ?? (name.startsWith('contact_') && event.id ? { id: event.id } : null);
  const thread = conversationId ? `${accountId}:${conversationId}` : contact ? `${accountId}:contact:${contact.id}` : accountId;
  return {
    kind: 'unsupported',
    id: `${name}:${thread}:${digest(body)}`,
    channelType: 'chatwoot',
    timestamp: epochToIso(event.timestamp, now),
    thread: { id: thread, kind: 'direct' },
    raw,
    rawType: name,
    reason: REASONS[name] ?? `an event type Signalbox does not handle (${name})`,
    ...(contact ? { from: party(contact) } : {}),
  };
}

/**
 * Events without an id of their own are keyed by their bytes: Chatwoot resends the same body, so a retry
 * repeats the key, while a later, different update does not.
 */
function digest(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 16);
}
