import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Pool } from './connection.ts';
import { fieldProblems, isUniqueViolation, missedUpdate, type FieldProblem } from './writes.ts';
import { TtlCache } from './ttl-cache.ts';

export const WordListInput = z.strictObject({
  name: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  description: z.string().trim().max(500, 'at most 500 characters').default(''),
  /** One entry per item; blank ones are dropped and repeats kept once (case-insensitively). */
  words: z
    .array(z.string().max(100, 'at most 100 characters'))
    .max(20_000, 'at most 20,000 words')
    .transform((words) => {
      const seen = new Set<string>();
      return words.map((w) => w.trim()).filter((w) => w !== '' && !seen.has(w.toLowerCase()) && seen.add(w.toLowerCase()));
    })
    .refine((words) => words.length > 0, 'add at least one word'),
  /** Also match l33t (1d10t), stretched (idiooot) and spaced-out (i d i o t) spellings. */
  obfuscations: z.boolean().default(true),
});
export type WordListInput = z.input<typeof WordListInput>;

export interface WordList extends z.output<typeof WordListInput> {
  id: string;
  workspaceId: string;
  revision: number;
  updatedAt: Date;
}

export type WordListSummary = Omit<WordList, 'words'> & { wordCount: number };

export type WordListWrite =
  | { ok: true; list: WordList }
  | { ok: false; reason: 'invalid'; problems: FieldProblem[] }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'conflict'; current: WordList };

interface Row {
  id: string;
  workspace_id: string;
  name: string;
  description: string;
  words: string[] | null;
  obfuscations: boolean;
  revision: number;
  updated_at: Date;
}

const COLUMNS = 'id, workspace_id, name, description, words, obfuscations, revision, updated_at';

const listOf = (r: Row): WordList => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  description: r.description,
  words: r.words ?? [],
  obfuscations: r.obfuscations,
  revision: r.revision,
  updatedAt: r.updated_at,
});


const NAME_TAKEN: WordListWrite = { ok: false, reason: 'invalid', problems: [{ field: 'name', message: 'another word list has this name' }] };

/** A workspace's sensitive-word lists (table `word_list`). */
export class WordListRepository {
  constructor(private readonly pool: Pool) {}

  async list(workspaceId: string): Promise<WordListSummary[]> {
    const { rows } = await this.pool.query<Row & { word_count: number }>(
      `SELECT id, workspace_id, name, description, ARRAY[]::text[] AS words, obfuscations, revision, updated_at, cardinality(words) AS word_count
       FROM word_list WHERE workspace_id = $1 ORDER BY name`,
      [workspaceId],
    );
    return rows.map(({ word_count, ...row }) => {
      const { words: _omitted, ...summary } = listOf(row);
      return { ...summary, wordCount: word_count };
    });
  }

  async get(workspaceId: string, id: string): Promise<WordList | null> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM word_list WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
    return rows[0] ? listOf(rows[0]) : null;
  }

  async create(workspaceId: string, input: unknown): Promise<WordListWrite> {
    const parsed = WordListInput.safeParse(input, { reportInput: true });
    if (!parsed.success) return { ok: false, reason: 'invalid', problems: fieldProblems(parsed.error, 'a word list') };
    const l = parsed.data;
    try {
      const { rows } = await this.pool.query<Row>(
        `INSERT INTO word_list (id, workspace_id, name, description, words, obfuscations) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [randomUUID(), workspaceId, l.name, l.description, l.words, l.obfuscations],
      );
      return { ok: true, list: listOf(rows[0]!) };
    } catch (error) {
      if (isUniqueViolation(error)) return NAME_TAKEN;
      throw error;
    }
  }

  /** Replaces the list; `revision` is the one the editor started from (a newer save is a conflict). */
  async update(workspaceId: string, id: string, input: unknown, revision?: number): Promise<WordListWrite> {
    const parsed = WordListInput.safeParse(input, { reportInput: true });
    if (!parsed.success) return { ok: false, reason: 'invalid', problems: fieldProblems(parsed.error, 'a word list') };
    const l = parsed.data;
    try {
      const { rows } = await this.pool.query<Row>(
        `UPDATE word_list SET name = $3, description = $4, words = $5, obfuscations = $6, revision = revision + 1, updated_at = now()
         WHERE workspace_id = $1 AND id = $2 AND ($7::int IS NULL OR revision = $7) RETURNING ${COLUMNS}`,
        [workspaceId, id, l.name, l.description, l.words, l.obfuscations, revision ?? null],
      );
      if (rows[0]) return { ok: true, list: listOf(rows[0]) };
    } catch (error) {
      if (isUniqueViolation(error)) return NAME_TAKEN;
      throw error;
    }
    return missedUpdate(this.get(workspaceId, id));
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM word_list WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
    return (rowCount ?? 0) > 0;
  }
}

/** Every workspace's lists for the runner, each read at most once per `ttlMs` (see TtlCache). */
export class WorkspaceWordLists {
  private readonly cache: TtlCache<WordList | null>;

  constructor(
    private readonly repository: WordListRepository,
    ttlMs = 5_000,
    clock: () => number = Date.now,
  ) {
    this.cache = new TtlCache(ttlMs, clock);
  }

  /** The lists of `workspaceId` among `ids`; ids of lists that are gone (or another workspace's) are left out. */
  async load(workspaceId: string, ids: readonly string[]): Promise<WordList[]> {
    const found = await Promise.all(ids.map((id) => this.cache.get(`${workspaceId}\n${id}`, () => this.repository.get(workspaceId, id))));
    return found.filter((list): list is WordList => list !== null);
  }
}
