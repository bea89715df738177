import { TRPCError } from '@trpc/server';
import { KnowledgeRepository, KNOWLEDGE_KINDS, KNOWLEDGE_STATUSES, type KnowledgeProblem, type KnowledgeWrite } from '@signalbox/db/app';
import { answerText, DEFAULT_ANSWER_THRESHOLD, knowledgeText, selectAnswer, SUPPORTED_LANGUAGES } from '@signalbox/ai';
import { z } from 'zod';
import { pool } from '../db.ts';
import { Id, required, SupportedLanguage } from '../fields.ts';
import { allowed, badInput, fieldError, router } from '../trpc.ts';

const Language = SupportedLanguage;

/** What an editor fills in: the repository checks the same again, this names the fields in the editor's words. */
const ArticleFields = {
  kind: z.enum(KNOWLEDGE_KINDS, { error: 'choose article or FAQ' }),
  title: z.string({ error: required }).trim().min(1, 'required').max(300, 'at most 300 characters'),
  body: z.string({ error: required }).trim().min(1, 'required').max(50_000, 'at most 50,000 characters'),
  language: Language,
  category: z.string().trim().max(100, 'at most 100 characters'),
  tags: z.array(z.string().trim().min(1, 'a tag cannot be empty').max(60, 'a tag has at most 60 characters')).max(30, 'at most 30 tags'),
};

const ArticleInput = z.object({
  ...ArticleFields,
  kind: ArticleFields.kind.default('article'),
  category: ArticleFields.category.default(''),
  tags: ArticleFields.tags.default([]),
  status: z.enum(KNOWLEDGE_STATUSES).default('draft'),
});

/** `updatedAt`: when the editor's copy was saved; a newer save by someone else is refused, not overwritten. */
const ArticlePatch = z.object({ id: Id, updatedAt: z.date(), ...ArticleFields }).partial().required({ id: true });

const ListInput = z.object({
  query: z.string().trim().max(300, 'at most 300 characters').optional(),
  language: Language.optional(),
  category: z.string().max(100, 'at most 100 characters').optional(),
  status: z.enum(KNOWLEDGE_STATUSES).optional(),
  kind: z.enum(KNOWLEDGE_KINDS).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(100).default(25),
});

/** How many hits the answer node looks at (the repository's default): the try panel must see what the node sees. */
const NODE_HITS = 5;

const TryInput = z.object({
  question: z.string({ error: required }).trim().min(1, 'type a question').max(1000, 'at most 1,000 characters'),
  /** The customer's language, as the conversation knows it; null when unknown. */
  language: Language.nullable().default(null),
  threshold: z.number({ error: 'a number from 0 to 1' }).min(0, 'at least 0').max(1, 'at most 1').default(DEFAULT_ANSWER_THRESHOLD),
});

function repository(): KnowledgeRepository {
  return new KnowledgeRepository(pool(), knowledgeText);
}

function problems(list: KnowledgeProblem[]) {
  return badInput(list.map((p) => `${p.field}: ${p.message}`).join('; '), list.map((p) => ({ path: p.field, message: p.message })));
}

function written(result: KnowledgeWrite) {
  if (result.ok) return result.article;
  if (result.reason === 'not_found') throw fieldError('NOT_FOUND', 'id', 'no such article in this workspace');
  if (result.reason === 'conflict') {
    throw new TRPCError({ code: 'CONFLICT', message: `someone else saved this article ${result.current.updatedAt.toISOString()}: copy your text, reload, and apply it again` });
  }
  throw problems(result.problems);
}

