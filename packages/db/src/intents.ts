import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { loadFlowDocument, renameIntentRoutes } from '@signalbox/nodes';
import { transaction, type Pool, type PoolClient } from './connection.ts';
import { fieldProblems, isUniqueViolation, type FieldProblem } from './writes.ts';

// ---------------------------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------------------------

/** An intent's name is the classify-intent node's output port id. */
export const intentNameSchema = z
  .string()
  .trim()
  .min(1, 'required')
  .max(64, 'at most 64 characters')
  .regex(/^[a-z0-9_]+$/, 'use lowercase letters, digits and _ only (it becomes the node’s output name)');

const phraseLanguageSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2}$/, 'expected an ISO 639-1 language code such as "es"');

export const intentInputSchema = z.strictObject({
  name: intentNameSchema,
  title: z.string().trim().max(200).default(''),
  description: z.string().trim().max(2000).default(''),
});

export const intentPatchSchema = z.strictObject({
  name: intentNameSchema,
  title: z.string().trim().max(200),
  description: z.string().trim().max(2000),
}).partial();

export const intentPhraseInputSchema = z.strictObject({
  text: z.string().trim().min(1, 'a training phrase cannot be empty').max(1000, 'at most 1000 characters'),
  /** ISO 639-1; null when not known. */
  language: phraseLanguageSchema.nullable().default(null),
});

export type IntentInput = z.input<typeof intentInputSchema>;
export type IntentPatch = z.input<typeof intentPatchSchema>;
export type IntentPhraseInput = z.input<typeof intentPhraseInputSchema>;

/** The input field at fault, dotted (`phrases.2.text`). */
export type IntentProblem = FieldProblem;

const problemsOf = (error: z.ZodError, prefix: (string | number)[] = []): IntentProblem[] => fieldProblems(error, 'an intent', prefix);

// ---------------------------------------------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------------------------------------------

export interface IntentPhrase {
  id: string;
  text: string;
  language: string | null;
}

export interface IntentSummary {
  id: string;
  name: string;
  title: string;
  description: string;
  phraseCount: number;
  /** The languages of its phrases, by code (phrases of unknown language not counted). */
  languages: string[];
  updatedAt: Date;
}

export interface IntentDetail extends IntentSummary {
  /** Oldest first. */
  phrases: IntentPhrase[];
}

export const INTENT_MODEL_STATUSES = ['training', 'ready', 'failed'] as const;
export type IntentModelStatus = (typeof INTENT_MODEL_STATUSES)[number];

export interface IntentModelState {
  /** Counts the changes to the workspace's intents and phrases. */
  revision: number;
  status: IntentModelStatus;
  /** The revision the stored model was trained from; null before the first training. */
  trainedRevision: number | null;
  trainedAt: Date | null;
  /** What the stored model was trained from. */
  intentCount: number;
  phraseCount: number;
  /** Why the last training failed (status `failed`). */
  error: string | null;
}

/** The phrases of one intent, as a training run reads them. */
export interface TrainingIntent {
  name: string;
  phrases: string[];
}

/** An intent the workspace starts with (the shipped defaults, handed in: db imports no ai). */
export interface SeedIntent {
  name: string;
  title: string;
  description?: string;
  phrases: readonly { text: string; language: string | null }[];
}

/** One labelled phrase of a CSV import or export. */
export interface IntentRow {
  intent: string;
  text: string;
  language: string | null;
}

export type ImportMode = 'merge' | 'replace';

export interface ImportPlan {
  /** Per intent of the file, in order of first appearance. */
  intents: { name: string; isNew: boolean; added: number; removed: number; kept: number }[];
  /** `replace` only: the workspace's intents the file does not name, deleted with their phrases. */
  deleted: string[];
}

/** A flow whose classify-intent nodes route on an intent: in its draft, in its latest published version, or both. */
export interface IntentUse {
  id: string;
  name: string;
  draft: boolean;
  published: boolean;
}

