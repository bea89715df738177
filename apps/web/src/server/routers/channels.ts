import { TRPCError } from '@trpc/server';
import { ChannelBindings } from '@signalbox/db/app';
import { z } from 'zod';
import { allowed, router } from '../trpc.ts';

const BIND_ERRORS = {
  'no-channel': 'channelId: no such channel in this workspace',
  'no-flow': 'flowId: no such flow in this workspace',
  'no-version': 'version: the flow has no such published version',
} as const;

export const channelsRouter = router({
  list: allowed('channels.read').query(({ ctx }) => new ChannelBindings(ctx.prisma).list(ctx.user.workspaceId)),

  /** `version: null` follows the flow's latest published version; a number pins that version. */
  bind: allowed('channels.bind')
    .input(z.object({ channelId: z.string().min(1), flowId: z.string().min(1), version: z.number().int().positive().nullable() }))
    .mutation(async ({ ctx, input }) => {
      const result = await new ChannelBindings(ctx.prisma).bind(ctx.user.workspaceId, input.channelId, input.flowId, input.version);
      if (result !== 'ok') throw new TRPCError({ code: 'BAD_REQUEST', message: BIND_ERRORS[result] });
      return { ok: true };
    }),

  unbind: allowed('channels.bind')
    .input(z.object({ channelId: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => {
      if (!(await new ChannelBindings(ctx.prisma).unbind(ctx.user.workspaceId, input.channelId))) throw new TRPCError({ code: 'NOT_FOUND', message: 'the channel has no binding' });
      return { ok: true };
    }),
});
