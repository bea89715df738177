import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import websocket from '@fastify/websocket';
import type { Logger } from 'pino';
import { parseWebhook, SIGNATURE_HEADER, verifySignature } from '@signalbox/channels';
import type { InboundLog, Pool } from '@signalbox/db';
import { acceptEvent } from './accept.ts';
import type { ChannelCache } from '../channels/channel-cache.ts';
import type { Metrics } from '../metrics.ts';
import type { QueueDriver } from '../queue/contract.ts';
import type { Topology } from '../queue/topology.ts';
import type { Realtime } from '../realtime.ts';
import { registerWebchat } from '../channels/webchat/webchat.ts';

export interface IngressDeps {
  pool: Pool;
  inbound: InboundLog;
  queue: QueueDriver;
  topology: Topology;
  channels: ChannelCache;
  metrics: Metrics;
  realtime: Realtime;
  log: Logger;
  bodyLimit: number;
  /** Whether this process serves webhooks and chat (role ingress or all); health and metrics are always served. */
  ingress: boolean;
  ready: () => Promise<{ ok: boolean; checks: Record<string, string> }>;
}

function fail(reply: FastifyReply, status: number, error: string, message: string, issues?: unknown) {
  return reply.code(status).send(issues ? { error, message, issues } : { error, message });
}

export async function buildServer(deps: IngressDeps): Promise<FastifyInstance> {
  // pino's Logger is Fastify's logger; the cast only widens its type so routes keep Fastify's default generics.
  const app = Fastify({ loggerInstance: deps.log as FastifyBaseLogger, bodyLimit: deps.bodyLimit, forceCloseConnections: true });
  let shuttingDown = false;
  app.addHook('onClose', async () => {
    shuttingDown = true;
  });

  // Every body is kept raw: signatures are computed over the exact bytes the platform sent.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, _req, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
      deps.metrics.rejected.inc({ reason: 'too_large' });
      return fail(reply, 413, 'payload_too_large', `the body is larger than ${deps.bodyLimit} bytes`);
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return fail(reply, error.statusCode, 'bad_request', error.message);
    deps.log.error({ err: error }, 'request failed');
    return fail(reply, 500, 'internal_error', 'the request could not be handled; it was not accepted');
  });
  app.setNotFoundHandler((req, reply) => fail(reply, 404, 'not_found', `no route ${req.method} ${req.url}`));

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    if (shuttingDown) return reply.code(503).send({ ok: false, checks: { process: 'shutting down' } });
    const result = await deps.ready();
    return reply.code(result.ok ? 200 : 503).send(result);
  });
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  if (!deps.ingress) return app;

  app.post<{ Params: { channelId: string } }>('/hooks/:channelId', async (req, reply) => {
    // A failed lookup (database down, a secret the key cannot open) is the error handler's 500, which the
    // platform retries, not a 404 that tells it the channel is gone.
    const channel = await deps.channels.get(req.params.channelId);
    if (!channel || channel.type !== 'webhook') {
      deps.metrics.rejected.inc({ reason: 'unknown_channel' });
      return fail(reply, 404, 'unknown_channel', `no webhook channel "${req.params.channelId}"`);
    }
    if (!channel.enabled) return fail(reply, 404, 'unknown_channel', `channel "${channel.id}" is disabled`);
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.headers[SIGNATURE_HEADER];
    if (!verifySignature(raw, channel.credentials.secret ?? '', typeof signature === 'string' ? signature : undefined)) {
      deps.metrics.rejected.inc({ reason: 'bad_signature' });
      return fail(reply, 401, 'bad_signature', signature ? `${SIGNATURE_HEADER} does not match the body` : `missing ${SIGNATURE_HEADER} header`);
    }
    const parsed = parseWebhook(raw);
    if (!parsed.ok) {
      deps.metrics.rejected.inc({ reason: parsed.error });
      const message = parsed.error === 'malformed_json' ? 'the body is not valid JSON' : 'the body does not match the webhook schema';
      return fail(reply, 400, parsed.error, message, parsed.issues);
    }
    if (!(await acceptEvent(deps, channel, parsed.event))) return reply.code(200).send({ duplicate: true });
    return reply.code(202).send({ accepted: true });
  });

  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  registerWebchat(app, deps);
  return app;
}
