import { TRPCError } from '@trpc/server';
import { wordListService } from '@signalbox/ai';
import { WordListInput, WordListRepository, type WordListWrite } from '@signalbox/db/app';
import { z } from 'zod';
import { pool } from '../db.ts';
import { allowed, badInput, router } from '../trpc.ts';

const Id = z.object({ id: z.string().min(1, 'required') });
const lists = () => new WordListRepository(pool());

function written(result: WordListWrite) {
  if (result.ok) return result.list;
  switch (result.reason) {
    case 'invalid':
      throw badInput('the word list is not valid', result.problems.map((p) => ({ path: p.field, message: p.message })));
    case 'not_found':
      throw new TRPCError({ code: 'NOT_FOUND', message: 'no such word list in this workspace: it may have been deleted' });
    case 'conflict':
      throw new TRPCError({ code: 'CONFLICT', message: 'someone else saved this list since you opened it: copy your changes, reload, and apply them again' });
    default: {
      const unreachable: never = result;
      return unreachable;
    }
  }
}

export const wordListsRouter = router({
  list: allowed('content.read').query(({ ctx }) => lists().list(ctx.user.workspaceId)),

  get: allowed('content.read')
    .input(Id)
    .query(async ({ ctx, input }) => {
      const list = await lists().get(ctx.user.workspaceId, input.id);
      if (!list) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such word list in this workspace: it may have been deleted' });
      return list;
    }),

  create: allowed('content.edit')
    .input(z.object({ list: z.record(z.string(), z.unknown()) }))
    .mutation(async ({ ctx, input }) => written(await lists().create(ctx.user.workspaceId, input.list))),

  update: allowed('content.edit')
    .input(Id.extend({ revision: z.number().int().min(1), list: z.record(z.string(), z.unknown()) }))
    .mutation(async ({ ctx, input }) => written(await lists().update(ctx.user.workspaceId, input.id, input.list, input.revision))),

  delete: allowed('content.edit')
    .input(Id)
    .mutation(async ({ ctx, input }) => {
      if (!(await lists().delete(ctx.user.workspaceId, input.id))) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such word list in this workspace' });
      return { deleted: true };
    }),

  /** Checks a text against the list as it stands in the editor, saved or not, with the matcher flows use. */
  try: allowed('content.read')
    .input(z.object({ text: z.string().max(5_000, 'at most 5,000 characters'), words: WordListInput.shape.words, obfuscations: z.boolean() }))
    .query(({ input }) => {
      const draft = { id: 'draft', name: 'this list', words: input.words, obfuscations: input.obfuscations, revision: 0 };
      return wordListService(async () => [draft]).check(input.text, ['draft']);
    }),
});
