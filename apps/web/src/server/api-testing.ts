import type { TRPCError } from '@trpc/server';
import { createPool, createPrisma, createSession, createWorkspace, hashPassword, migrate, type PrismaClient, type Role } from '@signalbox/db';
import { freshDatabase } from '@signalbox/db/testing';
import { closePool } from './db.ts';
import { createCaller } from './router.ts';
import { createContext } from './trpc.ts';

/** Who a test calls the API as: a user of each role in the workspace, or the owner of another workspace. */
export type Caller = Role | 'other';

export interface ApiHarness {
  prisma: PrismaClient;
  workspaceId: string;
  /** The API as `who`, signed in through a real session; null: nobody signed in. */
  as(who: Caller | null): Promise<ReturnType<typeof createCaller>>;
  close(): Promise<void>;
}

/**
 * For router tests: a fresh migrated database that the routers' `pool()` opens too (through DATABASE_URL), a
 * workspace with one user per role, and another workspace whose owner must see none of it.
 */
export async function apiHarness(prefix: string): Promise<ApiHarness> {
  const db = await freshDatabase(prefix);
  const setup = createPool(db.url);
  await migrate(setup);
  await setup.end();
  process.env.DATABASE_URL = db.url;
  const prisma = createPrisma(db.url);
  const workspaceId = await createWorkspace(prisma, 'Shop');
  const other = await createWorkspace(prisma, 'Other shop');
  const tokens = new Map<Caller, string>();
  for (const who of ['owner', 'admin', 'editor', 'agent', 'viewer', 'other'] as const) {
    const user = await prisma.user.create({
      data: { workspaceId: who === 'other' ? other : workspaceId, email: `${who}@shop.test`, name: who, role: who === 'other' ? 'owner' : who, passwordHash: hashPassword('correct horse battery') },
    });
    tokens.set(who, (await createSession(prisma, user.id)).token);
  }
  return {
    prisma,
    workspaceId,
    as: async (who) => createCaller(await createContext({ prisma, headers: new Headers(who ? { cookie: `signalbox_session=${tokens.get(who)}` } : {}) })),
    close: async () => {
      await closePool();
      delete process.env.DATABASE_URL;
      await prisma.$disconnect();
      await db.drop();
    },
  };
}

/** The fields a refusal named, by path: the repositories' problems, or zod's input issues. */
export function fieldsOf(error: TRPCError): Record<string, string> {
  const cause = error.cause as { fields?: { path: string; message: string }[]; issues?: { path: PropertyKey[]; message: string }[] } | undefined;
  const list = cause?.fields ?? cause?.issues?.map((i) => ({ path: i.path.join('.'), message: i.message })) ?? [];
  return Object.fromEntries(list.map((f) => [f.path, f.message]));
}
