import { TRPCError } from '@trpc/server';
import { ChannelBindings, ChannelRepository, type PrismaClient, type SecretBox } from '@signalbox/db/app';
import { channelTypeInfo, CHANNEL_TYPES, generateSecret, type ChannelTypeInfo } from '@signalbox/channels/setup';
import { z } from 'zod';
import { callRunnerAdmin, channelSecretBox, runnerPublicUrl } from '../runner-link.ts';
import { allowed, badInput, fieldError, router } from '../trpc.ts';

const BIND_ERRORS = {
  'no-channel': 'channelId: no such channel in this workspace',
  'no-flow': 'flowId: no such flow in this workspace',
  'no-version': 'version: the flow has no such published version',
} as const;

const Name = z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters');
const Values = z.record(z.string(), z.unknown());
const SecretValues = z.record(z.string(), z.string().max(4000));

function secretBox(): SecretBox {
  const box = channelSecretBox();
  if (!box) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'the web app has no SIGNALBOX_SECRET_KEY, so it cannot store channel credentials: start it with `signalbox start`, or give it the runner\'s key',
    });
  }
  return box;
}

function typeOf(type: string): ChannelTypeInfo {
  const info = channelTypeInfo(type);
  if (!info) throw fieldError('BAD_REQUEST', 'type', `"${type}" is not a channel type (${CHANNEL_TYPES.map((c) => c.type).join(', ')})`);
  return info;
}

/** Checks values against a schema; problems are named `<prefix>.<field>` for the form. */
function checked(schema: z.ZodObject, value: unknown, prefix: 'config' | 'secrets'): Record<string, unknown> {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data as Record<string, unknown>;
  throw badInput(
    `the channel's ${prefix === 'config' ? 'settings' : 'credentials'} are not valid`,
    parsed.error.issues.map((i) => ({ path: [prefix, ...i.path].join('.'), message: i.code === 'invalid_type' && i.input === undefined ? 'required' : i.message })),
  );
}

/** Secrets the product generates when left empty (verify tokens, signing secrets): random, URL-safe. */
function withGenerated(info: ChannelTypeInfo, given: Record<string, string>, existing: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = { ...given };
  for (const name of info.generated) {
    if (!out[name] && !existing[name]) out[name] = generateSecret();
  }
  return out;
}

/** Empty strings mean "keep what is stored": the form never shows stored secrets, so it cannot send them back. */
function nonEmpty(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
}

function addresses(type: string, id: string) {
  const base = runnerPublicUrl();
  return {
    webhookUrl: type === 'webchat' ? null : `${base}/hooks/${id}`,
    chatUrl: type === 'webchat' ? `${base}/chat/${id}` : null,
    widgetSnippet: type === 'webchat' ? `<script src="${base}/widget.js" data-channel="${id}" async></script>` : null,
  };
}

export type Registration = { ok: true; description: string } | { ok: false; error: string } | null;

/** For platforms whose webhook Signalbox sets itself: ask the runner to do it now, and say how it went. */
async function registerWebhook(info: ChannelTypeInfo, id: string, box: SecretBox): Promise<Registration> {
  if (!info.registersWebhook) return null;
  const answer = await callRunnerAdmin(`/admin/channels/${encodeURIComponent(id)}/register`, {}, box);
  const body = (answer.json ?? {}) as { ok?: boolean; description?: string; error?: string; message?: string };
  if (answer.status === 200 && body.ok) return { ok: true, description: body.description ?? 'webhook registered' };
  return { ok: false, error: body.error && body.message ? body.message : (body.error ?? `the runner answered ${answer.status}`) };
}

async function loadChannel(prisma: PrismaClient, box: SecretBox, workspaceId: string, id: string) {
  const channel = await new ChannelRepository(prisma, box).inWorkspace(workspaceId, id);
  if (!channel) throw fieldError('NOT_FOUND', 'id', 'no such channel in this workspace');
  return channel;
}