/** What a rename did to the workspace's flows. */
export interface IntentRenameEffect {
  /** Drafts that routed on the old name and now route on the new one. */
  draftsUpdated: { id: string; name: string }[];
  /** Flows whose latest published version still routes on the old name: they must be published again. */
  publishedOnOldName: { id: string; name: string }[];
}

export type IntentWrite =
  | { ok: true; intent: IntentDetail; renamed?: IntentRenameEffect }
  | { ok: false; reason: 'invalid'; problems: IntentProblem[] }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'name_taken'; problems: IntentProblem[] };

export type PhraseWrite =
  | { ok: true; intent: IntentDetail; added: number; duplicates: number }
  | { ok: false; reason: 'invalid'; problems: IntentProblem[] }
  | { ok: false; reason: 'not_found' };

// ---------------------------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------------------------

interface IntentRowDb {
  id: string;
  name: string;
  title: string;
  description: string;
  updated_at: Date;
  phrase_count: string;
  languages: string[] | null;
}

interface ModelRow {
  revision: number;
  status: IntentModelStatus;
  trained_revision: number | null;
  trained_at: Date | null;
  intent_count: number;
  phrase_count: number;
  error: string | null;
}

const SUMMARY_SQL = `
  SELECT i.id, i.name, i.title, i.description, i.updated_at, count(p.id) AS phrase_count,
         array_remove(array_agg(DISTINCT p.language ORDER BY p.language), NULL) AS languages
  FROM intent i LEFT JOIN intent_phrase p ON p.intent_id = i.id
  WHERE i.workspace_id = $1`;

function summaryOf(row: IntentRowDb): IntentSummary {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    description: row.description,
    phraseCount: Number(row.phrase_count),
    languages: row.languages ?? [],
    updatedAt: row.updated_at,
  };
}

function stateOf(row: ModelRow): IntentModelState {
  return {
    revision: row.revision,
    status: row.status,
    trainedRevision: row.trained_revision,
    trainedAt: row.trained_at,
    intentCount: row.intent_count,
    phraseCount: row.phrase_count,
    error: row.error,
  };
}

type Queryable = Pool | PoolClient;

// ---------------------------------------------------------------------------------------------------------------
// The repository
// ---------------------------------------------------------------------------------------------------------------

/**
 * A workspace's intents (`intent`, `intent_phrase`) and its trained model (`intent_model`). Every method takes the
 * workspace and touches nothing outside it. Every change to intents or phrases bumps the workspace's revision in
 * the same transaction and marks the model `training`; a training run stores its model only for the revision it
 * read, so a later change supersedes a run in progress.
 */
