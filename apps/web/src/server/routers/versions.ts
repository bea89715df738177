import { TRPCError } from '@trpc/server';
import { FlowLibrary } from '@signalbox/db/app';
import { validateFlow, type FlowDocument } from '@signalbox/nodes';
import { z } from 'zod';
import { allowed, router } from '../trpc.ts';
import { FlowId } from './flows.ts';

const VersionNumber = z.number().int().positive();
/** A side of a comparison: a published version's number, or the current draft. */
const Side = z.union([VersionNumber, z.literal('draft')]);

export const versionsRouter = router({
  /** Freezes the draft as it stood at `revision`; refused while the flow has validation errors. */
  publish: allowed('flows.publish')
    .input(z.object({ id: FlowId, revision: z.number().int().positive(), note: z.string().trim().max(500, 'at most 500 characters').default('') }))
    .mutation(async ({ ctx, input }) => {
      const result = await new FlowLibrary(ctx.prisma).publishDraft(ctx.user.workspaceId, input.id, {
        revision: input.revision,
        note: input.note,
        authorId: ctx.user.id,
        check: (document) => {
          const { errors } = validateFlow(document);
          return errors.length === 0 ? null : `the flow has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors.slice(0, 3).map((e) => e.message).join('; ')}`;
        },
      });
      switch (result.status) {
        case 'published':
          return { number: result.version.number, id: result.version.id, checksum: result.version.checksum };
        case 'conflict':
          throw new TRPCError({ code: 'CONFLICT', message: 'the draft changed since you last saw it: review the latest draft, then publish' });
        case 'invalid':
          throw new TRPCError({ code: 'PRECONDITION_FAILED', message: result.reason });
        case 'missing':
          throw new TRPCError({ code: 'NOT_FOUND', message: `no flow "${input.id}" in this workspace` });
        default: {
          const unreachable: never = result;
          return unreachable;
        }
      }
    }),

  list: allowed('flows.read')
    .input(z.object({ id: FlowId }))
    .query(async ({ ctx, input }) => {
      const library = new FlowLibrary(ctx.prisma);
      if (!(await library.exists(ctx.user.workspaceId, input.id))) throw new TRPCError({ code: 'NOT_FOUND', message: `no flow "${input.id}" in this workspace` });
      return library.versions(input.id);
    }),

  get: allowed('flows.read')
    .input(z.object({ id: FlowId, number: VersionNumber }))
    .query(async ({ ctx, input }) => {
      const version = await new FlowLibrary(ctx.prisma).version(ctx.user.workspaceId, input.id, input.number);
      if (!version) throw new TRPCError({ code: 'NOT_FOUND', message: `flow "${input.id}" has no version ${input.number}` });
      return version;
    }),

  /** Both documents of a comparison; the editor diffs them (the same pure diff everywhere). */
  compare: allowed('flows.read')
    .input(z.object({ id: FlowId, from: Side, to: Side }))
    .query(async ({ ctx, input }) => {
      const library = new FlowLibrary(ctx.prisma);
      const side = async (which: z.infer<typeof Side>): Promise<{ label: string; document: FlowDocument }> => {
        if (which === 'draft') {
          const opened = await library.open(ctx.user.workspaceId, input.id);
          if (!opened) throw new TRPCError({ code: 'NOT_FOUND', message: `no flow "${input.id}" in this workspace` });
          return { label: 'Draft', document: opened.draft.document };
        }
        const version = await library.version(ctx.user.workspaceId, input.id, which);
        if (!version) throw new TRPCError({ code: 'NOT_FOUND', message: `flow "${input.id}" has no version ${which}` });
        return { label: `v${version.number}`, document: version.document };
      };
      const [from, to] = await Promise.all([side(input.from), side(input.to)]);
      return { from, to };
    }),

  /** Copies a version into the draft (a normal save, so another tab's newer save is a conflict, not lost). */
  restore: allowed('flows.edit')
    .input(z.object({ id: FlowId, number: VersionNumber, baseRevision: z.number().int().positive() }))
    .mutation(async ({ ctx, input }) => {
      const library = new FlowLibrary(ctx.prisma);
      const version = await library.version(ctx.user.workspaceId, input.id, input.number);
      if (!version) throw new TRPCError({ code: 'NOT_FOUND', message: `flow "${input.id}" has no version ${input.number}` });
      const result = await library.saveDraft(ctx.user.workspaceId, input.id, { document: version.document, baseRevision: input.baseRevision, userId: ctx.user.id });
      if (result.status === 'missing') throw new TRPCError({ code: 'NOT_FOUND', message: `no flow "${input.id}" in this workspace` });
      return { ...result, document: version.document };
    }),
});
