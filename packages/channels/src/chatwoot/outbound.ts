import { z } from 'zod';
import { formatPath, type OutboundMessage } from '@signalbox/nodes';
import type { DeliveryResult } from '../delivery.ts';
import { apiUrl, classifyDefault, sendCalls, type OutboundAdapter, type OutboundContext, type PlatformAnswer, type PlatformCall, type Rendered } from '../outbound.ts';
import { ChatwootConfig } from './config.ts';

/**
 * Replies go into the Chatwoot conversation through the Application API, as the agent bot (or agent) whose
 * token the channel holds; Chatwoot then delivers them on the inbox's own channel (widget, WhatsApp, email …).
 * `POST /api/v1/accounts/{account}/conversations/{conversation}/messages` with the `api_access_token` header.
 */

/** Message.content is validated to 150,000 characters (app/models/message.rb). */
export const CHATWOOT_MAX_CONTENT = 150_000;

/**
 * Chatwoot's own throttles (defaults of a self-hosted installation): Rack::Attack allows 3,000 requests a
 * minute per client IP (RACK_ATTACK_LIMIT), and a conversation takes at most 200 messages a minute
 * (CONVERSATION_MESSAGE_PER_MINUTE_LIMIT; beyond it the API answers 422 "Too many messages").
 */
const limits = { perAccount: { messages: 3_000, perMs: 60_000 }, perRecipient: { messages: 200, perMs: 60_000 } };

export const chatwootOutbound: OutboundAdapter = {
  type: 'chatwoot',
  limits,
  render: renderChatwoot,
  send: (calls) => sendCalls(calls, classifyChatwoot),
};

interface Option {
  title: string;
  value: string;
}

export function renderChatwoot(message: OutboundMessage, context: OutboundContext): Rendered {
  const config = ChatwootConfig.safeParse(context.config);
  if (!config.success) return { ok: false, error: `chatwoot config: ${config.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}` };
  const { apiBaseUrl, accountId, interactiveOptions } = config.data;
  const token = context.secrets.apiAccessToken;
  if (!token) return { ok: false, error: 'the channel has no apiAccessToken' };
  const thread = /^(\d+):(\d+)$/.exec(context.thread);
  if (!thread) return { ok: false, error: `thread "${context.thread}" is not a Chatwoot conversation (<account id>:<conversation id>)` };
  if (thread[1] !== String(accountId)) return { ok: false, error: `thread ${context.thread} belongs to account ${thread[1]}, the channel to account ${accountId}` };

  const { text, options, degraded } = describe(message);
  const body: Record<string, unknown> = { message_type: 'outgoing', private: false };
  let content = text;
  if (options.length > 0 && interactiveOptions) {
    body.content_type = 'input_select';
    body.content_attributes = { items: options.map(({ title, value }) => ({ title, value })) };
  } else if (options.length > 0) {
    content = `${text}${text === '' ? '' : '\n\n'}${options.map((o, i) => `${i + 1}. ${o.title}`).join('\n')}`;
    degraded.push('options sent as numbered lines (interactive options are off for this channel)');
  }
  if (content.length > CHATWOOT_MAX_CONTENT) {
    content = `${content.slice(0, CHATWOOT_MAX_CONTENT - 1)}…`;
    degraded.push(`text cut to ${CHATWOOT_MAX_CONTENT} characters`);
  }
  const call: PlatformCall = {
    method: 'POST',
    url: apiUrl(apiBaseUrl, `api/v1/accounts/${accountId}/conversations/${thread[2]}/messages`),
    headers: { api_access_token: token },
    body: { content, ...body },
  };
  return { ok: true, calls: [call], degraded };
}

function describe(message: OutboundMessage): { text: string; options: Option[]; degraded: string[] } {
  switch (message.type) {
    case 'text':
      return { text: message.text, options: message.buttons.map((b) => ({ title: b.title, value: b.id })), degraded: [] };
    case 'media': {
      // Attachments only go up as multipart/form-data file uploads; a link keeps render a pure JSON call and
      // the widget and most channels behind Chatwoot show it as a link.
      const text = [message.caption, message.attachment.url].filter((p) => p !== undefined && p !== '').join('\n');
      return { text, options: message.buttons.map((b) => ({ title: b.title, value: b.id })), degraded: ['media sent as a link'] };
    }
    case 'list': {
      const rows = message.sections.flatMap((s) => s.rows);
      const degraded = ['list sent as options: the button title is dropped'];
      if (message.sections.length > 1 || message.sections.some((s) => s.title !== '')) degraded.push('list sections flattened');
      if (rows.some((r) => r.description)) degraded.push('row descriptions dropped');
      return { text: message.text, options: rows.map((r) => ({ title: r.title, value: r.id })), degraded };
    }
    case 'template':
      return { text: message.fallbackText, options: [], degraded: ['template sent as its fallback text'] };
    default: {
      const unreachable: never = message;
      return unreachable;
    }
  }
}

const ChatwootAnswer = z
  .object({
    id: z.union([z.number(), z.string()]).optional(),
    error: z.string().optional(),
    message: z.string().optional(),
    errors: z.array(z.unknown()).optional(),
  })
  .passthrough();

/**
 * Chatwoot's error bodies: `{error}` for 401 (Invalid Access Token), 404 (Resource could not be found) and
 * other handled errors, `{message, attributes}` for failed validations (422), devise's `{errors: [...]}`.
 * 422 "Too many messages" is the per-conversation throttle, worth a retry after its minute.
 */
export function classifyChatwoot(answer: PlatformAnswer): DeliveryResult {
  const parsed = ChatwootAnswer.safeParse(answer.json);
  const body = parsed.success ? parsed.data : {};
  if (answer.status >= 200 && answer.status < 300) return { ok: true, externalId: body.id === undefined ? null : String(body.id) };
  const reason = body.error ?? body.message ?? (body.errors ? body.errors.map(String).join(', ') : answer.text.trim().slice(0, 300) || 'no error body');
  if (answer.status === 422 && /too many messages/i.test(reason)) return { ok: false, retry: true, retryAfterMs: 60_000, error: `HTTP 422: ${reason}` };
  return classifyDefault(answer, () => reason);
}
