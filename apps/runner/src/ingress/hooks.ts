import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { afterAccept, inboundAdapter, inboundAdapters, type InboundRequest } from '@signalbox/channels';
import type { ChannelRecord } from '@signalbox/db';
import { acceptEvents, type AcceptDeps } from './accept.ts';
import type { ChannelCache } from '../channels/channel-cache.ts';
import type { ChannelHealthLog } from '../channels/channel-health.ts';

export interface HooksDeps extends AcceptDeps {
  channels: ChannelCache;
  health: ChannelHealthLog;
  /** Where the platforms reach this runner (PUBLIC_URL); otherwise read from the request's Host. */
  publicUrl: string | undefined;
}

/** The largest body any adapter admits (email carries attachments; other webhooks are small). */
const LARGEST_HOOK_BODY = Math.max(0, ...Object.values(inboundAdapters).map((a) => a.maxBodyBytes ?? 0));

function fail(reply: FastifyReply, status: number, error: string, message: string, issues?: unknown) {
  return reply.code(status).send(issues ? { error, message, issues } : { error, message });
}

/** The URL as the platform called it: Twilio signs it, so behind a proxy PUBLIC_URL must be set. */
function calledUrl(req: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return `${publicUrl.replace(/\/+$/, '')}${req.url}`;
  const proto = (req.headers['x-forwarded-proto'] as string | undefined)?.split(',')[0]?.trim() ?? req.protocol;
  const host = (req.headers['x-forwarded-host'] as string | undefined) ?? req.headers.host ?? 'localhost';
  return `${proto}://${host}${req.url}`;
}

function toInboundRequest(req: FastifyRequest, publicUrl: string | undefined): InboundRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return { method: req.method, url: calledUrl(req, publicUrl), headers, body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0) };
}

/**
 * `GET|POST /hooks/:channelId` for every platform that calls over HTTP: the platform's setup handshake, its
 * signature, its body normalized into events, each stored before the answer. The generic webhook keeps its
 * documented answers (202 accepted, 200 duplicate); platforms get 200 with counts, since most of them treat
 * any other 2xx as a failure or ignore the body.
 */
export function registerHooks(app: FastifyInstance, deps: HooksDeps, bodyLimit: number): void {
  const lookup = async (req: FastifyRequest<{ Params: { channelId: string } }>, reply: FastifyReply): Promise<ChannelRecord | null> => {
    // A failed lookup (database down, a secret the key cannot open) is the error handler's 500, which the
    // platform retries, not a 404 that tells it the channel is gone.
    const channel = await deps.channels.get(req.params.channelId);
    if (!channel || !inboundAdapter(channel.type)) {
      deps.metrics.rejected.inc({ reason: 'unknown_channel' });
      await fail(reply, 404, 'unknown_channel', `no channel "${req.params.channelId}" that takes webhooks`);
      return null;
    }
    if (!channel.enabled) {
      deps.metrics.rejected.inc({ reason: 'disabled_channel' });
      await fail(reply, 404, 'unknown_channel', `channel "${channel.id}" is disabled`);
      return null;
    }
    return channel;
  };

  app.get<{ Params: { channelId: string } }>('/hooks/:channelId', async (req, reply) => {
    const channel = await lookup(req, reply);
    if (!channel) return reply;
    const adapter = inboundAdapter(channel.type)!;
    const answer = adapter.handshake?.(toInboundRequest(req, deps.publicUrl), channel.credentials) ?? null;
    if (!answer) return fail(reply, 405, 'method_not_allowed', `${channel.type} channels take POST; GET is only for a platform's verification handshake`);
    if (answer.status >= 400) deps.health.error(channel.id, `handshake refused: ${answer.body}`);
    return reply.code(answer.status).header('content-type', answer.contentType).send(answer.body);
  });

  app.post<{ Params: { channelId: string } }>(
    '/hooks/:channelId',
    {
      bodyLimit: Math.max(bodyLimit, LARGEST_HOOK_BODY),
      // The route admits the largest body of any type; a declared length over this channel's limit is refused
      // before the body is read (a chunked body without a length is capped by the route's limit).
      onRequest: async (req, reply) => {
        const channel = await deps.channels.get((req.params as { channelId: string }).channelId);
        const limit = Math.max(bodyLimit, (channel && inboundAdapter(channel.type)?.maxBodyBytes) || 0);
        if (Number(req.headers['content-length'] ?? 0) > limit) {
          deps.metrics.rejected.inc({ reason: 'too_large' });
          return fail(reply, 413, 'payload_too_large', `the body is larger than ${limit} bytes`);
        }
      },
    },
    async (req, reply) => {
      const channel = await lookup(req, reply);
      if (!channel) return reply;
      const adapter = inboundAdapter(channel.type)!;
      const request = toInboundRequest(req, deps.publicUrl);
      const verified = adapter.verify(request, channel.credentials);
      if (!verified.ok) {
        deps.metrics.rejected.inc({ reason: 'bad_signature' });
        deps.health.error(channel.id, `rejected a request: ${verified.reason}`);
        return fail(reply, 401, 'bad_signature', verified.reason);
      }
      const normalized = await adapter.normalize({ body: request.body, contentType: request.headers['content-type'], now: new Date() });
      if (!normalized.ok) {
        deps.metrics.rejected.inc({ reason: normalized.error });
        deps.health.error(channel.id, `rejected a body: ${normalized.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
        const message = normalized.error === 'malformed_body' ? `the body is not a ${channel.type} payload` : `the body does not match the ${channel.type} webhook format`;
        return fail(reply, 400, channel.type === 'webhook' && normalized.error === 'malformed_body' ? 'malformed_json' : normalized.error, message, normalized.issues);
      }
      const counts = await acceptEvents(deps, channel, normalized.events, normalized.files);
      deps.health.event(channel.id);
      const followUp = afterAccept[channel.type];
      if (followUp) {
        // After the answer is on its way: the platform must not wait for it.
        void followUp(normalized.events, channel.config, channel.credentials).then((problems) => {
          for (const problem of problems) deps.log.warn({ channelId: channel.id, problem }, 'follow-up after accepting events failed');
        });
      }
      if (channel.type === 'webhook') {
        return counts.accepted > 0 ? reply.code(202).send({ accepted: true }) : reply.code(200).send({ duplicate: true });
      }
      return reply.code(200).send(counts);
    },
  );
}
