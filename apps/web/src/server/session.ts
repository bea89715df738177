import { sessionUser, type SessionUser } from '@signalbox/db/app';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { prisma } from './db.ts';
import { permissionsOf, type Permission } from './permissions.ts';
import { SESSION_COOKIE } from './session-cookie.ts';

export type Viewer = SessionUser & { permissions: Permission[] };

/** The signed-in user of this request, for server components; null when signed out. */
export async function currentUser(): Promise<Viewer | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const user = token ? await sessionUser(prisma(), token) : null;
  return user ? { ...user, permissions: permissionsOf(user.role) } : null;
}

/** The signed-in user, or a redirect to the sign-in page that comes back to `from`. */
export async function requireUser(from: string): Promise<Viewer> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(from)}`);
  return user;
}
