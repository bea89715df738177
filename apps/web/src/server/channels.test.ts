import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRPCError } from '@trpc/server';
import { ChannelRepository, createPool, createPrisma, createSession, createWorkspace, hashPassword, migrate, SecretBox, type PrismaClient, type Role } from '@signalbox/db';
import { freshDatabase } from '@signalbox/db/testing';
import { createCaller } from './router.ts';
import { failure } from './test-failure.ts';
import { createContext } from './trpc.ts';

const KEY = 'channel settings test key, long enough';


/** The fields a refusal named, by path. */
function fieldsOf(error: TRPCError): Record<string, string> {
  const cause = error.cause as { fields?: { path: string; message: string }[] } | undefined;
  return Object.fromEntries((cause?.fields ?? []).map((f) => [f.path, f.message]));
}

describe('channel settings (tRPC over the real database)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let prisma: PrismaClient;
  let workspaceId: string;
  let runner: Server;
  const runnerCalls: { url: string; auth: string; body: unknown }[] = [];
  const tokens = new Map<Role, string>();
  const caller = async (who: Role) => createCaller(await createContext({ prisma, headers: new Headers({ cookie: `signalbox_session=${tokens.get(who)}` }) }));

  beforeAll(async () => {
    db = await freshDatabase('sbx_web_channels');
    const pool = createPool(db.url);
    await migrate(pool);
    await pool.end();
    prisma = createPrisma(db.url);
    workspaceId = await createWorkspace(prisma, 'Shop');
    for (const role of ['owner', 'admin', 'editor', 'viewer'] as Role[]) {
      const user = await prisma.user.create({ data: { workspaceId, email: `${role}@shop.test`, name: role, role, passwordHash: hashPassword('correct horse battery') } });
      tokens.set(role, (await createSession(prisma, user.id)).token);
    }
    // A stand-in for the runner's admin API: records calls and answers like a platform that accepted the message.
    runner = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        runnerCalls.push({ url: req.url ?? '', auth: req.headers.authorization ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, externalId: 'platform-42' }));
      });
    });
    await new Promise<void>((resolve) => runner.listen(0, '127.0.0.1', resolve));
    process.env.SIGNALBOX_SECRET_KEY = KEY;
    process.env.RUNNER_URL = `http://127.0.0.1:${(runner.address() as AddressInfo).port}`;
    process.env.RUNNER_PUBLIC_URL = 'https://bot.shop.example';
  });
  afterAll(async () => {
    delete process.env.SIGNALBOX_SECRET_KEY;
    delete process.env.RUNNER_URL;
    delete process.env.RUNNER_PUBLIC_URL;
    await new Promise((resolve) => runner.close(resolve));
    await prisma.$disconnect();
    await db.drop();
  });

  it('an admin adds a channel: settings checked field by field, secrets generated and sealed, never shown back', async () => {
    const admin = await caller('admin');
    const missing = await failure(admin.channels.create({ type: 'webhook', name: 'Shop hook', config: { callbackUrl: 'not a url' } }));
    expect(missing.code).toBe('BAD_REQUEST');
    expect(Object.keys(fieldsOf(missing))).toEqual(['config.callbackUrl']);
    const absent = await failure(admin.channels.create({ type: 'webhook', name: 'Shop hook', config: {} }));
    expect(fieldsOf(absent)).toEqual({ 'config.callbackUrl': 'required' });
    const unknown = await failure(admin.channels.create({ type: 'pigeon', name: 'x' }));
    expect(fieldsOf(unknown)).toHaveProperty('type');

    const { id } = await admin.channels.create({ type: 'webhook', name: 'Shop hook', config: { callbackUrl: 'https://shop.example/cb' } });
    const stored = await new ChannelRepository(prisma, new SecretBox(KEY)).get(id);
    expect(stored?.credentials.secret).toMatch(/^[\w-]{32}$/);
    const row = await prisma.channel.findUniqueOrThrow({ where: { id } });
    expect(row.credentials).not.toContain(stored?.credentials.secret ?? '-');

    const details = await admin.channels.details({ id });
    expect(details).toMatchObject({ type: 'webhook', name: 'Shop hook', config: { callbackUrl: 'https://shop.example/cb' }, secretsSet: ['secret'], webhookUrl: `https://bot.shop.example/hooks/${id}` });
    expect(JSON.stringify(details)).not.toContain(stored?.credentials.secret ?? '-');
  });

  it('updates keep secrets left empty, replace the ones given, and refuse invalid settings', async () => {
    const owner = await caller('owner');
    const { id } = await owner.channels.create({ type: 'webhook', name: 'Hook', config: { callbackUrl: 'https://shop.example/a' } });
    const repository = new ChannelRepository(prisma, new SecretBox(KEY));
    const before = (await repository.get(id))?.credentials.secret;
    await owner.channels.update({ id, name: 'Renamed', config: { callbackUrl: 'https://shop.example/b' }, secrets: { secret: '' } });
    expect(await repository.get(id)).toMatchObject({ name: 'Renamed', config: { callbackUrl: 'https://shop.example/b' }, credentials: { secret: before } });
    await owner.channels.update({ id, secrets: { secret: 'a brand new secret of enough length' } });
    expect((await repository.get(id))?.credentials.secret).toBe('a brand new secret of enough length');
    const tooShort = await failure(owner.channels.update({ id, secrets: { secret: 'short' } }));
    expect(Object.keys(fieldsOf(tooShort))).toEqual(['secrets.secret']);
    const bad = await failure(owner.channels.update({ id, config: { callbackUrl: 'nope' } }));
    expect(Object.keys(fieldsOf(bad))).toEqual(['config.callbackUrl']);
    await owner.channels.setEnabled({ id, enabled: false });
    expect((await owner.channels.details({ id })).enabled).toBe(false);
  });

  it('editors and viewers cannot add, change or test channels; viewers read settings without tokens', async () => {
    const owner = await caller('owner');
    const { id } = await owner.channels.create({ type: 'webhook', name: 'Hook', config: { callbackUrl: 'https://shop.example/a' } });
    const editor = await caller('editor');
    expect((await failure(editor.channels.create({ type: 'webchat', name: 'Chat' }))).code).toBe('FORBIDDEN');
    expect((await failure(editor.channels.update({ id, name: 'x' }))).code).toBe('FORBIDDEN');
    expect((await failure(editor.channels.sendTest({ id, to: '+1', text: 'hi' }))).code).toBe('FORBIDDEN');
    const viewer = await caller('viewer');
    expect((await viewer.channels.details({ id })).verifyToken).toBeNull();
  });

  it('a test message goes through the runner with the derived admin token and reports the platform answer', async () => {
    const admin = await caller('admin');
    const { id } = await admin.channels.create({ type: 'webhook', name: 'Hook', config: { callbackUrl: 'https://shop.example/a' } });
    expect(await admin.channels.sendTest({ id, to: 'customer-1', text: 'Hello' })).toEqual({ ok: true, externalId: 'platform-42' });
    const call = runnerCalls.at(-1);
    expect(call).toMatchObject({ url: `/admin/channels/${id}/test`, body: { to: 'customer-1', text: 'Hello' } });
    expect(call?.auth).toBe(`Bearer ${new SecretBox(KEY).derive('signalbox runner admin')}`);

    const saved = process.env.RUNNER_URL;
    process.env.RUNNER_URL = 'http://127.0.0.1:9';
    try {
      const unreachable = await admin.channels.sendTest({ id, to: 'customer-1', text: 'Hello' });
      expect(unreachable.ok).toBe(false);
      expect(unreachable.ok ? '' : unreachable.error).toContain('did not answer');
    } finally {
      process.env.RUNNER_URL = saved;
    }
  });

  it('without the secret key the web app refuses to store credentials and says why', async () => {
    const admin = await caller('admin');
    delete process.env.SIGNALBOX_SECRET_KEY;
    try {
      const refused = await failure(admin.channels.create({ type: 'webchat', name: 'Chat' }));
      expect(refused.code).toBe('PRECONDITION_FAILED');
      expect(refused.message).toContain('SIGNALBOX_SECRET_KEY');
    } finally {
      process.env.SIGNALBOX_SECRET_KEY = KEY;
    }
  });
});
