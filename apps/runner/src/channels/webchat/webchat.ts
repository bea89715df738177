import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { MessageContent } from '@signalbox/nodes';
import { conversationMessages, findConversation } from '@signalbox/db';
import type { IngressDeps } from '../../ingress/server.ts';
import { chatPage } from './page.ts';
import { pageLanguage, parseLocale } from './ui-text.ts';
import { acceptEvent } from '../../ingress/accept.ts';
import { heartbeat } from '../heartbeat.ts';
import { MAX_UPLOAD_BYTES, UPLOAD_TYPES } from './media.ts';
import { attachmentContent, contentOf, historyEntry, parseFrame, Session, webchatEvent, type StoredClientMessage } from './messages.ts';
import { findUpload, mediaUrl, publicBase } from './uploads.ts';

/** A customer's typing is relayed at most this often per socket (each relay is a Redis publish when scaled). */
const TYPING_INTERVAL_MS = 1_000;

/** Where a customer's typing is relayed: nothing stores it; an inbox view subscribes to show it to agents. */
export const typingTopic = (channelId: string) => `typing:${channelId}`;

/**
 * The web chat channel: a page served by the runner for trying a bot, the embeddable widget's socket, and a
 * WebSocket per browser session. The session id (kept in the browser's localStorage) is both the conversation
 * and the customer. Protocol: docs/webchat-and-websocket.md.
 */
export function registerWebchat(app: FastifyInstance, deps: IngressDeps) {
  app.get<{ Params: { channelId: string }; Querystring: { lang?: string } }>('/chat/:channelId', async (req, reply) => {
    const channel = await deps.channels.get(req.params.channelId);
    if (!channel || channel.type !== 'webchat' || !channel.enabled) {
      return reply.code(404).type('text/plain').send(`No web chat channel "${req.params.channelId}".`);
    }
    // The page's words follow the browser (or ?lang=); caches must keep one copy per language.
    return reply
      .header('vary', 'accept-language')
      .type('text/html; charset=utf-8')
      .send(chatPage(channel.id, channel.name, pageLanguage(req.query.lang, req.headers['accept-language'])));
  });

  app.get<{ Params: { channelId: string }; Querystring: { session?: string; name?: string; locale?: string } }>('/chat/:channelId/ws', { websocket: true }, async (socket: WebSocket, req) => {
    const send = (message: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    // Frames are handled one at a time, in arrival order (a client resending its queue after a reconnect must
    // see its messages stored in that order), and only once the channel is known: the listener is attached
    // before the first await, so a frame sent right after the handshake is not missed.
    let handle: ((text: string) => Promise<void>) | null = null;
    let setup: () => void = () => undefined;
    let queue = new Promise<void>((resolve) => {
      setup = resolve;
    });
    socket.on('message', (data: Buffer) => {
      queue = queue.then(() => handle?.(data.toString('utf8'))).catch((error: unknown) => deps.log.error({ err: error }, 'web chat message failed'));
    });
    socket.on('close', () => setup());
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
    const locale = parseLocale(req.query.locale);
    if (!locale.ok) {
      send({ type: 'error', error: 'invalid_locale', message: locale.message });
      socket.close(4400, 'invalid locale');
      return;
    }
    // Gone while the channel was read: a subscription now would never be released.
    if (socket.readyState !== socket.OPEN) return;
    const open = channel;
    const sessionId = session.data;
    const name = typeof req.query.name === 'string' ? req.query.name.slice(0, 100) : undefined;
    const base = publicBase(req, deps.publicUrl);
    heartbeat(socket);
    const unsubscribe = deps.realtime.subscribe(`webchat:${open.id}:${sessionId}`, send);
    socket.on('close', unsubscribe);
    send({ type: 'welcome', channel: { id: open.id, name: open.name }, session: sessionId, upload: { maxBytes: MAX_UPLOAD_BYTES, types: Object.keys(UPLOAD_TYPES) } });

    let lastTyping = 0;
    const store = async (message: StoredClientMessage) => {
      let content: MessageContent;
      if (message.type === 'attachment') {
        const upload = await findUpload(deps.media, open.id, message.url);
        if (!upload) {
          send({ type: 'error', error: 'unknown_attachment', id: message.id, message: 'url: not a file uploaded to this chat', issues: [{ path: 'url', message: 'not a file uploaded to this chat' }] });
          return;
        }
        content = attachmentContent({ ...upload, url: mediaUrl(base, open.id, upload.file, message.name) }, message.name, message.caption);
      } else {
        content = contentOf(message);
      }
      try {
        const fresh = await acceptEvent(deps, open, webchatEvent({ session: sessionId, name, locale: locale.locale, message, content, now: new Date() }));
        deps.health.event(open.id);
        send({ type: 'ack', id: message.id, duplicate: !fresh });
      } catch (error) {
        deps.log.error({ err: error }, 'web chat message not stored');
        send({ type: 'error', error: 'not_accepted', id: message.id, message: 'the message could not be stored; please send it again' });
      }
    };
    handle = async (text: string) => {
      const frame = parseFrame(text);
      if (!frame.ok) {
        send({ type: 'error', error: frame.error, ...(frame.id ? { id: frame.id } : {}), message: frame.error === 'malformed_json' ? 'messages must be JSON' : 'the message has invalid fields', issues: frame.issues });
        return;
      }
      const message = frame.message;
      if (message.type === 'typing') {
        const now = Date.now();
        if (message.active && now - lastTyping < TYPING_INTERVAL_MS) return;
        lastTyping = message.active ? now : 0;
        await deps.realtime.publish(typingTopic(open.id), { channelId: open.id, conversationId: sessionId, active: message.active }).catch(() => 0);
        return;
      }
      await store(message);
    };
    setup();

    try {
      const conversation = await findConversation(deps.pool, open.id, sessionId);
      const messages = conversation ? await conversationMessages(deps.pool, conversation.id) : [];
      send({ type: 'history', messages: messages.map(historyEntry) });
    } catch (error) {
      deps.log.warn({ err: error }, 'web chat history unavailable');
      send({ type: 'history', messages: [] });
    }
  });
}
