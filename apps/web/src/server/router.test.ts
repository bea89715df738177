import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelRepository, createPool, createPrisma, createSession, createWorkspace, hashPassword, migrate, SecretBox, type PrismaClient, type Role } from '@signalbox/db';
import { freshDatabase } from '@signalbox/db/testing';
import type { FlowDocument } from '@signalbox/nodes';
import { createCaller } from './router.ts';
import { failure } from './test-failure.ts';
import { createContext } from './trpc.ts';

const PASSWORD = 'correct horse battery';

const node = (id: string, type: string, data: Record<string, unknown> = {}, x = 0) => ({ id, type, typeVersion: 1, position: { x, y: 0 }, data });
const echoFlow = (text = 'echo: {{message.text}}'): FlowDocument => ({
  schemaVersion: 1,
  nodes: [node('start', 'start', { trigger: 'message' }), node('say', 'send-message', { text })],
  edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'say' }],
  variables: [],
});


describe('web API (tRPC over the real database)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let prisma: PrismaClient;
  let workspaceId: string;
  const tokens = new Map<Role | 'other', string>();

  const as = async (who: Role | 'other' | null) => {
    const headers = new Headers();
    const token = who ? tokens.get(who) : undefined;
    if (token) headers.set('cookie', `theme=dark; signalbox_session=${token}`);
    const resHeaders = new Headers();
    return { caller: createCaller(await createContext({ prisma, headers, resHeaders })), resHeaders };
  };
  const caller = async (who: Role | 'other' | null) => (await as(who)).caller;

  beforeAll(async () => {
    db = await freshDatabase('sbx_web');
    const pool = createPool(db.url);
    await migrate(pool);
    await pool.end();
    prisma = createPrisma(db.url);
    workspaceId = await createWorkspace(prisma, 'Shop');
    const otherWorkspace = await createWorkspace(prisma, 'Other shop');
    const people: [Role | 'other', string][] = [['owner', workspaceId], ['admin', workspaceId], ['editor', workspaceId], ['agent', workspaceId], ['viewer', workspaceId], ['other', otherWorkspace]];
    for (const [role, ws] of people) {
      const user = await prisma.user.create({ data: { workspaceId: ws, email: `${role}@shop.test`, name: `The ${role}`, role: role === 'other' ? 'owner' : role, passwordHash: hashPassword(PASSWORD) } });
      tokens.set(role, (await createSession(prisma, user.id)).token);
    }
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  describe('sign-in', () => {
    it('sets an httpOnly session cookie that signs the next request in', async () => {
      const { caller: anonymous, resHeaders } = await as(null);
      const me = await anonymous.auth.signIn({ email: 'Editor@Shop.test ', password: PASSWORD });
      expect(me.role).toBe('editor');
      const cookie = resHeaders.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^signalbox_session=[\w-]{20,}; Path=\/; HttpOnly; SameSite=Lax/);
      const token = /signalbox_session=([^;]+)/.exec(cookie)?.[1] ?? '';
      const headers = new Headers({ cookie: `signalbox_session=${token}` });
      const signedIn = createCaller(await createContext({ prisma, headers }));
      expect((await signedIn.auth.me())?.email).toBe('editor@shop.test');
    });

    it('refuses a wrong password and an unknown email alike, and names bad fields', async () => {
      const anonymous = await caller(null);
      const wrong = await failure(anonymous.auth.signIn({ email: 'viewer@shop.test', password: 'nope' }));
      const unknown = await failure(anonymous.auth.signIn({ email: 'nobody@shop.test', password: 'nope' }));
      expect([wrong.code, wrong.message]).toEqual(['UNAUTHORIZED', 'wrong email or password']);
      expect([unknown.code, unknown.message]).toEqual(['UNAUTHORIZED', 'wrong email or password']);
      const bad = await failure(anonymous.auth.signIn({ email: 'not-an-email', password: '' }));
      expect(bad.code).toBe('BAD_REQUEST');
      expect(bad.message).toContain('not an email address');
    });

    it('locks an email out after ten wrong passwords, even for the right one', async () => {
      const anonymous = await caller(null);
      for (let i = 0; i < 10; i += 1) await failure(anonymous.auth.signIn({ email: 'agent@shop.test', password: `guess ${i}` }));
      const locked = await failure(anonymous.auth.signIn({ email: 'agent@shop.test', password: PASSWORD }));
      expect(locked.code).toBe('TOO_MANY_REQUESTS');
    });

    it('signing out ends the session on the server', async () => {
      const user = await prisma.user.findUniqueOrThrow({ where: { email: 'viewer@shop.test' } });
      const { token } = await createSession(prisma, user.id);
      const headers = new Headers({ cookie: `signalbox_session=${token}` });
      const resHeaders = new Headers();
      await createCaller(await createContext({ prisma, headers, resHeaders })).auth.signOut();
      expect(resHeaders.get('set-cookie')).toContain('Max-Age=0');
      expect(await createCaller(await createContext({ prisma, headers })).auth.me()).toBeNull();
    });

    it('refuses every workspace procedure without a session', async () => {
      const error = await failure((await caller(null)).flows.list({}));
      expect(error.code).toBe('UNAUTHORIZED');
    });
  });

  describe('roles', () => {
    it('a viewer can read flows but cannot save, create or publish', async () => {
      const { id } = await (await caller('editor')).flows.create({ name: 'Read only', starter: 'echo' });
      const viewer = await caller('viewer');
      const opened = await viewer.flows.open({ id });
      expect(opened.flow.name).toBe('Read only');
      const save = await failure(viewer.flows.save({ id, baseRevision: opened.draft.revision, document: echoFlow() }));
      expect(save.code).toBe('FORBIDDEN');
      expect((await failure(viewer.flows.create({ name: 'Nope' }))).code).toBe('FORBIDDEN');
      expect((await failure(viewer.versions.publish({ id, revision: opened.draft.revision }))).code).toBe('FORBIDDEN');
      expect((await failure(viewer.preview.step({ document: echoFlow(), simulation: null, event: { text: 'hi' } }))).code).toBe('FORBIDDEN');
    });

    it('an editor edits flows but cannot manage users or bind channels', async () => {
      const editor = await caller('editor');
      expect((await failure(editor.users.list())).code).toBe('FORBIDDEN');
      expect((await failure(editor.users.create({ email: 'new@shop.test', name: 'New', role: 'viewer', password: 'long enough pw' }))).code).toBe('FORBIDDEN');
      expect((await failure(editor.channels.bind({ channelId: 'x', flowId: 'y', version: null }))).code).toBe('FORBIDDEN');
    });

    it('an admin manages users but cannot create or demote an owner', async () => {
      const admin = await caller('admin');
      const { id } = await admin.users.create({ email: 'new.agent@shop.test', name: 'New agent', role: 'agent', password: 'long enough pw' });
      await admin.users.setRole({ id, role: 'editor' });
      const { users } = await admin.users.list();
      expect(users.find((u) => u.id === id)?.role).toBe('editor');
      expect((await failure(admin.users.create({ email: 'boss@shop.test', name: 'Boss', role: 'owner', password: 'long enough pw' }))).code).toBe('FORBIDDEN');
      const owner = users.find((u) => u.role === 'owner');
      expect((await failure(admin.users.setRole({ id: owner?.id ?? '', role: 'viewer' }))).code).toBe('FORBIDDEN');
      const duplicate = await failure(admin.users.create({ email: 'NEW.agent@shop.test', name: 'Again', role: 'agent', password: 'long enough pw' }));
      expect([duplicate.code, duplicate.message]).toEqual(['CONFLICT', 'email: someone already signs in with this email']);
    });

    it('keeps workspaces apart', async () => {
      const { id } = await (await caller('editor')).flows.create({ name: 'Ours' });
      const other = await caller('other');
      expect((await failure(other.flows.open({ id }))).code).toBe('NOT_FOUND');
      expect((await other.flows.list({})).items.map((f) => f.name)).not.toContain('Ours');
    });
  });

  describe('flows', () => {
    it('lists by search, pages, and hides archived flows unless asked', async () => {
      const editor = await caller('editor');
      for (const name of ['Refunds EU', 'Refunds US', 'Order status']) await editor.flows.create({ name });
      const refunds = await editor.flows.list({ query: 'refunds' });
      expect(refunds.items.map((f) => f.name).sort()).toEqual(['Refunds EU', 'Refunds US']);
      const page = await editor.flows.list({ query: 'refunds', limit: 1, offset: 1 });
      expect([page.total, page.items.length]).toEqual([2, 1]);
      const us = refunds.items.find((f) => f.name === 'Refunds US');
      await editor.flows.update({ id: us?.id ?? '', archived: true });
      expect((await editor.flows.list({ query: 'refunds' })).items.map((f) => f.name)).toEqual(['Refunds EU']);
      expect((await editor.flows.list({ query: 'refunds', archived: true })).items.map((f) => f.name)).toEqual(['Refunds US']);
    });

    it('creates from a starter and duplicates the draft', async () => {
      const editor = await caller('editor');
      const { id } = await editor.flows.create({ name: 'Assistant', starter: 'shop-assistant' });
      const copy = await editor.flows.duplicate({ id });
      const [a, b] = await Promise.all([editor.flows.open({ id }), editor.flows.open({ id: copy.id })]);
      expect(b.flow.name).toBe('Assistant (copy)');
      expect(b.draft.document.nodes).toEqual(a.draft.document.nodes);
      expect((await failure(editor.flows.create({ name: 'X', starter: 'nope' }))).message).toContain('starter');
    });

    it('imports a file, upgrading old documents, and reports problems by JSON path', async () => {
      const editor = await caller('editor');
      const v0 = { name: 'Legacy', steps: [{ id: 'start', type: 'start' }, { id: 'hi', type: 'send-message', config: { text: 'hello' } }], links: [{ from: 'start', to: 'hi' }] };
      const imported = await editor.flows.import({ text: JSON.stringify(v0) });
      expect(imported).toMatchObject({ name: 'Legacy', migratedFrom: 0, errors: 0 });
      const broken = await failure(editor.flows.import({ text: JSON.stringify({ schemaVersion: 1, nodes: [{ id: 'a', type: 'start', position: { x: 'left' } }] }) }));
      expect(broken.code).toBe('BAD_REQUEST');
      const fields = (broken.cause as { fields?: { path: string }[] } | undefined)?.fields ?? [];
      expect(fields.map((f) => f.path)).toContain('$.nodes[0].position.x');
      const notJson = await failure(editor.flows.import({ text: '{"schemaVersion": 1,' }));
      expect(notJson.message).toBe('the file is not JSON');
    });

    it('exports the draft or a version as a document that imports back unchanged', async () => {
      const editor = await caller('editor');
      const { id } = await editor.flows.create({ name: 'Round trip', starter: 'echo' });
      const exported = await editor.flows.export({ id });
      const back = await editor.flows.import({ text: JSON.stringify(exported.document) });
      const [a, b] = await Promise.all([editor.flows.open({ id }), editor.flows.open({ id: back.id })]);
      expect(b.draft.document).toEqual(a.draft.document);
    });
  });

  describe('drafts and versions', () => {
    it('a save based on an old revision is a conflict that returns the other save', async () => {
      const editor = await caller('editor');
      const admin = await caller('admin');
      const { id } = await editor.flows.create({ name: 'Contested', starter: 'echo' });
      const base = (await editor.flows.open({ id })).draft.revision;
      const first = await admin.flows.save({ id, baseRevision: base, document: echoFlow('admin was here: {{message.text}}') });
      expect(first).toMatchObject({ status: 'saved', revision: base + 1 });
      const second = await editor.flows.save({ id, baseRevision: base, document: echoFlow('editor: {{message.text}}') });
      expect(second.status).toBe('conflict');
      if (second.status !== 'conflict') return;
      expect(second.current.updatedByName).toBe('The admin');
      expect(second.current.document.nodes[1]?.data).toEqual({ text: 'admin was here: {{message.text}}' });
    });

    it('refuses to save a document that is not a flow, naming the path', async () => {
      const editor = await caller('editor');
      const { id } = await editor.flows.create({ name: 'Strict' });
      const error = await failure(editor.flows.save({ id, baseRevision: 1, document: { schemaVersion: 1, nodes: [{ id: '', type: 'start' }] } }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.message).toContain('$.nodes[0].id');
    });

    it('publish is blocked by validation errors, then numbers versions and refuses a stale revision', async () => {
      const editor = await caller('editor');
      const { id } = await editor.flows.create({ name: 'Publishing', starter: 'echo' });
      let revision = (await editor.flows.open({ id })).draft.revision;
      const invalid = { ...echoFlow(), nodes: [...echoFlow().nodes, node('loose', 'send-message', { text: '' })] };
      const saved = await editor.flows.save({ id, baseRevision: revision, document: invalid });
      revision = saved.status === 'saved' ? saved.revision : -1;
      const blocked = await failure(editor.versions.publish({ id, revision, note: 'first' }));
      expect(blocked.code).toBe('PRECONDITION_FAILED');
      expect(blocked.message).toContain('write a message, pick a template or attach media');

      const fixed = await editor.flows.save({ id, baseRevision: revision, document: echoFlow() });
      revision = fixed.status === 'saved' ? fixed.revision : -1;
      expect(await editor.versions.publish({ id, revision, note: 'first' })).toMatchObject({ number: 1 });
      const changed = await editor.flows.save({ id, baseRevision: revision, document: echoFlow('v2: {{message.text}}') });
      const v2Revision = changed.status === 'saved' ? changed.revision : -1;
      expect((await failure(editor.versions.publish({ id, revision, note: 'stale' }))).code).toBe('CONFLICT');
      expect(await editor.versions.publish({ id, revision: v2Revision, note: 'second' })).toMatchObject({ number: 2 });

      const versions = await editor.versions.list({ id });
      expect(versions.map((v) => [v.number, v.note, v.authorName])).toEqual([
        [2, 'second', 'The editor'],
        [1, 'first', 'The editor'],
      ]);
      const compared = await editor.versions.compare({ id, from: 1, to: 2 });
      expect(compared.from.document.nodes[1]?.data).toEqual({ text: 'echo: {{message.text}}' });
      expect(compared.to.document.nodes[1]?.data).toEqual({ text: 'v2: {{message.text}}' });

      const restored = await editor.versions.restore({ id, number: 1, baseRevision: v2Revision });
      expect(restored.status).toBe('saved');
      expect((await editor.flows.open({ id })).draft.document.nodes[1]?.data).toEqual({ text: 'echo: {{message.text}}' });
    });

    it('presence lists the other tabs with the flow open', async () => {
      const editor = await caller('editor');
      const admin = await caller('admin');
      const { id } = await editor.flows.create({ name: 'Shared' });
      expect(await editor.flows.presence({ id, tabId: 'editor-tab-1' })).toEqual([]);
      const seen = await admin.flows.presence({ id, tabId: 'admin-tab-1' });
      expect(seen.map((p) => p.name)).toEqual(['The editor']);
      await editor.flows.leave({ id, tabId: 'editor-tab-1' });
      expect(await admin.flows.presence({ id, tabId: 'admin-tab-1' })).toEqual([]);
    });
  });

  describe('preview', () => {
    it('runs the draft through the interpreter and carries the conversation between calls', async () => {
      const editor = await caller('editor');
      const document: FlowDocument = {
        schemaVersion: 1,
        nodes: [
          node('start', 'start', { trigger: 'message' }),
          node('ask', 'ask-question', { question: 'Your order number?', saveAs: 'order' }),
          node('lookup', 'http-request', { method: 'GET', url: 'https://shop.test/orders/{{order}}', responseMapping: [{ variable: 'status', path: 'status' }] }),
          node('say', 'send-message', { text: 'Order {{order}}: {{status}}' }),
        ],
        edges: [
          { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' },
          { id: 'e2', source: 'ask', sourceHandle: 'answered', target: 'lookup' },
          { id: 'e3', source: 'lookup', sourceHandle: 'next', target: 'say' },
        ],
        variables: [],
      };
      const first = await editor.preview.step({ document, simulation: null, event: { text: 'hi' } });
      expect(first.transcript.map((l) => [l.from, l.text])).toEqual([
        ['customer', 'hi'],
        ['bot', 'Your order number?'],
      ]);
      const second = await editor.preview.step({
        document,
        simulation: first.simulation,
        event: { text: 'A-1001' },
        http: { mode: 'mock', status: 200, body: '{"status":"shipped"}' },
      });
      expect(second.transcript.at(-1)?.text).toBe('Order A-1001: shipped');
      expect(second.trace.map((t) => t.nodeId)).toEqual(['ask', 'lookup', 'say']);
    });
  });

  describe('channel bindings', () => {
    it('an admin binds a channel to the latest version or pins one', async () => {
      const admin = await caller('admin');
      const { id } = await admin.flows.create({ name: 'Bound', starter: 'echo' });
      const revision = (await admin.flows.open({ id })).draft.revision;
      await admin.versions.publish({ id, revision, note: 'v1' });
      const channel = await new ChannelRepository(prisma, new SecretBox('a test secret key, long enough')).create({ workspaceId, type: 'webhook', name: 'Shop site', config: { callbackUrl: 'http://127.0.0.1:9/cb' } });
      await admin.channels.bind({ channelId: channel.id, flowId: id, version: 1 });
      expect((await admin.channels.list()).find((c) => c.channelId === channel.id)).toMatchObject({ flowName: 'Bound', mode: 'pinned', versionNumber: 1 });
      await admin.channels.bind({ channelId: channel.id, flowId: id, version: null });
      expect((await admin.channels.list()).find((c) => c.channelId === channel.id)).toMatchObject({ mode: 'latest', versionNumber: null });
      expect((await failure(admin.channels.bind({ channelId: channel.id, flowId: id, version: 9 }))).message).toContain('version');
    });
  });
});
