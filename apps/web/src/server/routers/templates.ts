import { TRPCError } from '@trpc/server';
import { TemplateRepository, type TemplateWrite } from '@signalbox/db/app';
import { z } from 'zod';
import { pool } from '../db.ts';
import { allowed, badInput, router } from '../trpc.ts';

const Id = z.object({ id: z.string().min(1, 'required') });

/** The template's content is checked by the repository (MessageTemplate of @signalbox/nodes), field by field. */
const Content = z.record(z.string(), z.unknown());

const templates = () => new TemplateRepository(pool());

/** A refused write as the form shows it: each problem under its field. */
function written(result: TemplateWrite) {
  if (result.ok) return result.template;
  switch (result.reason) {
    case 'invalid':
      throw badInput('the template is not valid', result.problems.map((p) => ({ path: p.field, message: p.message })));
    case 'not_found':
      throw new TRPCError({ code: 'NOT_FOUND', message: 'no such template in this workspace: it may have been deleted' });
    case 'conflict':
      throw new TRPCError({ code: 'CONFLICT', message: 'someone else saved this template since you opened it: copy your changes, reload, and apply them again' });
    default: {
      const unreachable: never = result;
      return unreachable;
    }
  }
}

export const templatesRouter = router({
  list: allowed('content.read').query(({ ctx }) => templates().list(ctx.user.workspaceId)),

  get: allowed('content.read')
    .input(Id)
    .query(async ({ ctx, input }) => {
      const repository = templates();
      const [template, usedBy] = await Promise.all([repository.get(ctx.user.workspaceId, input.id), repository.usedBy(ctx.user.workspaceId, input.id)]);
      if (!template) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such template in this workspace: it may have been deleted' });
      return { template, usedBy };
    }),

  create: allowed('content.edit')
    .input(z.object({ template: Content }))
    .mutation(async ({ ctx, input }) => written(await templates().create(ctx.user.workspaceId, input.template))),

  /** `revision`: the one the editor loaded; a newer save by someone else is a conflict, not overwritten. */
  update: allowed('content.edit')
    .input(Id.extend({ revision: z.number().int().min(1), template: Content }))
    .mutation(async ({ ctx, input }) => written(await templates().update(ctx.user.workspaceId, input.id, input.template, input.revision))),

  delete: allowed('content.edit')
    .input(Id)
    .mutation(async ({ ctx, input }) => {
      if (!(await templates().delete(ctx.user.workspaceId, input.id))) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such template in this workspace' });
      return { deleted: true };
    }),
});
