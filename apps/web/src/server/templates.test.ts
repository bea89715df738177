import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, createPrisma, createSession, createWorkspace, hashPassword, migrate, type PrismaClient, type Role } from '@signalbox/db';
import { freshDatabase } from '@signalbox/db/testing';
import { closePool } from './db.ts';
import { createCaller } from './router.ts';
import { failure } from './test-failure.ts';
import { createContext } from './trpc.ts';

const template = {
  name: 'order_shipped',
  defaultLanguage: 'en',
  variants: [
    { language: 'en', text: 'Order {{orderId}} is on its way.' },
    { language: 'es', text: 'El pedido {{orderId}} está en camino.' },
  ],
  sampleData: { orderId: 'A-77' },
};

describe('templates API', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let prisma: PrismaClient;
  const tokens = new Map<Role | 'other', string>();
  const caller = async (who: Role | 'other') => {
    const headers = new Headers({ cookie: `signalbox_session=${tokens.get(who)}` });
    return createCaller(await createContext({ prisma, headers }));
  };

  beforeAll(async () => {
    db = await freshDatabase('sbx_web_templates');
    process.env.DATABASE_URL = db.url;
    const pool = createPool(db.url);
    await migrate(pool);
    await pool.end();
    prisma = createPrisma(db.url);
    const workspaceId = await createWorkspace(prisma, 'Shop');
    const other = await createWorkspace(prisma, 'Other shop');
    for (const [role, ws] of [['editor', workspaceId], ['viewer', workspaceId], ['other', other]] as const) {
      const user = await prisma.user.create({ data: { workspaceId: ws, email: `${role}@shop.test`, name: role, role: role === 'other' ? 'owner' : role, passwordHash: hashPassword('pw') } });
      tokens.set(role, (await createSession(prisma, user.id)).token);
    }
  });
  afterAll(async () => {
    await closePool();
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('creates, lists, updates and deletes a template; other workspaces never see it', async () => {
    const editor = await caller('editor');
    const created = await editor.templates.create({ template });
    expect(await editor.templates.list()).toEqual([expect.objectContaining({ id: created.id, name: 'order_shipped', languages: ['en', 'es'] })]);
    const updated = await editor.templates.update({ id: created.id, revision: created.revision, template: { ...template, whatsapp: { category: 'utility' } } });
    expect(updated).toMatchObject({ revision: 2, whatsapp: { category: 'utility' } });
    expect(await editor.templates.get({ id: created.id })).toEqual({ template: updated, usedBy: [] });

    const other = await caller('other');
    expect(await other.templates.list()).toEqual([]);
    expect(await failure(other.templates.get({ id: created.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(other.templates.delete({ id: created.id }))).toMatchObject({ code: 'NOT_FOUND' });

    expect(await editor.templates.delete({ id: created.id })).toEqual({ deleted: true });
    expect(await editor.templates.list()).toEqual([]);
  });

  it('names each field an invalid template gets wrong, and refuses a stale save', async () => {
    const editor = await caller('editor');
    const invalid = await failure(editor.templates.create({ template: { ...template, defaultLanguage: 'fr', variants: [{ language: 'en', text: '' }] } }));
    expect(invalid.code).toBe('BAD_REQUEST');
    expect(invalid.cause).toMatchObject({
      fields: [
        { path: 'variants.0.text', message: 'write the message' },
        { path: 'defaultLanguage', message: 'there is no "fr" variant' },
      ],
    });
    const created = await editor.templates.create({ template: { ...template, name: 'welcome' } });
    await editor.templates.update({ id: created.id, revision: 1, template: { ...template, name: 'welcome', description: 'first' } });
    expect(await failure(editor.templates.update({ id: created.id, revision: 1, template: { ...template, name: 'welcome', description: 'second' } }))).toMatchObject({
      code: 'CONFLICT',
    });
    expect((await editor.templates.get({ id: created.id })).template.description).toBe('first');
  });

  it('lets a viewer read templates but not change them', async () => {
    const viewer = await caller('viewer');
    expect((await viewer.templates.list()).map((t) => t.name)).toEqual(['welcome']);
    expect(await failure(viewer.templates.create({ template: { ...template, name: 'mine' } }))).toMatchObject({ code: 'FORBIDDEN' });
  });
});
