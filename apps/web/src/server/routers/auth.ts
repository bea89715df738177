import { TRPCError } from '@trpc/server';
import { deleteSession } from '@signalbox/db/app';
import { permissionsOf } from '../permissions.ts';
import { clearedSessionCookie } from '../session-cookie.ts';
import { signIn, SignInInput } from '../sign-in.ts';
import { publicProcedure, router } from '../trpc.ts';

export const authRouter = router({
  me: publicProcedure.query(({ ctx }) => (ctx.user ? { ...ctx.user, permissions: permissionsOf(ctx.user.role) } : null)),

  signIn: publicProcedure.input(SignInInput).mutation(async ({ ctx, input }) => {
    const result = await signIn(ctx.prisma, input, ctx.secure, ctx.address);
    if (!result.ok) throw new TRPCError({ code: result.reason === 'locked' ? 'TOO_MANY_REQUESTS' : 'UNAUTHORIZED', message: result.message });
    ctx.setCookie(result.cookie);
    return { ...result.user, permissions: permissionsOf(result.user.role) };
  }),

  signOut: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await deleteSession(ctx.prisma, ctx.sessionToken);
    ctx.setCookie(clearedSessionCookie());
    return { ok: true };
  }),
});
