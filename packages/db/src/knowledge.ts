import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { run, transaction, type Pool, type PoolClient } from './connection.ts';
import { fieldProblems, type FieldProblem } from './writes.ts';

// ---------------------------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------------------------

export const KNOWLEDGE_KINDS = ['article', 'faq'] as const;
export const KNOWLEDGE_STATUSES = ['draft', 'published'] as const;

const language = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2}$/, 'expected an ISO 639-1 language code such as "en"');

const fields = {
  /** For a FAQ the title is the question and the body the answer. */
  kind: z.enum(KNOWLEDGE_KINDS),
  title: z.string().trim().min(1, 'required').max(300),
  /** Markdown. */
  body: z.string().trim().min(1, 'required').max(50_000),
  language,
  category: z.string().trim().max(100),
  /** Other words customers use for the subject ("money back" for a refunds article): searched like the title. */
  tags: z
    .array(z.string().trim().min(1, 'a tag cannot be empty').max(60))
    .max(30)
    .transform((tags) => [...new Set(tags)]),
  status: z.enum(KNOWLEDGE_STATUSES),
};

export const knowledgeArticleInputSchema = z.strictObject({
  ...fields,
  kind: fields.kind.default('article'),
  category: fields.category.default(''),
  tags: fields.tags.default([]),
  status: fields.status.default('draft'),
});

export const knowledgeArticlePatchSchema = z.strictObject(fields).partial();

export const knowledgeListFilterSchema = z.strictObject({
  status: z.enum(KNOWLEDGE_STATUSES).optional(),
  kind: z.enum(KNOWLEDGE_KINDS).optional(),
  language: language.optional(),
  category: z.string().trim().optional(),
  /** Part of the title, any case. */
  title: z.string().trim().max(300).optional(),
  /** Part of the title, a tag or the body, any case: what an editor types into the list's search box. */
  text: z.string().trim().max(300).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});

export type KnowledgeArticleInput = z.input<typeof knowledgeArticleInputSchema>;
export type KnowledgeArticleFields = z.output<typeof knowledgeArticleInputSchema>;
export type KnowledgeArticlePatch = z.input<typeof knowledgeArticlePatchSchema>;
export type KnowledgeListFilter = z.input<typeof knowledgeListFilterSchema>;
export type KnowledgeKind = KnowledgeArticleFields['kind'];
export type KnowledgeStatus = KnowledgeArticleFields['status'];

export interface KnowledgeArticle extends KnowledgeArticleFields {
  id: string;
  workspaceId: string;
  createdAt: Date;
  updatedAt: Date;
  /** When it was last published; null while it never was. */
  publishedAt: Date | null;
}

export type KnowledgeArticleSummary = Omit<KnowledgeArticle, 'body'>;

/** The input field at fault, dotted (`tags.2`). */
export type KnowledgeProblem = FieldProblem;

export type KnowledgeWrite =
  | { ok: true; article: KnowledgeArticle }
  | { ok: false; reason: 'invalid'; problems: KnowledgeProblem[] }
  | { ok: false; reason: 'not_found' }
  /** Saved by someone else since the editor read it (`expectedUpdatedAt`): nothing was written. */
  | { ok: false; reason: 'conflict'; current: KnowledgeArticle };

const problemsOf = (error: z.ZodError): KnowledgeProblem[] => fieldProblems(error, 'an article');

// ---------------------------------------------------------------------------------------------------------------
// Text: packages/ai's knowledge functions, handed in (db imports no ai)
// ---------------------------------------------------------------------------------------------------------------

export type KnowledgeQueryMode = 'any' | 'plain' | 'websearch';

/** What `knowledgeText` of `@signalbox/ai` provides; the shapes match. */
export interface KnowledgeText {
  /** The Postgres text-search configuration for an ISO 639-1 code (`simple` when there is none). */
  ftsConfigFor(language: string): string;
  /** Markdown as indexable plain text, unspaced scripts split into bigrams. */
  searchableText(markdown: string): string;
  foldLatinAccents(text: string): string;
  /** The question as the text for the mode's tsquery function; empty when it has nothing to search for. */
  knowledgeQuery(question: string, mode?: KnowledgeQueryMode): string;
}

