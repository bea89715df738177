import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { MessageEvent } from '@signalbox/nodes';
import { conversationMessages, findConversation } from '@signalbox/db';
import type { IngressDeps } from '../../ingress/server.ts';
import { chatPage } from './page.ts';
import { acceptEvent } from '../../ingress/accept.ts';

const Session = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8 to 64 letters, digits, - or _');

const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), id: z.string().min(1).max(100), text: z.string().min(1).max(4000) }),
  z.object({ type: z.literal('reply'), id: z.string().min(1).max(100), replyId: z.string().min(1).max(200), title: z.string().max(200) }),
]);

/**
 * The web chat channel: a page served by the runner for trying a bot, and a WebSocket per browser session.
 * The session id (kept in the browser's localStorage) is both the conversation and the customer.
 */
export function registerWebchat(app: FastifyInstance, deps: IngressDeps) {
  app.get<{ Params: { channelId: string } }>('/chat/:channelId', async (req, reply) => {
    const channel = await deps.channels.get(req.params.channelId);
    if (!channel || channel.type !== 'webchat' || !channel.enabled) {
      return reply.code(404).type('text/plain').send(`No web chat channel "${req.params.channelId}".`);
    }
    return reply.type('text/html; charset=utf-8').send(chatPage(channel.id, channel.name));
  });

  app.get<{ Params: { channelId: string }; Querystring: { session?: string; name?: string } }>('/chat/:channelId/ws', { websocket: true }, async (socket: WebSocket, req) => {
    const send = (message: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    let channel: Awaited<ReturnType<typeof deps.channels.get>>;
    try {
      channel = await deps.channels.get(req.params.channelId);
    } catch (error) {
      deps.log.error({ err: error, channelId: req.params.channelId }, 'web chat channel lookup failed');
      send({ type: 'error', error: 'unavailable', message: 'the chat is unavailable; please try again' });
      socket.close(1011, 'unavailable');
      return;
    }
    const session = Session.safeParse(req.query.session);
    if (!channel || channel.type !== 'webchat' || !channel.enabled) {
      send({ type: 'error', error: 'unknown_channel', message: `no web chat channel "${req.params.channelId}"` });
      socket.close(4404, 'unknown channel');
      return;
    }
    if (!session.success) {
      send({ type: 'error', error: 'invalid_session', message: `session: ${session.error.issues[0]?.message ?? 'invalid'}` });
      socket.close(4400, 'invalid session');
      return;
    }
    const sessionId = session.data;
    const name = typeof req.query.name === 'string' ? req.query.name.slice(0, 100) : undefined;
    const unsubscribe = deps.realtime.subscribe(`webchat:${channel.id}:${sessionId}`, send);
    socket.on('close', unsubscribe);

    socket.on('message', (data: Buffer) => {
      void (async () => {
        let json: unknown;
        try {
          json = JSON.parse(data.toString('utf8'));
        } catch {
          send({ type: 'error', error: 'malformed_json', message: 'messages must be JSON' });
          return;
        }
        const parsed = ClientMessage.safeParse(json);
        if (!parsed.success) {
          send({ type: 'error', error: 'invalid_message', issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
          return;
        }
        const m = parsed.data;
        const event: MessageEvent = {
          kind: 'message',
          id: `${sessionId}:${m.id}`,
          channelType: 'webchat',
          timestamp: new Date().toISOString(),
          thread: { id: sessionId, kind: 'direct' },
          raw: m,
          messageId: randomUUID(),
          from: { id: sessionId, name },
          content: m.type === 'message' ? { type: 'text', text: m.text } : { type: 'interactive', id: m.replyId, title: m.title, kind: 'button' },
          echo: false,
        };
        try {
          const fresh = await acceptEvent(deps, channel, event);
          send({ type: 'ack', id: m.id, duplicate: !fresh });
        } catch (error) {
          deps.log.error({ err: error }, 'web chat message not stored');
          send({ type: 'error', error: 'not_accepted', id: m.id, message: 'the message could not be stored; please send it again' });
        }
      })();
    });

    try {
      const conversation = await findConversation(deps.pool, channel.id, sessionId);
      const messages = conversation ? await conversationMessages(deps.pool, conversation.id) : [];
      send({ type: 'history', messages: messages.map((m) => ({ id: m.id, direction: m.direction, content: m.content })) });
    } catch (error) {
      deps.log.warn({ err: error }, 'web chat history unavailable');
      send({ type: 'history', messages: [] });
    }
  });
}