export const channelsRouter = router({
  list: allowed('channels.read').query(({ ctx }) => new ChannelBindings(ctx.prisma).list(ctx.user.workspaceId)),

  /** A channel's settings, which credentials are set (never their values), where the platform must call, and its health. */
  details: allowed('channels.read')
    .input(z.object({ id: z.string().min(1) }))
    .query(async ({ ctx, input }) => {
      const channel = await loadChannel(ctx.prisma, secretBox(), ctx.user.workspaceId, input.id);
      const info = channelTypeInfo(channel.type);
      const canManage = ctx.user.role === 'owner' || ctx.user.role === 'admin';
      return {
        id: channel.id,
        type: channel.type,
        typeTitle: info?.title ?? channel.type,
        name: channel.name,
        enabled: channel.enabled,
        config: channel.config,
        secretsSet: Object.keys(channel.credentials).filter((k) => channel.credentials[k] !== ''),
        // Verify tokens are typed into the platform's console by a person, so managers see them.
        verifyToken: canManage ? (channel.credentials.verifyToken ?? channel.credentials.secretToken ?? null) : null,
        ...addresses(channel.type, channel.id),
        lastEventAt: channel.lastEventAt,
        lastError: channel.lastError,
        lastErrorAt: channel.lastErrorAt,
      };
    }),

  create: allowed('channels.manage')
    .input(z.object({ type: z.string().min(1), name: Name, config: Values.default({}), secrets: SecretValues.default({}) }))
    .mutation(async ({ ctx, input }) => {
      const box = secretBox();
      const info = typeOf(input.type);
      const config = checked(info.config, input.config, 'config');
      const secrets = checked(info.secrets, withGenerated(info, nonEmpty(input.secrets)), 'secrets') as Record<string, string>;
      const channel = await new ChannelRepository(ctx.prisma, box).create({ workspaceId: ctx.user.workspaceId, type: info.type, name: input.name, config, credentials: secrets });
      return { id: channel.id, registration: await registerWebhook(info, channel.id, box) };
    }),

  update: allowed('channels.manage')
    .input(z.object({ id: z.string().min(1), name: Name.optional(), config: Values.optional(), secrets: SecretValues.optional() }))
    .mutation(async ({ ctx, input }) => {
      const box = secretBox();
      const channel = await loadChannel(ctx.prisma, box, ctx.user.workspaceId, input.id);
      const info = typeOf(channel.type);
      const config = input.config === undefined ? undefined : checked(info.config, input.config, 'config');
      let credentials: Record<string, string> | undefined;
      if (input.secrets !== undefined) {
        const given = nonEmpty(input.secrets);
        // The whole set must still be valid once the new values replace the old ones.
        checked(info.secrets, { ...channel.credentials, ...given }, 'secrets');
        credentials = given;
      }
      await new ChannelRepository(ctx.prisma, box).update(ctx.user.workspaceId, input.id, { name: input.name, config, credentials });
      return { ok: true, registration: config !== undefined || credentials !== undefined ? await registerWebhook(info, input.id, box) : null };
    }),

  setEnabled: allowed('channels.manage')
    .input(z.object({ id: z.string().min(1), enabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      if (!(await new ChannelRepository(ctx.prisma, secretBox()).update(ctx.user.workspaceId, input.id, { enabled: input.enabled }))) {
        throw fieldError('NOT_FOUND', 'id', 'no such channel in this workspace');
      }
      return { ok: true };
    }),

  /** Sends one message now through the runner and reports the platform's answer. */
  sendTest: allowed('channels.manage')
    .input(z.object({ id: z.string().min(1), to: z.string().trim().min(1, 'must not be empty').max(320), text: z.string().min(1, 'must not be empty').max(4000) }))
    .mutation(async ({ ctx, input }) => {
      const box = secretBox();
      await loadChannel(ctx.prisma, box, ctx.user.workspaceId, input.id);
      const answer = await callRunnerAdmin(`/admin/channels/${encodeURIComponent(input.id)}/test`, { to: input.to, text: input.text }, box);
      const body = (answer.json ?? {}) as { ok?: boolean; externalId?: string | null; error?: string; message?: string };
      if (answer.status === 200 && body.ok) return { ok: true as const, externalId: body.externalId ?? null };
      return { ok: false as const, error: body.error && body.message ? body.message : (body.error ?? `the runner answered ${answer.status}`) };
    }),

  /** `version: null` follows the flow's latest published version; a number pins that version. */
  bind: allowed('channels.bind')
    .input(z.object({ channelId: z.string().min(1), flowId: z.string().min(1), version: z.number().int().positive().nullable() }))
    .mutation(async ({ ctx, input }) => {
      const result = await new ChannelBindings(ctx.prisma).bind(ctx.user.workspaceId, input.channelId, input.flowId, input.version);
      if (result !== 'ok') throw new TRPCError({ code: 'BAD_REQUEST', message: BIND_ERRORS[result] });
      return { ok: true };
    }),

  unbind: allowed('channels.bind')
    .input(z.object({ channelId: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => {
      if (!(await new ChannelBindings(ctx.prisma).unbind(ctx.user.workspaceId, input.channelId))) throw new TRPCError({ code: 'NOT_FOUND', message: 'the channel has no binding' });
      return { ok: true };
    }),
});
