import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { safeEqual, webhookRegistrars } from '@signalbox/channels';
import type { ChannelCache } from '../channels/channel-cache.ts';
import { sendTestMessage, type Deliver } from '../channels/adapters.ts';

export const ADMIN_TOKEN_PURPOSE = 'signalbox runner admin';

const TestMessage = z.object({
  to: z.string().trim().min(1, 'to: who should receive the test (a phone number, chat id, email address…)').max(320),
  text: z.string().min(1, 'text: must not be empty').max(4000),
});

/**
 * The web app's way to act on a channel through the runner (which holds the adapters and the network access):
 * `POST /admin/channels/:id/test` sends one message now and returns the platform's answer. Authenticated by a
 * token both processes derive from SIGNALBOX_SECRET_KEY.
 */
export function registerAdmin(app: FastifyInstance, deps: { channels: ChannelCache; deliver: Deliver; adminToken: string; publicUrl: string }): void {
  app.register(async (admin) => {
    admin.addHook('onRequest', async (req, reply) => {
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Bearer ') || !safeEqual(auth.slice(7), deps.adminToken)) {
        return reply.code(401).send({ error: 'unauthorized', message: 'the admin API needs the token derived from SIGNALBOX_SECRET_KEY' });
      }
    });
    registerRoutes(admin, deps);
  });
}

function registerRoutes(app: FastifyInstance, deps: { channels: ChannelCache; deliver: Deliver; publicUrl: string }): void {
  /** Points the platform's webhook at this runner, for platforms without a console for it (Telegram). */
  app.post<{ Params: { channelId: string } }>('/admin/channels/:channelId/register', async (req, reply) => {
    const channel = await deps.channels.get(req.params.channelId);
    if (!channel) return reply.code(404).send({ error: 'unknown_channel', message: `no channel "${req.params.channelId}"` });
    const register = webhookRegistrars[channel.type];
    if (!register) return reply.code(400).send({ error: 'not_supported', message: `${channel.type} webhooks are set in the platform's console` });
    const result = await register(channel.config, channel.credentials, `${deps.publicUrl.replace(/\/+$/, '')}/hooks/${channel.id}`);
    return reply.code(200).send(result);
  });

  app.post<{ Params: { channelId: string } }>('/admin/channels/:channelId/test', async (req, reply) => {
    let json: unknown;
    try {
      json = JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
    } catch {
      return reply.code(400).send({ error: 'malformed_json', message: 'the body is not JSON' });
    }
    const input = TestMessage.safeParse(json);
    if (!input.success) {
      return reply.code(400).send({ error: 'invalid_body', message: 'the test message is not valid', issues: input.error.issues.map((i) => ({ path: `$.${i.path.join('.')}`, message: i.message })) });
    }
    const channel = await deps.channels.get(req.params.channelId);
    if (!channel) return reply.code(404).send({ error: 'unknown_channel', message: `no channel "${req.params.channelId}"` });
    if (channel.type === 'webchat') return reply.code(400).send({ error: 'not_supported', message: 'a web chat has no address to send to; open its chat page instead' });
    const result = await sendTestMessage(deps.deliver, channel, input.data.to, input.data.text).catch((error: unknown) => ({
      ok: false as const,
      retry: false,
      error: (error as Error).message,
    }));
    return reply.code(200).send(result);
  });
}
