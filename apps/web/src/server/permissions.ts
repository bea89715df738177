import type { Role } from '@signalbox/db/app';

/** What each role may do; every procedure names the permission it needs. */
const ROLES_FOR = {
  'flows.read': ['owner', 'admin', 'editor', 'agent', 'viewer'],
  'flows.edit': ['owner', 'admin', 'editor'],
  'flows.publish': ['owner', 'admin', 'editor'],
  'preview.run': ['owner', 'admin', 'editor'],
  'channels.read': ['owner', 'admin', 'editor', 'agent', 'viewer'],
  'channels.bind': ['owner', 'admin'],
  'channels.manage': ['owner', 'admin'],
  'users.manage': ['owner', 'admin'],
  /** Templates, intents, the knowledge base and word lists: what flows answer with. */
  'content.read': ['owner', 'admin', 'editor', 'agent', 'viewer'],
  'content.edit': ['owner', 'admin', 'editor'],
  /** The workspace's providers and their keys (translation). */
  'settings.manage': ['owner', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof ROLES_FOR;

export function can(role: Role, permission: Permission): boolean {
  const allowed: readonly Role[] = ROLES_FOR[permission];
  return allowed.includes(role);
}

/** Everything a role may do, for the UI to hide what the server would refuse anyway. */
export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(ROLES_FOR) as Permission[]).filter((p) => can(role, p));
}

/** Roles a user with `role` may give or take away: admins manage everyone but owners. */
export function manageableRoles(role: Role): Role[] {
  if (role === 'owner') return ['owner', 'admin', 'editor', 'agent', 'viewer'];
  if (role === 'admin') return ['admin', 'editor', 'agent', 'viewer'];
  return [];
}