/** The search columns of an article, derived from its text. */
function searchColumns(text: KnowledgeText, article: Pick<KnowledgeArticleFields, 'title' | 'body' | 'tags' | 'language'>) {
  const heading = text.searchableText([article.title, ...article.tags].join('\n'));
  const body = text.searchableText(article.body);
  const all = `${heading}\n${body}`;
  const folded = text.foldLatinAccents(all);
  return {
    config: text.ftsConfigFor(article.language),
    searchText: `${text.searchableText(article.title)}\n\n${body}`,
    heading,
    body,
    // Empty when folding changes nothing. Otherwise the lexemes it shares with the original merge into theirs, so
    // only the words it changed grow the vector.
    folded: folded === all ? '' : folded,
  };
}

// Title and tags weigh A, the body B (ts_rank_cd's defaults: 1.0 and 0.4). The accent-folded words carry no
// positions: they let `devolucion` find `devolución` (@@ matches them; having no weight, they match `:A` too, so the
// normalised score counts them as title words) and add nothing to ts_rank_cd.
const SEARCH_VECTOR = (config: string, heading: string, body: string, folded: string) =>
  `setweight(to_tsvector(${config}::text::regconfig, ${heading}), 'A') || setweight(to_tsvector(${config}::text::regconfig, ${body}), 'B') || strip(to_tsvector(${config}::text::regconfig, ${folded}))`;

// ---------------------------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------------------------

interface ArticleRow {
  id: string;
  workspace_id: string;
  kind: KnowledgeKind;
  title: string;
  body: string;
  language: string;
  category: string;
  tags: string[] | null;
  status: KnowledgeStatus;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
}

/**
 * `updated_at` is the editor's token against overwriting someone else's save, kept to the millisecond: a write
 * always moves it forward, also for two writes in one millisecond or a clock that stepped back, so the older
 * token never matches again.
 */
const NEXT_UPDATED_AT = "greatest(now(), updated_at + interval '1 millisecond')";
const ARTICLE_COLUMNS = 'id, workspace_id, kind, title, body, language, category, tags, status, created_at, updated_at, published_at';
const SUMMARY_COLUMNS = 'id, workspace_id, kind, title, language, category, tags, status, created_at, updated_at, published_at';

function summaryOf(row: Omit<ArticleRow, 'body'>): KnowledgeArticleSummary {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    kind: row.kind,
    title: row.title,
    language: row.language,
    category: row.category,
    tags: row.tags ?? [],
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
  };
}

function articleOf(row: ArticleRow): KnowledgeArticle {
  return { ...summaryOf(row), body: row.body };
}

// ---------------------------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------------------------

export interface KnowledgeSearch {
  /** The customer's question. */
  text: string;
  /** The customer's language (ISO 639-1): its articles come first among equals; others still answer. */
  language?: string | null;
  /** Default 5. */
  limit?: number;
  /** Default true: drafts are found only when this is false (the editor's preview). */
  publishedOnly?: boolean;
  /** Default `any` (see packages/ai/src/knowledge/query.ts). */
  mode?: KnowledgeQueryMode;
}

export interface KnowledgeSearchHit {
  article: KnowledgeArticle;
  /** `ts_rank_cd` over the article's own configuration (or, by embedding, the cosine similarity). */
  score: number;
  /** 0..1, comparable across questions and languages: see `KnowledgeHit` in packages/ai. */
  normalizedScore: number;
}

/**
 * An article in another language than the customer's ranks as if it matched this much less: the Spanish
 * version of a FAQ beats its English twin, but a clearly better English article still beats a weak Spanish one.
 */
export const OTHER_LANGUAGE_FACTOR = 0.8;

