import { z } from 'zod';
import type { MessageContent, MessageEvent } from '@signalbox/nodes';
import type { StoredMessage } from '@signalbox/db';
import { contentKind } from './media.ts';

/**
 * The web chat socket's protocol (`/chat/:channelId/ws?session=…`), shared by the chat page and the widget.
 * Client messages carry the client's own id: the event id is `<session>:<id>`, so a message resent after a
 * reconnect is stored once and acked as a duplicate.
 */

export const Session = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8 to 64 letters, digits, - or _');

const ClientId = z.string().min(1).max(100);

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), id: ClientId, text: z.string().trim().min(1).max(4000) }),
  z.object({
    type: z.literal('reply'),
    id: ClientId,
    replyId: z.string().min(1).max(200),
    title: z.string().max(200),
    kind: z.enum(['button', 'list']).default('button'),
  }),
  /** A file the client uploaded first (`POST /chat/:channelId/upload`); `url` is what the upload answered. */
  z.object({
    type: z.literal('attachment'),
    id: ClientId,
    url: z.string().min(1).max(2000),
    mimeType: z.string().max(200).optional(),
    name: z.string().max(200).optional(),
    caption: z.string().max(4000).optional(),
  }),
  /** The customer is typing (or stopped): relayed live, never stored. */
  z.object({ type: z.literal('typing'), active: z.boolean() }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type StoredClientMessage = Exclude<ClientMessage, { type: 'typing' }>;

export type ParsedFrame = { ok: true; message: ClientMessage } | { ok: false; error: 'malformed_json' | 'invalid_message'; id?: string; issues: { path: string; message: string }[] };

/** One text frame from the socket, parsed and validated; errors name the fields and keep the message's id when it has one. */
export function parseFrame(text: string): ParsedFrame {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: 'malformed_json', issues: [{ path: '$', message: (error as Error).message }] };
  }
  const parsed = ClientMessage.safeParse(json);
  if (parsed.success) return { ok: true, message: parsed.data };
  const id = typeof json === 'object' && json !== null && 'id' in json && typeof json.id === 'string' ? json.id : undefined;
  return { ok: false, error: 'invalid_message', id, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '$', message: i.message })) };
}

/** What a stored upload becomes in a normalized message. */
export function attachmentContent(upload: { url: string; mimeType: string; size: number }, name: string | undefined, caption: string | undefined): MessageContent {
  const kind = contentKind(upload.mimeType);
  return { type: kind, url: upload.url, mimeType: upload.mimeType, name, size: upload.size, caption: caption || undefined };
}

export function contentOf(message: Exclude<StoredClientMessage, { type: 'attachment' }>): MessageContent {
  return message.type === 'message' ? { type: 'text', text: message.text } : { type: 'interactive', id: message.replyId, title: message.title, kind: message.kind };
}

/** The normalized event of a customer's message; the session id is both the conversation and the customer. */
export function webchatEvent(input: {
  session: string;
  name: string | undefined;
  /** The browser's locale, a hint for language detection. */
  locale?: string | undefined;
  message: StoredClientMessage;
  content: MessageContent;
  now: Date;
}): MessageEvent {
  return {
    kind: 'message',
    id: `${input.session}:${input.message.id}`,
    channelType: 'webchat',
    timestamp: input.now.toISOString(),
    thread: { id: input.session, kind: 'direct' },
    raw: input.message,
    messageId: input.message.id,
    from: { id: input.session, name: input.name, ...(input.locale ? { locale: input.locale } : {}) },
    content: input.content,
    echo: false,
  };
}

/**
 * A stored message as the socket's history sends it. `clientId` is the id the client gave a message it sent,
 * so a client can tell which of its own messages the server already has.
 */
export function historyEntry(message: StoredMessage) {
  return {
    id: message.id,
    ...(message.direction === 'in' && message.externalId ? { clientId: message.externalId } : {}),
    direction: message.direction,
    content: message.content,
    status: message.status,
    createdAt: message.createdAt,
  };
}
