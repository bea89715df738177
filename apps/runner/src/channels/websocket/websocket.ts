import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { conversationMessages, findConversation, type ChannelRecord } from '@signalbox/db';
import type { IngressDeps } from '../../ingress/server.ts';
import { acceptEvent } from '../../ingress/accept.ts';
import { heartbeat } from '../heartbeat.ts';
import { historyMessage, parseRequest, presentedToken, tokenMatches, websocketTopic, type ApiRequest } from './protocol.ts';

function fail(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).send({ error, message });
}

/** The request as logged: the token may be in the query string, and secrets are never logged. */
const redactedRequest = (req: FastifyRequest) => ({ method: req.method, url: req.url.replace(/([?&]token=)[^&]*/i, '$1[redacted]') });

/**
 * `GET /ws/:channelId`: the WebSocket API of a `websocket` channel. The client authenticates with the channel's
 * secret before the upgrade (a refused handshake is a plain HTTP 401 or 404), sends the generic webhook's
 * messages, and receives every reply of every conversation of the channel.
 */
export function registerWebsocketApi(app: FastifyInstance, deps: IngressDeps): void {
  const authorized = async (req: FastifyRequest<{ Params: { channelId: string } }>): Promise<{ channel: ChannelRecord; token: string } | { status: number; error: string; message: string }> => {
    const channel = await deps.channels.get(req.params.channelId);
    if (!channel || channel.type !== 'websocket' || !channel.enabled) return { status: 404, error: 'unknown_channel', message: `no WebSocket channel "${req.params.channelId}"` };
    const token = presentedToken(req.headers.authorization, req.query);
    if (!token) return { status: 401, error: 'missing_token', message: 'authenticate with Authorization: Bearer <channel secret> or ?token=<channel secret>' };
    if (!tokenMatches(channel.credentials.secret, token)) return { status: 401, error: 'bad_token', message: 'the token is not the channel secret' };
    return { channel, token };
  };

  app.get<{ Params: { channelId: string } }>(
    '/ws/:channelId',
    {
      websocket: true,
      logSerializers: { req: redactedRequest },
      preValidation: async (req, reply) => {
        const auth = await authorized(req);
        if ('status' in auth) {
          deps.metrics.rejected.inc({ reason: auth.error });
          if (auth.status === 401) deps.health.error(req.params.channelId, `refused a WebSocket client: ${auth.error}`);
          return fail(reply, auth.status, auth.error, auth.message);
        }
      },
    },
    (socket: WebSocket, req) => {
      const send = (message: unknown) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      };
      heartbeat(socket);
      const unsubscribe = deps.realtime.subscribe(websocketTopic(req.params.channelId), send);
      socket.on('close', unsubscribe);

      const handle = async (text: string) => {
        // The channel is read again (from the 5 s cache) for every frame: a rotated secret or a disabled
        // channel ends open connections too.
        const auth = await authorized(req);
        if ('status' in auth) {
          send({ type: 'error', error: 'unauthorized', message: auth.message });
          socket.close(4401, auth.error);
          return;
        }
        const parsed = parseRequest(text);
        if (!parsed.ok) {
          const message = parsed.error === 'malformed_json' ? 'frames must be JSON' : `invalid fields: ${parsed.issues.map((i) => i.path).join(', ')}`;
          send({ type: 'error', error: parsed.error, ...(parsed.id ? { id: parsed.id } : {}), message, issues: parsed.issues });
          return;
        }
        await answer(auth.channel, parsed.request);
      };

      const answer = async (channel: ChannelRecord, request: ApiRequest) => {
        switch (request.type) {
          case 'ping':
            send({ type: 'pong' });
            return;
          case 'message':
            try {
              const fresh = await acceptEvent(deps, channel, request.event);
              deps.health.event(channel.id);
              send({ type: 'ack', id: request.id, duplicate: !fresh });
            } catch (error) {
              deps.log.error({ err: error, channelId: channel.id }, 'WebSocket message not stored');
              send({ type: 'error', error: 'not_accepted', id: request.id, message: 'the message could not be stored; send it again (same id)' });
            }
            return;
          case 'history': {
            const conversation = await findConversation(deps.pool, channel.id, request.conversationId);
            const messages = conversation ? await conversationMessages(deps.pool, conversation.id, request.limit) : [];
            send({ type: 'history', ...(request.id ? { id: request.id } : {}), conversationId: request.conversationId, messages: messages.map((m) => historyMessage(m, request.conversationId)) });
            return;
          }
          default: {
            const unreachable: never = request;
            return unreachable;
          }
        }
      };

      // One frame at a time, in arrival order: a conversation's messages are stored in the order they were sent.
      let queue = Promise.resolve();
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        queue = queue
          .then(() => (isBinary ? send({ type: 'error', error: 'malformed_json', message: 'frames must be JSON text', issues: [{ path: '$', message: 'binary frame' }] }) : handle(data.toString('utf8'))))
          .catch((error: unknown) => {
            deps.log.error({ err: error }, 'WebSocket API frame failed');
            send({ type: 'error', error: 'internal_error', message: 'the request could not be handled' });
          });
      });
    },
  );
}
