import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from './connection.ts';
import { hashPassword, verifyPassword } from './workspaces.ts';
import { storedRole, type Role } from './users.ts';

export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export interface SessionUser {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  role: Role;
}

const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');

// Checked against when the email is unknown, so a wrong email costs the same scrypt as a wrong password.
const DECOY_HASH = hashPassword(randomBytes(16).toString('hex'));

/** The user with this email and password, or null; the same work either way, so timing tells nothing. */
export async function authenticate(prisma: PrismaClient, email: string, password: string): Promise<SessionUser | null> {
  const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  const matches = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH);
  if (!user || !matches) return null;
  return toSessionUser(user);
}

/** Starts a session; the token goes into the cookie and only its hash is stored. */
export async function createSession(prisma: PrismaClient, userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await prisma.session.create({ data: { id: tokenId(token), userId, expiresAt } });
  return { token, expiresAt };
}

export async function sessionUser(prisma: PrismaClient, token: string, now = new Date()): Promise<SessionUser | null> {
  const session = await prisma.session.findUnique({ where: { id: tokenId(token) }, include: { user: true } });
  if (!session || session.expiresAt <= now) return null;
  return toSessionUser(session.user);
}

export async function deleteSession(prisma: PrismaClient, token: string): Promise<void> {
  await prisma.session.deleteMany({ where: { id: tokenId(token) } });
}

function toSessionUser(user: { id: string; workspaceId: string; email: string; name: string; role: string }): SessionUser {
  return { id: user.id, workspaceId: user.workspaceId, email: user.email, name: user.name, role: storedRole(user.role) };
}
