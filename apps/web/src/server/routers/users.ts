import { TRPCError } from '@trpc/server';
import { Role, UserRepository } from '@signalbox/db/app';
import { z } from 'zod';
import { manageableRoles } from '../permissions.ts';
import { allowed, fieldError, router } from '../trpc.ts';

function assertManageable(actor: Role, role: Role, field: string) {
  if (!manageableRoles(actor).includes(role)) throw fieldError('FORBIDDEN', field, `a ${actor} cannot manage ${role}s`);
}

export const usersRouter = router({
  list: allowed('users.manage').query(async ({ ctx }) => ({ users: await new UserRepository(ctx.prisma).list(ctx.user.workspaceId), assignable: manageableRoles(ctx.user.role) })),

  create: allowed('users.manage')
    .input(
      z.object({
        email: z.string().trim().email('not an email address').max(320),
        name: z.string().trim().min(1, 'enter a name').max(120),
        role: Role,
        password: z.string().min(10, 'at least 10 characters').max(1024),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      assertManageable(ctx.user.role, input.role, 'role');
      const id = await new UserRepository(ctx.prisma).create({ workspaceId: ctx.user.workspaceId, ...input });
      if (!id) throw fieldError('CONFLICT', 'email', 'someone already signs in with this email');
      return { id };
    }),

  setRole: allowed('users.manage')
    .input(z.object({ id: z.string().min(1), role: Role }))
    .mutation(async ({ ctx, input }) => {
      const users = new UserRepository(ctx.prisma);
      const target = await users.find(ctx.user.workspaceId, input.id);
      if (!target) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such user in this workspace' });
      if (target.id === ctx.user.id) throw fieldError('BAD_REQUEST', 'role', 'you cannot change your own role');
      assertManageable(ctx.user.role, target.role, 'id');
      assertManageable(ctx.user.role, input.role, 'role');
      await users.setRole(ctx.user.workspaceId, input.id, input.role);
      return { ok: true };
    }),

  remove: allowed('users.manage')
    .input(z.object({ id: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => {
      const users = new UserRepository(ctx.prisma);
      const target = await users.find(ctx.user.workspaceId, input.id);
      if (!target) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such user in this workspace' });
      if (target.id === ctx.user.id) throw fieldError('BAD_REQUEST', 'id', 'you cannot remove yourself');
      assertManageable(ctx.user.role, target.role, 'id');
      await users.remove(ctx.user.workspaceId, input.id);
      return { ok: true };
    }),
});
