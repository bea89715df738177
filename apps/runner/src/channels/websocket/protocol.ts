import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { parseWebhook, renderWebhook } from '@signalbox/channels';
import { contentText, formatPath, MessageContent, OutboundMessage, type MessageEvent } from '@signalbox/nodes';
import type { StoredMessage } from '@signalbox/db';

/**
 * The WebSocket API of `websocket` channels (`GET /ws/:channelId`): the generic webhook's contract (DESIGN.md
 * section 5) over one socket. A message is the webhook's body with `type: "message"`; replies are the
 * webhook's outbound body with `type: "message"`. Protocol: docs/webchat-and-websocket.md.
 */

/** Where the sender publishes a `websocket` channel's replies; every connected client of the channel listens. */
export const websocketTopic = (channelId: string) => `websocket:${channelId}`;

export interface FieldIssue {
  path: string;
  message: string;
}

const Envelope = z.object({ type: z.enum(['message', 'history', 'ping']) });
const HistoryRequest = z.object({
  type: z.literal('history'),
  /** Echoed in the answer, to match it to the request. */
  id: z.string().min(1).max(200).optional(),
  conversationId: z.string().min(1).max(200),
  limit: z.number().int().min(1).max(200).default(200),
});

export type ApiRequest =
  | { type: 'message'; id: string; event: MessageEvent }
  | { type: 'history'; id?: string; conversationId: string; limit: number }
  | { type: 'ping' };

export type ParsedRequest =
  | { ok: true; request: ApiRequest }
  | { ok: false; error: 'malformed_json' | 'invalid_request' | 'invalid_message'; id?: string; issues: FieldIssue[] };

const issuesOf = (error: z.ZodError): FieldIssue[] => error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));

/** One text frame, parsed and validated; a message goes through the generic webhook's own parser. */
export function parseRequest(text: string, now: Date = new Date()): ParsedRequest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: 'malformed_json', issues: [{ path: '$', message: (error as Error).message }] };
  }
  const id = typeof json === 'object' && json !== null && 'id' in json && typeof json.id === 'string' ? json.id : undefined;
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) return { ok: false, error: 'invalid_request', id, issues: issuesOf(envelope.error) };
  switch (envelope.data.type) {
    case 'message': {
      const parsed = parseWebhook(Buffer.from(text, 'utf8'), now);
      if (!parsed.ok) return { ok: false, error: 'invalid_message', id, issues: parsed.issues };
      return { ok: true, request: { type: 'message', id: parsed.event.id, event: { ...parsed.event, channelType: 'websocket' } } };
    }
    case 'history': {
      const parsed = HistoryRequest.safeParse(json);
      if (!parsed.success) return { ok: false, error: 'invalid_request', id, issues: issuesOf(parsed.error) };
      return { ok: true, request: parsed.data };
    }
    case 'ping':
      return { ok: true, request: { type: 'ping' } };
    default: {
      const unreachable: never = envelope.data.type;
      return unreachable;
    }
  }
}

/** The token a client presents: `Authorization: Bearer <secret>` (servers), else `?token=<secret>` (browsers cannot set headers on a WebSocket). */
export function presentedToken(authorization: string | undefined, query: unknown): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (bearer) return bearer[1]!;
  const token = typeof query === 'object' && query !== null && 'token' in query ? query.token : undefined;
  return typeof token === 'string' && token !== '' ? token : null;
}

/** Constant-time comparison; hashing first makes the lengths equal, so not even the secret's length leaks. */
export function tokenMatches(secret: string | undefined, token: string): boolean {
  if (!secret) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(secret), digest(token));
}

type Media = Extract<MessageContent, { type: 'image' | 'audio' | 'video' | 'file' }>;
const isMedia = (content: MessageContent): content is Media => content.type === 'image' || content.type === 'audio' || content.type === 'video' || content.type === 'file';

/**
 * A stored message in the shapes of the contract: an outgoing one as the webhook's outbound body, an incoming
 * one with its text, button choice and attachments (`messageId` is the id the client sent it with).
 */
export function historyMessage(stored: StoredMessage, conversationId: string) {
  const common = { id: stored.id, conversationId, direction: stored.direction, status: stored.status, createdAt: stored.createdAt };
  if (stored.direction === 'out') {
    const message = OutboundMessage.safeParse(stored.content);
    if (!message.success) return { ...common, text: '', buttons: [], attachments: [] };
    const body = renderWebhook({ id: stored.id, conversationId, to: conversationId, inReplyTo: null, message: message.data });
    return { ...common, text: body.text, buttons: body.buttons, attachments: body.attachments };
  }
  const content = MessageContent.safeParse(stored.content);
  if (!content.success) return { ...common, messageId: stored.externalId, text: '', attachments: [] };
  const c = content.data;
  return {
    ...common,
    messageId: stored.externalId,
    text: contentText(c),
    ...(c.type === 'interactive' ? { reply: { id: c.id, title: c.title } } : {}),
    attachments: isMedia(c) && c.url ? [{ type: c.type, url: c.url, mimeType: c.mimeType, name: c.name }] : [],
  };
}