/**
 * A question term found only in an article's body counts this much of its weight (in the title or tags: all of
 * it). Measured with packages/ai/eval/knowledge.ts: ABCD's FAQ questions find their article first 80% of the time
 * at 1, 82% at 0.75 and 75% at 0.5; its longer problem statements 78%, 80% and 84%.
 */
export const BODY_MATCH_FACTOR = 0.75;

/**
 * One statement. The question becomes one tsquery per text-search configuration the workspace's articles use
 * (`to_tsquery('spanish', …)` stems as the Spanish articles were stemmed). Each hit's normalised score is the share
 * of the question's terms it contains, each term weighted by its inverse document frequency among the articles
 * searched (BM25's idf, counted by the same statement: a word in every article weighs little, a word in none the
 * most, so "how does a democracy work" scores low although "work" is in a title), and by BODY_MATCH_FACTOR when
 * only the body has it. Hits order by that share, scaled down by OTHER_LANGUAGE_FACTOR outside the customer's
 * language, then by ts_rank_cd. Measured against ordering by ts_rank_cd alone, this finds more FAQ questions'
 * articles first (see packages/ai/eval/knowledge.ts).
 *
 * The terms are materialised CTEs: inlined, Postgres would recount each term's frequency for every hit.
 */
const SEARCH_SQL = `
  WITH scope AS MATERIALIZED (
    SELECT id, language, search_config, search_vector
    FROM knowledge_article
    WHERE workspace_id = $1 AND (status = 'published' OR NOT $4::boolean)
  ),
  configs AS MATERIALIZED (
    SELECT search_config, count(*) AS articles,
           CASE $3::text
             WHEN 'plain' THEN plainto_tsquery(search_config::regconfig, $2::text)
             WHEN 'websearch' THEN websearch_to_tsquery(search_config::regconfig, $2::text)
             ELSE to_tsquery(search_config::regconfig, $2::text)
           END AS query,
           tsvector_to_array(to_tsvector(search_config::regconfig, $7::text)) AS terms
    FROM scope
    GROUP BY search_config
  ),
  terms AS MATERIALIZED (
    SELECT c.search_config, q.lexeme, q.lexeme_a, c.articles,
           (SELECT count(*) FROM scope s WHERE s.search_config = c.search_config AND s.search_vector @@ q.lexeme) AS df
    FROM configs c
    CROSS JOIN LATERAL unnest(c.terms) AS u(term)
    CROSS JOIN LATERAL (SELECT '''' || replace(replace(u.term, '\\', '\\\\'), '''', '''''') || '''' AS quoted) l
    CROSS JOIN LATERAL (SELECT l.quoted::tsquery AS lexeme, (l.quoted || ':A')::tsquery AS lexeme_a) q
  ),
  weights AS MATERIALIZED (
    SELECT search_config, lexeme, lexeme_a,
           ln(1 + (articles - df + 0.5) / (df + 0.5))::float8 AS weight
    FROM terms
  ),
  hits AS MATERIALIZED (
    SELECT s.id, s.language, s.search_config, s.search_vector, ts_rank_cd(s.search_vector, c.query)::float8 AS score
    FROM scope s JOIN configs c ON c.search_config = s.search_config AND s.search_vector @@ c.query
  ),
  covered AS (
    SELECT h.id,
           coalesce(sum(CASE WHEN h.search_vector @@ w.lexeme_a THEN w.weight WHEN h.search_vector @@ w.lexeme THEN w.weight * $8::float8 ELSE 0 END)
                    / nullif(sum(w.weight), 0), 0)::float8 AS normalized
    FROM hits h JOIN weights w ON w.search_config = h.search_config
    GROUP BY h.id
  )
  SELECT ${ARTICLE_COLUMNS.split(', ').map((c) => `a.${c}`).join(', ')}, h.score, coalesce(v.normalized, 0)::float8 AS normalized
  FROM hits h JOIN knowledge_article a ON a.id = h.id LEFT JOIN covered v ON v.id = h.id
  ORDER BY coalesce(v.normalized, 0) * (CASE WHEN $5::text IS NULL OR h.language = $5::text THEN 1 ELSE $9::float8 END) DESC, h.score DESC, a.title, a.id
  LIMIT $6`;

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa === 0 || bb === 0 ? 0 : dot / Math.sqrt(aa * bb);
}

