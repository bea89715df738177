import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient } from './connection.ts';
import { hashPassword } from './workspaces.ts';

/** Stored in `app_user.role`; what each role may do is the web app's permission table. */
export const Role = z.enum(['owner', 'admin', 'editor', 'agent', 'viewer']);
export type Role = z.infer<typeof Role>;

/** A stored role; one the app no longer knows gets the least access, never an error that locks the user out. */
export function storedRole(value: string): Role {
  return Role.catch('viewer').parse(value);
}

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
}

export class UserRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async list(workspaceId: string): Promise<UserSummary[]> {
    const rows = await this.prisma.user.findMany({ where: { workspaceId }, orderBy: { createdAt: 'asc' } });
    return rows.map((u) => ({ id: u.id, email: u.email, name: u.name, role: storedRole(u.role), createdAt: u.createdAt }));
  }

  /** Null when the email is taken (emails are unique across workspaces: they are how people sign in). */
  async create(input: { workspaceId: string; email: string; name: string; role: Role; password: string }): Promise<string | null> {
    const email = input.email.trim().toLowerCase();
    if (await this.prisma.user.findUnique({ where: { email } })) return null;
    const id = randomUUID();
    await this.prisma.user.create({ data: { id, workspaceId: input.workspaceId, email, name: input.name, role: input.role, passwordHash: hashPassword(input.password) } });
    return id;
  }

  async find(workspaceId: string, id: string): Promise<UserSummary | null> {
    const u = await this.prisma.user.findFirst({ where: { id, workspaceId } });
    return u ? { id: u.id, email: u.email, name: u.name, role: storedRole(u.role), createdAt: u.createdAt } : null;
  }

  async setRole(workspaceId: string, id: string, role: Role): Promise<boolean> {
    const { count } = await this.prisma.user.updateMany({ where: { id, workspaceId }, data: { role } });
    return count === 1;
  }

  async remove(workspaceId: string, id: string): Promise<boolean> {
    const { count } = await this.prisma.user.deleteMany({ where: { id, workspaceId } });
    return count === 1;
  }
}
