import { TRPCError } from '@trpc/server';
import { FlowLibrary } from '@signalbox/db/app';
import { validateFlow } from '@signalbox/nodes';
import { z } from 'zod';
import { DocumentInput, parseFlowFile } from '../documents.ts';
import { STARTERS } from '../starters.ts';
import { allowed, router } from '../trpc.ts';

export const FlowId = z.string().min(1).max(100);
const Name = z.string().trim().min(1, 'give the flow a name').max(120, 'at most 120 characters');
const Description = z.string().trim().max(500, 'at most 500 characters');
/** Import files above this size are refused before parsing; a 500-node flow is about 200 kB. */
const MAX_FLOW_FILE = 5_000_000;

const notFound = (id: string) => new TRPCError({ code: 'NOT_FOUND', message: `no flow "${id}" in this workspace` });

export const flowsRouter = router({
  list: allowed('flows.read')
    .input(z.object({ query: z.string().max(200).default(''), archived: z.boolean().default(false), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(100).default(25) }))
    .query(({ ctx, input }) => new FlowLibrary(ctx.prisma).search(ctx.user.workspaceId, input)),

  starters: allowed('flows.read').query(() => STARTERS.map(({ id, title, description, document }) => ({ id, title, description, nodeCount: document.nodes.length }))),

  create: allowed('flows.edit')
    .input(z.object({ name: Name, description: Description.default(''), starter: z.string().default('blank') }))
    .mutation(async ({ ctx, input }) => {
      const starter = STARTERS.find((s) => s.id === input.starter);
      if (!starter) throw new TRPCError({ code: 'BAD_REQUEST', message: `starter: no starter "${input.starter}"` });
      const id = await new FlowLibrary(ctx.prisma).create(ctx.user.workspaceId, { name: input.name, description: input.description, document: { ...starter.document, name: input.name }, userId: ctx.user.id });
      return { id };
    }),

  duplicate: allowed('flows.edit')
    .input(z.object({ id: FlowId, name: Name.optional() }))
    .mutation(async ({ ctx, input }) => {
      const id = await new FlowLibrary(ctx.prisma).duplicate(ctx.user.workspaceId, input.id, { ...(input.name ? { name: input.name } : {}), userId: ctx.user.id });
      if (!id) throw notFound(input.id);
      return { id };
    }),

  update: allowed('flows.edit')
    .input(z.object({ id: FlowId, name: Name.optional(), description: Description.optional(), archived: z.boolean().optional() }))
    .mutation(async ({ ctx, input }) => {
      const { id, ...data } = input;
      if (!(await new FlowLibrary(ctx.prisma).update(ctx.user.workspaceId, id, data))) throw notFound(id);
      return { ok: true };
    }),

  import: allowed('flows.edit')
    .input(z.object({ text: z.string().min(1, 'the file is empty').max(MAX_FLOW_FILE, `the file is larger than ${MAX_FLOW_FILE / 1_000_000} MB`), name: Name.optional() }))
    .mutation(async ({ ctx, input }) => {
      const { document, migratedFrom } = parseFlowFile(input.text);
      const name = input.name ?? document.name ?? 'Imported flow';
      const id = await new FlowLibrary(ctx.prisma).create(ctx.user.workspaceId, { name, document, userId: ctx.user.id });
      const report = validateFlow(document);
      return { id, name, migratedFrom, errors: report.errors.length, warnings: report.warnings.length };
    }),

  export: allowed('flows.read')
    .input(z.object({ id: FlowId, version: z.number().int().positive().optional() }))
    .query(async ({ ctx, input }) => {
      const library = new FlowLibrary(ctx.prisma);
      const opened = await library.open(ctx.user.workspaceId, input.id);
      if (!opened) throw notFound(input.id);
      if (input.version === undefined) return { name: opened.flow.name, document: { ...opened.draft.document, name: opened.flow.name } };
      const version = await library.version(ctx.user.workspaceId, input.id, input.version);
      if (!version) throw new TRPCError({ code: 'NOT_FOUND', message: `flow "${input.id}" has no version ${input.version}` });
      return { name: `${opened.flow.name} v${version.number}`, document: { ...version.document, name: opened.flow.name } };
    }),

  open: allowed('flows.read')
    .input(z.object({ id: FlowId }))
    .query(async ({ ctx, input }) => {
      const opened = await new FlowLibrary(ctx.prisma).open(ctx.user.workspaceId, input.id);
      if (!opened) throw notFound(input.id);
      return opened;
    }),

  /** Autosave: refused with the other save's content when someone saved since `baseRevision`. */
  save: allowed('flows.edit')
    .input(z.object({ id: FlowId, baseRevision: z.number().int().positive(), document: DocumentInput }))
    .mutation(async ({ ctx, input }) => {
      const result = await new FlowLibrary(ctx.prisma).saveDraft(ctx.user.workspaceId, input.id, { document: input.document, baseRevision: input.baseRevision, userId: ctx.user.id });
      if (result.status === 'missing') throw notFound(input.id);
      return result;
    }),

  /** Heartbeat of an open editor tab; answers who else has the flow open. */
  presence: allowed('flows.read')
    .input(z.object({ id: FlowId, tabId: z.string().min(8).max(64) }))
    .mutation(async ({ ctx, input }) => {
      const library = new FlowLibrary(ctx.prisma);
      if (!(await library.exists(ctx.user.workspaceId, input.id))) throw notFound(input.id);
      return library.touchPresence(input.id, input.tabId, ctx.user.id);
    }),

  leave: allowed('flows.read')
    .input(z.object({ id: FlowId, tabId: z.string().min(8).max(64) }))
    .mutation(async ({ ctx, input }) => {
      await new FlowLibrary(ctx.prisma).leavePresence(input.id, input.tabId);
      return { ok: true };
    }),
});