export const knowledgeRouter = router({
  /** A page of articles, most recently changed first, without bodies; `total` counts every match. */
  list: allowed('content.read')
    .input(ListInput)
    .query(async ({ ctx, input }) => {
      const { query, category, ...rest } = input;
      const result = await repository().list(ctx.user.workspaceId, { ...rest, ...(query ? { text: query } : {}), ...(category !== undefined ? { category } : {}) });
      if (!result.ok) throw problems(result.problems);
      return { items: result.items, total: result.total, offset: input.offset, limit: input.limit };
    }),

  get: allowed('content.read')
    .input(z.object({ id: Id }))
    .query(async ({ ctx, input }) => {
      const article = await repository().get(ctx.user.workspaceId, input.id);
      if (!article) throw fieldError('NOT_FOUND', 'id', 'no such article in this workspace');
      return article;
    }),

  /** Categories in use with their article counts (for the filter and the editor's suggestions). */
  categories: allowed('content.read').query(({ ctx }) => repository().categories(ctx.user.workspaceId)),

  /** Every language an article may be written in, with how many the workspace has in each. */
  languages: allowed('content.read').query(async ({ ctx }) => {
    const used = new Map((await repository().languages(ctx.user.workspaceId)).map((l) => [l.language, l.articles]));
    return SUPPORTED_LANGUAGES.map((l) => ({ code: l.code, name: l.name, articles: used.get(l.code) ?? 0 }));
  }),

  create: allowed('content.edit')
    .input(ArticleInput)
    .mutation(async ({ ctx, input }) => written(await repository().create(ctx.user.workspaceId, input))),

  /** Changes the given fields; a published article's changes are live at once. */
  update: allowed('content.edit')
    .input(ArticlePatch)
    .mutation(async ({ ctx, input }) => {
      const { id, updatedAt, ...patch } = input;
      return written(await repository().update(ctx.user.workspaceId, id, patch, updatedAt ? { expectedUpdatedAt: updatedAt } : {}));
    }),

  publish: allowed('content.edit')
    .input(z.object({ id: Id }))
    .mutation(async ({ ctx, input }) => {
      const article = await repository().publish(ctx.user.workspaceId, input.id);
      if (!article) throw fieldError('NOT_FOUND', 'id', 'no such article in this workspace');
      return article;
    }),

  unpublish: allowed('content.edit')
    .input(z.object({ id: Id }))
    .mutation(async ({ ctx, input }) => {
      const article = await repository().unpublish(ctx.user.workspaceId, input.id);
      if (!article) throw fieldError('NOT_FOUND', 'id', 'no such article in this workspace');
      return article;
    }),

  delete: allowed('content.edit')
    .input(z.object({ id: Id }))
    .mutation(async ({ ctx, input }) => {
      if (!(await repository().delete(ctx.user.workspaceId, input.id))) throw fieldError('NOT_FOUND', 'id', 'no such article in this workspace');
      return { ok: true };
    }),

  /**
   * What the answer-from-knowledge node would do with a question: the same search over published articles and the
   * same choice (`selectAnswer`, `answerText`), so the panel and a live conversation agree. Drafts that match are
   * listed apart: the node never uses them, but an editor wants to know that publishing one would answer.
   */
  tryQuestion: allowed('content.read')
    .input(TryInput)
    .query(async ({ ctx, input }) => {
      const kb = repository();
      const [hits, withDrafts] = await Promise.all([
        kb.search(ctx.user.workspaceId, { text: input.question, language: input.language, limit: NODE_HITS }),
        kb.search(ctx.user.workspaceId, { text: input.question, language: input.language, limit: NODE_HITS, publishedOnly: false }),
      ]);
      const answer = selectAnswer(hits, { threshold: input.threshold, language: input.language });
      const hitOf = (hit: (typeof hits)[number]) => ({
        id: hit.article.id,
        title: hit.article.title,
        kind: hit.article.kind,
        language: hit.article.language,
        category: hit.article.category,
        status: hit.article.status,
        score: hit.normalizedScore,
        rank: hit.score,
        reachesThreshold: hit.normalizedScore >= input.threshold,
      });
      return {
        threshold: input.threshold,
        answer: answer
          ? { ...hitOf(answer), text: answerText(answer.article, { question: input.question }) }
          : null,
        hits: hits.map(hitOf),
        drafts: withDrafts.filter((hit) => hit.article.status === 'draft').map(hitOf),
      };
    }),
});