export class IntentRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Gives a workspace seen for the first time the `defaults`; true when it seeded them now. A workspace is seeded
   * once: its `intent_model` row is the mark, so one whose intents were all deleted stays empty. One transaction.
   */
  async ensureSeeded(workspaceId: string, defaults: readonly SeedIntent[]): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      const { rowCount } = await client.query(`INSERT INTO intent_model (workspace_id) VALUES ($1) ON CONFLICT (workspace_id) DO NOTHING`, [workspaceId]);
      if ((rowCount ?? 0) === 0) return false;
      await insertSeeds(client, workspaceId, defaults);
      return true;
    });
  }

  /**
   * Adds the default intents whose names the workspace does not use (one a newer release brought, or one it
   * deleted), with their phrases; an intent of that name the workspace has, however changed, stays as it is.
   * Returns the names added.
   */
  async addMissing(workspaceId: string, defaults: readonly SeedIntent[]): Promise<string[]> {
    return transaction(this.pool, async (client) => {
      const added = await insertSeeds(client, workspaceId, defaults);
      if (added.length > 0) await bumpRevision(client, workspaceId);
      return added;
    });
  }

  /** The workspace's intents by name, with phrase counts and languages. One query. */
  async list(workspaceId: string): Promise<IntentSummary[]> {
    const { rows } = await this.pool.query<IntentRowDb>(`${SUMMARY_SQL} GROUP BY i.id ORDER BY i.name`, [workspaceId]);
    return rows.map(summaryOf);
  }

  async get(workspaceId: string, id: string): Promise<IntentDetail | null> {
    return detail(this.pool, workspaceId, id);
  }

  /** One round trip per statement, in one transaction. */
  async create(workspaceId: string, input: unknown, phrases: readonly IntentPhraseInput[] = []): Promise<IntentWrite> {
    const parsed = intentInputSchema.safeParse(input, { reportInput: true });
    if (!parsed.success) return { ok: false, reason: 'invalid', problems: problemsOf(parsed.error) };
    const parsedPhrases = parsePhrases(phrases);
    if (!parsedPhrases.ok) return parsedPhrases;
    const { name, title, description } = parsed.data;
    try {
      return await transaction(this.pool, async (client) => {
        const id = randomUUID();
        await client.query('INSERT INTO intent (id, workspace_id, name, title, description) VALUES ($1, $2, $3, $4, $5)', [id, workspaceId, name, title, description]);
        await insertPhrases(client, id, parsedPhrases.phrases);
        await bumpRevision(client, workspaceId);
        const intent = await detail(client, workspaceId, id);
        if (!intent) throw new Error('an intent just inserted is missing');
        return { ok: true, intent };
      });
    } catch (error) {
      if (isUniqueViolation(error)) return nameTaken(name);
      throw error;
    }
  }

  /**
   * Changes the given fields; a rename keeps the phrases. A rename also renames the intent in every flow draft
   * that routes on it (classify-intent nodes and the edges of their outputs), in the same transaction; published
   * versions never change, so those still routing on the old name are listed in `renamed.publishedOnOldName`:
   * until they are published again, their classify-intent nodes take "Not sure" for this intent.
   */
  async update(workspaceId: string, id: string, patch: unknown, by: string | null = null): Promise<IntentWrite> {
    const parsed = intentPatchSchema.safeParse(patch, { reportInput: true });
    if (!parsed.success) return { ok: false, reason: 'invalid', problems: problemsOf(parsed.error) };
    const p = parsed.data;
    try {
      return await transaction(this.pool, async (client) => {
        const { rows } = await client.query<{ name: string }>(
          `WITH old AS (SELECT id, name FROM intent WHERE workspace_id = $1 AND id = $2 FOR UPDATE)
           UPDATE intent i SET name = coalesce($3, i.name), title = coalesce($4, i.title), description = coalesce($5, i.description), updated_at = now()
           FROM old WHERE i.id = old.id RETURNING old.name`,
          [workspaceId, id, p.name ?? null, p.title ?? null, p.description ?? null],
        );
        const before = rows[0]?.name;
        if (before === undefined) return { ok: false, reason: 'not_found' } as const;
        // Only the name reaches the model; a title or description change leaves it as trained.
        if (p.name !== undefined) await bumpRevision(client, workspaceId);
        const renamed = p.name !== undefined && p.name !== before ? await renameInFlows(client, workspaceId, before, p.name, by) : undefined;
        const intent = await detail(client, workspaceId, id);
        return intent ? { ok: true, intent, ...(renamed ? { renamed } : {}) } : ({ ok: false, reason: 'not_found' } as const);
      });
    } catch (error) {
      if (isUniqueViolation(error) && p.name !== undefined) return nameTaken(p.name);
      throw error;
    }
  }

  /** The workspace's flows that route on the intent named `name`, by flow name. */
  usedBy(workspaceId: string, name: string): Promise<IntentUse[]> {
    return flowsRoutingOn(this.pool, workspaceId, name);
  }

  /** False when the workspace has no such intent. Its phrases go with it. */
  async delete(workspaceId: string, id: string): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      const { rowCount } = await client.query('DELETE FROM intent WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
      if ((rowCount ?? 0) === 0) return false;
      await bumpRevision(client, workspaceId);
      return true;
    });
  }

  /** Adds phrases to an intent; a phrase it already has is counted as a duplicate, not added twice. */
  async addPhrases(workspaceId: string, intentId: string, phrases: readonly IntentPhraseInput[]): Promise<PhraseWrite> {
    const parsed = parsePhrases(phrases);
    if (!parsed.ok) return parsed;
    return transaction(this.pool, async (client) => {
      if (!(await lockIntent(client, workspaceId, intentId))) return { ok: false, reason: 'not_found' } as const;
      const added = await insertPhrases(client, intentId, parsed.phrases);
      if (added > 0) await bumpRevision(client, workspaceId);
      const intent = await detail(client, workspaceId, intentId);
      if (!intent) return { ok: false, reason: 'not_found' } as const;
      return { ok: true, intent, added, duplicates: parsed.phrases.length - added };
    });
  }

  /** Rewrites one phrase's text and language. */
  async updatePhrase(workspaceId: string, phraseId: string, input: unknown): Promise<PhraseWrite> {
    const parsed = intentPhraseInputSchema.safeParse(input, { reportInput: true });
    if (!parsed.success) return { ok: false, reason: 'invalid', problems: problemsOf(parsed.error) };
    try {
      return await transaction(this.pool, async (client) => {
        const { rows } = await client.query<{ intent_id: string }>(
          `UPDATE intent_phrase p SET text = $3, language = $4 FROM intent i
           WHERE p.id = $2 AND i.id = p.intent_id AND i.workspace_id = $1 RETURNING p.intent_id`,
          [workspaceId, phraseId, parsed.data.text, parsed.data.language],
        );
        const intentId = rows[0]?.intent_id;
        if (!intentId) return { ok: false, reason: 'not_found' } as const;
        await bumpRevision(client, workspaceId);
        const intent = await detail(client, workspaceId, intentId);
        return intent ? { ok: true, intent, added: 0, duplicates: 0 } : ({ ok: false, reason: 'not_found' } as const);
      });
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, reason: 'invalid', problems: [{ field: 'text', message: 'the intent already has this phrase' }] };
      throw error;
    }
  }

  /** False when the workspace has no such phrase. */
  async removePhrase(workspaceId: string, phraseId: string): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      const { rowCount } = await client.query('DELETE FROM intent_phrase p USING intent i WHERE p.id = $2 AND i.id = p.intent_id AND i.workspace_id = $1', [workspaceId, phraseId]);
      if ((rowCount ?? 0) === 0) return false;
      await bumpRevision(client, workspaceId);
      return true;
    });
  }

  /** Every phrase of the workspace, by intent name then age: what an export writes. */
  async rows(workspaceId: string): Promise<IntentRow[]> {
    return rowsOf(this.pool, workspaceId);
  }

  /**
   * What importing `rows` would change. `merge` adds the file's phrases to its intents (creating those that are
   * missing); `replace` makes the workspace's intents exactly the file's (the file's intents keep their titles).
   */
  async planImport(workspaceId: string, rows: readonly IntentRow[], mode: ImportMode): Promise<ImportPlan> {
    return planOf(await namesOf(this.pool, workspaceId), await rowsOf(this.pool, workspaceId), rows, mode);
  }

  /** Imports rows (already checked: names valid, texts non-empty) in one transaction; returns what it changed. */
  async importRows(workspaceId: string, rows: readonly IntentRow[], mode: ImportMode): Promise<ImportPlan> {
    return transaction(this.pool, async (client) => {
      await client.query('SELECT 1 FROM intent_model WHERE workspace_id = $1 FOR UPDATE', [workspaceId]);
      const plan = planOf(await namesOf(client, workspaceId), await rowsOf(client, workspaceId), rows, mode);
      if (mode === 'replace') {
        await client.query('DELETE FROM intent WHERE workspace_id = $1 AND NOT (name = ANY($2::text[]))', [workspaceId, plan.intents.map((i) => i.name)]);
        await client.query('DELETE FROM intent_phrase p USING intent i WHERE i.id = p.intent_id AND i.workspace_id = $1', [workspaceId]);
      }
      for (const { name } of plan.intents) {
        const { rows: found } = await client.query<{ id: string }>(
          `INSERT INTO intent (id, workspace_id, name) VALUES ($1, $2, $3)
           ON CONFLICT (workspace_id, name) DO UPDATE SET updated_at = now() RETURNING id`,
          [randomUUID(), workspaceId, name],
        );
        const id = found[0]?.id;
        if (!id) throw new Error(`INSERT … RETURNING gave no id for intent ${name}`);
        await insertPhrases(
          client,
          id,
          rows.filter((r) => r.intent === name),
        );
      }
      await bumpRevision(client, workspaceId);
      return plan;
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // The model
  // -------------------------------------------------------------------------------------------------------------

  /** Null for a workspace never seeded (it classifies with the shipped defaults). */
  async modelState(workspaceId: string): Promise<IntentModelState | null> {
    const { rows } = await this.pool.query<ModelRow>(
      'SELECT revision, status, trained_revision, trained_at, intent_count, phrase_count, error FROM intent_model WHERE workspace_id = $1',
      [workspaceId],
    );
    return rows[0] ? stateOf(rows[0]) : null;
  }

  /** The stored model as JSON (opaque here) and the revision it was trained from; null when none is stored. */
  async storedModel(workspaceId: string): Promise<{ trainedRevision: number; model: unknown } | null> {
    const { rows } = await this.pool.query<{ trained_revision: number | null; model: unknown }>(
      'SELECT trained_revision, model FROM intent_model WHERE workspace_id = $1 AND model IS NOT NULL',
      [workspaceId],
    );
    const row = rows[0];
    return row && row.trained_revision !== null ? { trainedRevision: row.trained_revision, model: row.model } : null;
  }

  /** The phrases to train from and the revision they are: one statement, so one consistent snapshot. */
  async trainingSet(workspaceId: string): Promise<{ revision: number; intents: TrainingIntent[] } | null> {
    const { rows } = await this.pool.query<{ revision: number; name: string | null; phrases: string[] | null }>(
      `SELECT m.revision, i.name, array_agg(p.text ORDER BY p.seq) FILTER (WHERE p.id IS NOT NULL) AS phrases
       FROM intent_model m
       LEFT JOIN intent i ON i.workspace_id = m.workspace_id
       LEFT JOIN intent_phrase p ON p.intent_id = i.id
       WHERE m.workspace_id = $1
       GROUP BY m.revision, i.name
       ORDER BY i.name`,
      [workspaceId],
    );
    const first = rows[0];
    if (!first) return null;
    return { revision: first.revision, intents: rows.flatMap((r) => (r.name === null ? [] : [{ name: r.name, phrases: r.phrases ?? [] }])) };
  }

  /** Stores a model trained from `revision`; false (nothing stored) when the intents changed since. */
  async saveTrained(workspaceId: string, revision: number, model: unknown, counts: { intents: number; phrases: number }): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE intent_model SET model = $3::jsonb, trained_revision = $2, trained_at = now(), status = 'ready', error = NULL,
         intent_count = $4, phrase_count = $5, updated_at = now()
       WHERE workspace_id = $1 AND revision = $2`,
      [workspaceId, revision, JSON.stringify(model), counts.intents, counts.phrases],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Records why training `revision` failed (the last good model stays); false when the intents changed since. */
  async saveFailed(workspaceId: string, revision: number, error: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`UPDATE intent_model SET status = 'failed', error = $3, updated_at = now() WHERE workspace_id = $1 AND revision = $2`, [
      workspaceId,
      revision,
      error,
    ]);
    return (rowCount ?? 0) > 0;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Statements shared by the methods
// ---------------------------------------------------------------------------------------------------------------

function nameTaken(name: string): IntentWrite {
  return { ok: false, reason: 'name_taken', problems: [{ field: 'name', message: `the workspace already has an intent named "${name}"` }] };
}

function parsePhrases(phrases: readonly IntentPhraseInput[]): { ok: true; phrases: { text: string; language: string | null }[] } | { ok: false; reason: 'invalid'; problems: IntentProblem[] } {
  const parsed = z.array(intentPhraseInputSchema).max(5000, 'at most 5000 phrases at once').safeParse(phrases, { reportInput: true });
  if (!parsed.success) return { ok: false, reason: 'invalid', problems: problemsOf(parsed.error, ['phrases']) };
  return { ok: true, phrases: parsed.data };
}

/** Inserts the phrases an intent does not have yet (one statement); returns how many it inserted. */
async function insertPhrases(client: Queryable, intentId: string, phrases: readonly { text: string; language: string | null }[]): Promise<number> {
  if (phrases.length === 0) return 0;
  const { rowCount } = await client.query(
    `INSERT INTO intent_phrase (id, intent_id, text, language)
     SELECT gen_random_uuid()::text, $1, t.text, t.language FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(text, language, n)
     ORDER BY t.n
     ON CONFLICT (intent_id, text) DO NOTHING`,
    [intentId, phrases.map((p) => p.text), phrases.map((p) => p.language)],
  );
  return rowCount ?? 0;
}

/** A change to the intents: the next revision, to be trained. Creates the row for a workspace not seeded yet. */
/** Inserts the seed intents the workspace has no intent of that name for, with their phrases; returns their names. */
async function insertSeeds(client: Queryable, workspaceId: string, seeds: readonly SeedIntent[]): Promise<string[]> {
  const added: string[] = [];
  for (const seed of seeds) {
    const { rows } = await client.query<{ id: string }>(
      'INSERT INTO intent (id, workspace_id, name, title, description) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workspace_id, name) DO NOTHING RETURNING id',
      [randomUUID(), workspaceId, seed.name, seed.title, seed.description ?? ''],
    );
    if (!rows[0]) continue;
    await insertPhrases(client, rows[0].id, seed.phrases);
    added.push(seed.name);
  }
  return added;
}

async function bumpRevision(client: Queryable, workspaceId: string): Promise<void> {
  await client.query(
    `INSERT INTO intent_model (workspace_id) VALUES ($1)
     ON CONFLICT (workspace_id) DO UPDATE SET revision = intent_model.revision + 1, status = 'training', error = NULL, updated_at = now()`,
    [workspaceId],
  );
}

async function lockIntent(client: PoolClient, workspaceId: string, id: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM intent WHERE workspace_id = $1 AND id = $2 FOR UPDATE', [workspaceId, id]);
  return (rowCount ?? 0) > 0;
}

async function detail(client: Queryable, workspaceId: string, id: string): Promise<IntentDetail | null> {
  const [summary, phrases] = await Promise.all([
    client.query<IntentRowDb>(`${SUMMARY_SQL} AND i.id = $2 GROUP BY i.id`, [workspaceId, id]),
    client.query<IntentPhrase>(
      'SELECT p.id, p.text, p.language FROM intent_phrase p JOIN intent i ON i.id = p.intent_id WHERE i.workspace_id = $1 AND p.intent_id = $2 ORDER BY p.seq',
      [workspaceId, id],
    ),
  ]);
  const row = summary.rows[0];
  return row ? { ...summaryOf(row), phrases: phrases.rows } : null;
}

async function rowsOf(client: Queryable, workspaceId: string): Promise<IntentRow[]> {
  const { rows } = await client.query<IntentRow>(
    `SELECT i.name AS intent, p.text, p.language FROM intent i JOIN intent_phrase p ON p.intent_id = i.id
     WHERE i.workspace_id = $1 ORDER BY i.name, p.seq`,
    [workspaceId],
  );
  return rows;
}

async function namesOf(client: Queryable, workspaceId: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>('SELECT name FROM intent WHERE workspace_id = $1 ORDER BY name', [workspaceId]);
  return rows.map((r) => r.name);
}

function planOf(names: readonly string[], current: readonly IntentRow[], incoming: readonly IntentRow[], mode: ImportMode): ImportPlan {
  const have = new Map<string, Set<string>>(names.map((name) => [name, new Set()]));
  for (const row of current) have.set(row.intent, (have.get(row.intent) ?? new Set()).add(row.text));
  const wanted = new Map<string, Set<string>>();
  for (const row of incoming) wanted.set(row.intent, (wanted.get(row.intent) ?? new Set()).add(row.text));
  const intents = [...wanted].map(([name, texts]) => {
    const existing = have.get(name) ?? new Set<string>();
    const kept = [...texts].filter((t) => existing.has(t)).length;
    return { name, isNew: !have.has(name), added: texts.size - kept, removed: mode === 'replace' ? existing.size - kept : 0, kept };
  });
  return { intents, deleted: mode === 'replace' ? [...have.keys()].filter((name) => !wanted.has(name)) : [] };
}

/** SQL: the flow document in `document` has a classify-intent node routing on the intent named by `name` (a parameter). */
function routesOn(document: string, name: string): string {
  return `jsonb_path_exists(${document}, '$.nodes[*] ? (@.type == "classify-intent" && @.data.intents[*] == $name)', jsonb_build_object('name', ${name}::text))`;
}

async function renameInFlows(client: PoolClient, workspaceId: string, from: string, to: string, by: string | null): Promise<IntentRenameEffect> {
  const { rows } = await client.query<{ flow_id: string; name: string; document: unknown }>(
    `SELECT d.flow_id, f.name, d.document FROM flow_draft d JOIN flow f ON f.id = d.flow_id
     WHERE f.workspace_id = $1 AND NOT f.archived AND ${routesOn('d.document', '$2')} ORDER BY f.name FOR UPDATE OF d`,
    [workspaceId, from],
  );
  const draftsUpdated: IntentRenameEffect['draftsUpdated'] = [];
  for (const row of rows) {
    const loaded = loadFlowDocument(row.document);
    if (!loaded.ok) continue;
    const { document, changed } = renameIntentRoutes(loaded.document, from, to);
    if (!changed) continue;
    await client.query(`UPDATE flow_draft SET document = $2, revision = revision + 1, updated_by = $3, updated_at = now() WHERE flow_id = $1`, [
      row.flow_id,
      JSON.stringify(document),
      by,
    ]);
    draftsUpdated.push({ id: row.flow_id, name: row.name });
  }
  const publishedOnOldName = (await flowsRoutingOn(client, workspaceId, from)).filter((use) => use.published).map(({ id, name }) => ({ id, name }));
  return { draftsUpdated, publishedOnOldName };
}

/** The workspace's flows whose draft or latest published version routes on the intent named `name`, by flow name. */
async function flowsRoutingOn(db: Pool | PoolClient, workspaceId: string, name: string): Promise<IntentUse[]> {
  const { rows } = await db.query<IntentUse>(
    `SELECT * FROM (
       SELECT f.id, f.name,
              EXISTS (SELECT 1 FROM flow_draft d WHERE d.flow_id = f.id AND ${routesOn('d.document', '$2')}) AS draft,
              EXISTS (SELECT 1 FROM flow_version v WHERE v.flow_id = f.id AND ${routesOn('v.document', '$2')}
                        AND v.number = (SELECT max(number) FROM flow_version WHERE flow_id = f.id)) AS published
       FROM flow f WHERE f.workspace_id = $1 AND NOT f.archived
     ) uses WHERE draft OR published ORDER BY name`,
    [workspaceId, name],
  );
  return rows;
}