const embeddingSchema = z.strictObject({
  model: z.string().trim().min(1, 'required').max(200),
  vector: z.array(z.number().finite()).min(1, 'an embedding has at least one dimension').max(16_000),
});

export type KnowledgeEmbeddingInput = z.input<typeof embeddingSchema>;

// ---------------------------------------------------------------------------------------------------------------
// The repository
// ---------------------------------------------------------------------------------------------------------------

/** `pt-BR` -> `pt`: articles are stored under ISO 639-1 codes. Null for none. */
function primaryLanguage(language: string | null | undefined): string | null {
  return language?.trim().toLowerCase().split(/[-_]/)[0] || null;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A workspace's knowledge base in `knowledge_article` (and `knowledge_embedding`). Every method takes the
 * workspace and touches nothing outside it. Writes derive the search columns from the text in the same statement;
 * a search is one statement.
 */
export class KnowledgeRepository {
  constructor(
    private readonly pool: Pool,
    private readonly text: KnowledgeText,
  ) {}

  /** One round trip. */
  async create(workspaceId: string, input: unknown, options: { id?: string } = {}): Promise<KnowledgeWrite> {
    const parsed = knowledgeArticleInputSchema.safeParse(input, { reportInput: true });
    if (!parsed.success) return { ok: false, reason: 'invalid', problems: problemsOf(parsed.error) };
    const a = parsed.data;
    const s = searchColumns(this.text, a);
    const { rows } = await this.pool.query<ArticleRow>(
      `INSERT INTO knowledge_article (id, workspace_id, kind, title, body, language, category, tags, status, search_config, search_text, search_vector, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text, $11, ${SEARCH_VECTOR('$10', '$12', '$13', '$14')}, CASE WHEN $9 = 'published' THEN now() END)
       RETURNING ${ARTICLE_COLUMNS}`,
      [options.id ?? randomUUID(), workspaceId, a.kind, a.title, a.body, a.language, a.category, a.tags, a.status, s.config, s.searchText, s.heading, s.body, s.folded],
    );
    const row = rows[0];
    if (!row) throw new Error('INSERT … RETURNING returned no row');
    return { ok: true, article: articleOf(row) };
  }

  /**
   * Changes the given fields; the search columns follow the text, and a change of text drops the article's
   * embeddings (they describe the old text). One transaction: read, check the merged article, write.
   */
  async update(workspaceId: string, id: string, patch: unknown, options: { expectedUpdatedAt?: Date } = {}): Promise<KnowledgeWrite> {
    const parsed = knowledgeArticlePatchSchema.safeParse(patch, { reportInput: true });
    if (!parsed.success) return { ok: false, reason: 'invalid', problems: problemsOf(parsed.error) };
    return transaction(this.pool, async (client) => {
      const current = await this.locked(client, workspaceId, id);
      if (!current) return { ok: false, reason: 'not_found' };
      if (options.expectedUpdatedAt && current.updatedAt.getTime() !== options.expectedUpdatedAt.getTime()) return { ok: false, reason: 'conflict', current };
      const p = parsed.data;
      const next: KnowledgeArticleFields = {
        kind: p.kind ?? current.kind,
        title: p.title ?? current.title,
        body: p.body ?? current.body,
        language: p.language ?? current.language,
        category: p.category ?? current.category,
        tags: p.tags ?? current.tags,
        status: p.status ?? current.status,
      };
      const textChanged =
        next.title !== current.title || next.body !== current.body || next.language !== current.language || next.tags.join('\n') !== current.tags.join('\n');
      const s = searchColumns(this.text, next);
      const { rows } = await client.query<ArticleRow>(
        `UPDATE knowledge_article SET kind = $3, title = $4, body = $5, language = $6, category = $7, tags = $8,
           published_at = CASE WHEN $9 = 'published' AND status <> 'published' THEN now() ELSE published_at END, status = $9,
           search_config = $10::text, search_text = $11, search_vector = ${SEARCH_VECTOR('$10', '$12', '$13', '$14')}, updated_at = ${NEXT_UPDATED_AT}
         WHERE workspace_id = $1 AND id = $2
         RETURNING ${ARTICLE_COLUMNS}`,
        [workspaceId, id, next.kind, next.title, next.body, next.language, next.category, next.tags, next.status, s.config, s.searchText, s.heading, s.body, s.folded],
      );
      if (textChanged) await client.query('DELETE FROM knowledge_embedding WHERE article_id = $1', [id]);
      const row = rows[0];
      return row ? { ok: true, article: articleOf(row) } : { ok: false, reason: 'not_found' };
    });
  }

  private async locked(client: PoolClient, workspaceId: string, id: string): Promise<KnowledgeArticle | null> {
    const { rows } = await client.query<ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM knowledge_article WHERE workspace_id = $1 AND id = $2 FOR UPDATE`, [workspaceId, id]);
    return rows[0] ? articleOf(rows[0]) : null;
  }

  async get(workspaceId: string, id: string): Promise<KnowledgeArticle | null> {
    const { rows } = await this.pool.query<ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM knowledge_article WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
    return rows[0] ? articleOf(rows[0]) : null;
  }

  /** A page of articles, most recently changed first, without their bodies; and how many match. Two queries at once. */
  async list(
    workspaceId: string,
    filter: KnowledgeListFilter = {},
  ): Promise<{ ok: true; items: KnowledgeArticleSummary[]; total: number } | { ok: false; reason: 'invalid'; problems: KnowledgeProblem[] }> {
    const parsed = knowledgeListFilterSchema.safeParse(filter, { reportInput: true });
    if (!parsed.success) return { ok: false, reason: 'invalid', problems: problemsOf(parsed.error) };
    const f = parsed.data;
    const where = `workspace_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR kind = $3) AND ($4::text IS NULL OR language = $4)
      AND ($5::text IS NULL OR category = $5) AND ($6::text IS NULL OR title ILIKE '%' || $6 || '%')
      AND ($7::text IS NULL OR title ILIKE '%' || $7 || '%' OR body ILIKE '%' || $7 || '%' OR array_to_string(tags, ' ') ILIKE '%' || $7 || '%')`;
    const values = [workspaceId, f.status ?? null, f.kind ?? null, f.language ?? null, f.category ?? null, f.title ? escapeLike(f.title) : null, f.text ? escapeLike(f.text) : null];
    const [page, count] = await Promise.all([
      this.pool.query<Omit<ArticleRow, 'body'>>(`SELECT ${SUMMARY_COLUMNS} FROM knowledge_article WHERE ${where} ORDER BY updated_at DESC, id LIMIT $8 OFFSET $9`, [
        ...values,
        f.limit,
        f.offset,
      ]),
      this.pool.query<{ total: string }>(`SELECT count(*) AS total FROM knowledge_article WHERE ${where}`, values),
    ]);
    return { ok: true, items: page.rows.map(summaryOf), total: Number(count.rows[0]?.total ?? 0) };
  }

  /** The workspace's categories with how many articles each has (the empty category included), by name. */
  async categories(workspaceId: string): Promise<{ category: string; articles: number }[]> {
    const { rows } = await this.pool.query<{ category: string; articles: string }>(
      'SELECT category, count(*) AS articles FROM knowledge_article WHERE workspace_id = $1 GROUP BY category ORDER BY category',
      [workspaceId],
    );
    return rows.map((r) => ({ category: r.category, articles: Number(r.articles) }));
  }

  /** The languages the workspace's articles are written in, with how many each, by code. */
  async languages(workspaceId: string): Promise<{ language: string; articles: number }[]> {
    const { rows } = await this.pool.query<{ language: string; articles: string }>(
      'SELECT language, count(*) AS articles FROM knowledge_article WHERE workspace_id = $1 GROUP BY language ORDER BY language',
      [workspaceId],
    );
    return rows.map((r) => ({ language: r.language, articles: Number(r.articles) }));
  }

  /** Null when the workspace has no such article. */
  async publish(workspaceId: string, id: string): Promise<KnowledgeArticle | null> {
    return this.setStatus(workspaceId, id, 'published');
  }

  async unpublish(workspaceId: string, id: string): Promise<KnowledgeArticle | null> {
    return this.setStatus(workspaceId, id, 'draft');
  }

  private async setStatus(workspaceId: string, id: string, status: KnowledgeStatus): Promise<KnowledgeArticle | null> {
    const { rows } = await this.pool.query<ArticleRow>(
      `UPDATE knowledge_article
       SET published_at = CASE WHEN $3 = 'published' AND status <> 'published' THEN now() ELSE published_at END, status = $3, updated_at = ${NEXT_UPDATED_AT}
       WHERE workspace_id = $1 AND id = $2
       RETURNING ${ARTICLE_COLUMNS}`,
      [workspaceId, id, status],
    );
    return rows[0] ? articleOf(rows[0]) : null;
  }

  /** False when the workspace has no such article. Its embeddings go with it. */
  async delete(workspaceId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM knowledge_article WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
    return (rowCount ?? 0) > 0;
  }

  /**
   * The articles that best answer a question, best first (see SEARCH_SQL): one round trip. An empty list when the
   * question has no searchable word or nothing matches.
   */
  async search(workspaceId: string, options: KnowledgeSearch): Promise<KnowledgeSearchHit[]> {
    const mode = options.mode ?? 'any';
    const query = this.text.knowledgeQuery(options.text, mode);
    const terms = mode === 'any' ? query : this.text.knowledgeQuery(options.text, 'any');
    if (query === '' || terms === '') return [];
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? 5), 1), 100);
    // A prepared statement where the pool allows it: planning this statement costs about as much as running it.
    const { rows } = await run<ArticleRow & { score: number; normalized: number }>(this.pool, 'knowledge_search', SEARCH_SQL, [
      workspaceId,
      query,
      mode,
      options.publishedOnly ?? true,
      primaryLanguage(options.language),
      limit,
      terms,
      BODY_MATCH_FACTOR,
      OTHER_LANGUAGE_FACTOR,
    ]);
    return rows.map((row) => ({ article: articleOf(row), score: row.score, normalizedScore: row.normalized }));
  }

  /**
   * Rewrites every article's search columns from its text: after `ftsConfigFor` or the text functions change.
   * One read and one write per article, in one transaction.
   */
  async reindex(workspaceId: string): Promise<number> {
    return transaction(this.pool, async (client) => {
      const { rows } = await client.query<ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM knowledge_article WHERE workspace_id = $1 FOR UPDATE`, [workspaceId]);
      for (const row of rows) {
        const s = searchColumns(this.text, articleOf(row));
        await client.query(
          `UPDATE knowledge_article SET search_config = $2::text, search_text = $3, search_vector = ${SEARCH_VECTOR('$2', '$4', '$5', '$6')} WHERE id = $1`,
          [row.id, s.config, s.searchText, s.heading, s.body, s.folded],
        );
      }
      return rows.length;
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Embeddings (optional: a provider outside this package makes them)
  // -------------------------------------------------------------------------------------------------------------

  /** Stores (or replaces) an article's embedding from one model. False when the workspace has no such article. */
  async putEmbedding(workspaceId: string, articleId: string, input: KnowledgeEmbeddingInput): Promise<{ ok: true; stored: boolean } | { ok: false; reason: 'invalid'; problems: KnowledgeProblem[] }> {
    const parsed = embeddingSchema.safeParse(input, { reportInput: true });
    if (!parsed.success) return { ok: false, reason: 'invalid', problems: problemsOf(parsed.error) };
    const { rowCount } = await this.pool.query(
      `INSERT INTO knowledge_embedding (article_id, model, dims, vector)
       SELECT id, $3, $4, $5::real[] FROM knowledge_article WHERE workspace_id = $1 AND id = $2
       ON CONFLICT (article_id, model) DO UPDATE SET dims = EXCLUDED.dims, vector = EXCLUDED.vector, created_at = now()`,
      [workspaceId, articleId, parsed.data.model, parsed.data.vector.length, parsed.data.vector],
    );
    return { ok: true, stored: (rowCount ?? 0) > 0 };
  }

  /** Workspaces with published articles that have no embedding from `model` yet: where an embedder has work. */
  async workspacesMissingEmbeddings(model: string, limit = 100): Promise<string[]> {
    const { rows } = await this.pool.query<{ workspace_id: string }>(
      `SELECT DISTINCT a.workspace_id FROM knowledge_article a
       WHERE a.status = 'published' AND NOT EXISTS (SELECT 1 FROM knowledge_embedding e WHERE e.article_id = a.id AND e.model = $1)
       LIMIT $2`,
      [model, limit],
    );
    return rows.map((r) => r.workspace_id);
  }

  /** Articles with no embedding from `model` yet (new, or changed since), oldest change first: an embedder's work list. */
  async articlesWithoutEmbedding(workspaceId: string, model: string, limit = 100): Promise<KnowledgeArticle[]> {
    const { rows } = await this.pool.query<ArticleRow>(
      `SELECT ${ARTICLE_COLUMNS} FROM knowledge_article a
       WHERE a.workspace_id = $1 AND NOT EXISTS (SELECT 1 FROM knowledge_embedding e WHERE e.article_id = a.id AND e.model = $2)
       ORDER BY a.updated_at, a.id LIMIT $3`,
      [workspaceId, model, limit],
    );
    return rows.map(articleOf);
  }

  /**
   * The articles whose embedding from `model` is most like `vector` (cosine similarity). Without pgvector the
   * similarity is computed here, over every embedded article of the workspace: one query for all vectors (4 bytes
   * per dimension per article on the wire) and one for the winners' articles. Fine for a shop's few hundred
   * articles; a large knowledge base wants pgvector's index instead. A hit's `score` and `normalizedScore` are the
   * cosine similarity (the latter floored at 0): its scale depends on the model, so is its answer threshold.
   */
  async searchByEmbedding(
    workspaceId: string,
    options: { vector: readonly number[]; model: string; limit?: number; language?: string | null; publishedOnly?: boolean },
  ): Promise<KnowledgeSearchHit[]> {
    const { rows } = await this.pool.query<{ article_id: string; language: string; vector: number[] | null }>(
      `SELECT e.article_id, a.language, e.vector FROM knowledge_embedding e JOIN knowledge_article a ON a.id = e.article_id
       WHERE a.workspace_id = $1 AND e.model = $2 AND e.dims = $3 AND (a.status = 'published' OR NOT $4::boolean)`,
      [workspaceId, options.model, options.vector.length, options.publishedOnly ?? true],
    );
    const language = primaryLanguage(options.language);
    const ranked = rows
      .map((row) => {
        const similarity = cosine(options.vector, row.vector ?? []);
        return { id: row.article_id, similarity, rank: similarity * (language === null || row.language === language ? 1 : OTHER_LANGUAGE_FACTOR) };
      })
      .sort((a, b) => b.rank - a.rank || (a.id < b.id ? -1 : 1))
      .slice(0, Math.min(Math.max(Math.trunc(options.limit ?? 5), 1), 100));
    if (ranked.length === 0) return [];
    const articles = await this.pool.query<ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM knowledge_article WHERE id = ANY($1::text[])`, [ranked.map((r) => r.id)]);
    const byId = new Map(articles.rows.map((row) => [row.id, articleOf(row)]));
    return ranked.flatMap((r) => {
      const article = byId.get(r.id);
      return article ? [{ article, score: r.similarity, normalizedScore: Math.max(0, r.similarity) }] : [];
    });
  }
}
