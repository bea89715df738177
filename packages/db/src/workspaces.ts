import { randomBytes, randomUUID, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt);
import type { PrismaClient } from './connection.ts';

/** scrypt with a per-user salt: `scrypt$<salt>$<hash>`, base64url. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64url')}$${scryptSync(password, salt, 32).toString('base64url')}`;
}

/** Off the event loop (libuv's thread pool): a sign-in must not stall every other request of the process. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length);
  return actual instanceof Buffer && actual.length === expected.length && timingSafeEqual(expected, actual);
}

export async function createWorkspace(prisma: PrismaClient, name: string, id: string = randomUUID()): Promise<string> {
  await prisma.workspace.create({ data: { id, name } });
  return id;
}

/** The workspace commands act on when none is named: the oldest one. */
export async function defaultWorkspaceId(prisma: PrismaClient): Promise<string | null> {
  const first = await prisma.workspace.findFirst({ orderBy: { createdAt: 'asc' } });
  return first?.id ?? null;
}
