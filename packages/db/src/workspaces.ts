import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from './connection.ts';

/** scrypt with a per-user salt: `scrypt$<salt>$<hash>`, base64url. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64url')}$${scryptSync(password, salt, 32).toString('base64url')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = scryptSync(password, Buffer.from(salt, 'base64url'), expected.length);
  return timingSafeEqual(expected, actual);
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
