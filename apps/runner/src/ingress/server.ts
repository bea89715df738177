import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import websocket from '@fastify/websocket';
import type { Logger } from 'pino';
import type { InboundLog, Pool } from '@signalbox/db';
import { registerHooks } from './hooks.ts';
import { registerAdmin } from './admin.ts';
import type { Deliver } from '../channels/adapters.ts';
import type { ChannelCache } from '../channels/channel-cache.ts';
import type { ChannelHealthLog } from '../channels/channel-health.ts';
import type { Metrics } from '../metrics.ts';
import type { QueueDriver } from '../queue/contract.ts';
import type { Topology } from '../queue/topology.ts';
import type { Realtime } from '../realtime.ts';
import type { InboundFiles } from '../media/inbound-files.ts';
import type { MediaStore } from '../media/store.ts';
import { registerWebchat } from '../channels/webchat/webchat.ts';
import { registerWidget } from '../channels/webchat/widget.ts';
import { registerUploads } from '../channels/webchat/uploads.ts';
import { registerWebsocketApi } from '../channels/websocket/websocket.ts';

export interface IngressDeps {
  pool: Pool;
  inbound: InboundLog;
  queue: QueueDriver;
  topology: Topology;
  channels: ChannelCache;
  health: ChannelHealthLog;
  /** Sends through channel adapters (the admin API's test messages). */
  deliver: Deliver;
  /** Bearer token of the admin API (derived from SIGNALBOX_SECRET_KEY). */
  adminToken: string;
  /** PUBLIC_URL: the address platforms call (Twilio signs it). */
  publicUrl: string | undefined;
  /** This process's own address once it listens (the public address when PUBLIC_URL is not set). */
  localUrl(): string;
  metrics: Metrics;
  realtime: Realtime;
  log: Logger;
  bodyLimit: number;
  /** Where web chat uploads are stored: SIGNALBOX_DATA_DIR/media (shared storage when ingress is replicated). */
  mediaDir: string;
  /** Where files carried inside a request (email attachments) are stored. */
  files?: InboundFiles;
  /** What `GET /media/:channelId/:file` serves from: the media store (S3 or the local folder), then the local folder. */
  media: MediaStore;
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

  registerHooks(app, deps, deps.bodyLimit);
  registerAdmin(app, { ...deps, publicUrl: deps.publicUrl ?? deps.localUrl() });

  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  registerWebchat(app, deps);
  registerWidget(app);
  registerUploads(app, deps);
  registerWebsocketApi(app, deps);
  return app;
}
