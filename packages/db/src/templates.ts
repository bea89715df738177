import { randomUUID } from 'node:crypto';
import { MessageTemplate, type StoredTemplate, type TemplateStore } from '@signalbox/nodes';
import type { Pool } from './connection.ts';
import { fieldProblems, isUniqueViolation, missedUpdate, type FieldProblem } from './writes.ts';
import { TtlCache } from './ttl-cache.ts';

export interface SavedTemplate extends StoredTemplate {
  workspaceId: string;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export type TemplateSummary = Pick<SavedTemplate, 'id' | 'name' | 'description' | 'defaultLanguage' | 'whatsapp' | 'revision' | 'updatedAt'> & {
  languages: string[];
};

export type TemplateWrite =
  | { ok: true; template: SavedTemplate }
  | { ok: false; reason: 'invalid'; problems: FieldProblem[] }
  | { ok: false; reason: 'not_found' }
  /** Saved by someone else since `revision` was read: nothing was written. */
  | { ok: false; reason: 'conflict'; current: SavedTemplate };

interface TemplateRow {
  id: string;
  workspace_id: string;
  name: string;
  description: string;
  default_language: string;
  variants: unknown;
  sample_data: unknown;
  whatsapp: unknown;
  revision: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, workspace_id, name, description, default_language, variants, sample_data, whatsapp, revision, created_at, updated_at';


/** A row as a template; a row no longer valid (written by an older version) still loads, by the fields it has. */
function templateOf(row: TemplateRow): SavedTemplate {
  const parsed = MessageTemplate.safeParse({
    name: row.name,
    description: row.description,
    defaultLanguage: row.default_language,
    variants: row.variants,
    sampleData: row.sample_data,
    whatsapp: row.whatsapp,
  });
  if (!parsed.success) throw new Error(`template ${row.id} is stored invalid: ${fieldProblems(parsed.error, 'a template').map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  return { id: row.id, workspaceId: row.workspace_id, revision: row.revision, createdAt: row.created_at, updatedAt: row.updated_at, ...parsed.data };
}

const NAME_TAKEN: TemplateWrite = { ok: false, reason: 'invalid', problems: [{ field: 'name', message: 'another template has this name' }] };

/** A workspace's message templates (table `message_template`). */
export class TemplateRepository {
  constructor(private readonly pool: Pool) {}

  async list(workspaceId: string): Promise<TemplateSummary[]> {
    const { rows } = await this.pool.query<TemplateRow>(`SELECT ${COLUMNS} FROM message_template WHERE workspace_id = $1 ORDER BY name`, [workspaceId]);
    return rows.map((row) => {
      const t = templateOf(row);
      return { id: t.id, name: t.name, description: t.description, defaultLanguage: t.defaultLanguage, whatsapp: t.whatsapp, revision: t.revision, updatedAt: t.updatedAt, languages: t.variants.map((v) => v.language) };
    });
  }

  async get(workspaceId: string, id: string): Promise<SavedTemplate | null> {
    const { rows } = await this.pool.query<TemplateRow>(`SELECT ${COLUMNS} FROM message_template WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
    return rows[0] ? templateOf(rows[0]) : null;
  }

  async create(workspaceId: string, input: unknown, options: { id?: string } = {}): Promise<TemplateWrite> {
    const parsed = MessageTemplate.safeParse(input, { reportInput: true });
    if (!parsed.success) return { ok: false, reason: 'invalid', problems: fieldProblems(parsed.error, 'a template') };
    const t = parsed.data;
    try {
      const { rows } = await this.pool.query<TemplateRow>(
        `INSERT INTO message_template (id, workspace_id, name, description, default_language, variants, sample_data, whatsapp)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb) RETURNING ${COLUMNS}`,
        [options.id ?? randomUUID(), workspaceId, t.name, t.description, t.defaultLanguage, JSON.stringify(t.variants), JSON.stringify(t.sampleData), t.whatsapp ? JSON.stringify(t.whatsapp) : null],
      );
      return { ok: true, template: templateOf(rows[0]!) };
    } catch (error) {
      if (isUniqueViolation(error)) return NAME_TAKEN;
      throw error;
    }
  }

  /** Replaces the template's content; `revision` is the one the editor started from (omitted: last write wins). */
  async update(workspaceId: string, id: string, input: unknown, revision?: number): Promise<TemplateWrite> {
    const parsed = MessageTemplate.safeParse(input, { reportInput: true });
    if (!parsed.success) return { ok: false, reason: 'invalid', problems: fieldProblems(parsed.error, 'a template') };
    const t = parsed.data;
    try {
      const { rows } = await this.pool.query<TemplateRow>(
        `UPDATE message_template SET name = $3, description = $4, default_language = $5, variants = $6::jsonb, sample_data = $7::jsonb,
           whatsapp = $8::jsonb, revision = revision + 1, updated_at = now()
         WHERE workspace_id = $1 AND id = $2 AND ($9::int IS NULL OR revision = $9) RETURNING ${COLUMNS}`,
        [workspaceId, id, t.name, t.description, t.defaultLanguage, JSON.stringify(t.variants), JSON.stringify(t.sampleData), t.whatsapp ? JSON.stringify(t.whatsapp) : null, revision ?? null],
      );
      if (rows[0]) return { ok: true, template: templateOf(rows[0]) };
    } catch (error) {
      if (isUniqueViolation(error)) return NAME_TAKEN;
      throw error;
    }
    return missedUpdate(this.get(workspaceId, id));
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM message_template WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
    return (rowCount ?? 0) > 0;
  }

  /** The flows (not archived) whose draft or a published version sends the template, by name. */
  async usedBy(workspaceId: string, id: string): Promise<{ id: string; name: string }[]> {
    const sends = `jsonb_path_exists(document, '$.nodes[*] ? (@.data.template == $id)', jsonb_build_object('id', $2::text))`;
    const { rows } = await this.pool.query<{ id: string; name: string }>(
      `SELECT f.id, f.name FROM flow f WHERE f.workspace_id = $1 AND NOT f.archived
         AND (EXISTS (SELECT 1 FROM flow_draft WHERE flow_id = f.id AND ${sends}) OR EXISTS (SELECT 1 FROM flow_version WHERE flow_id = f.id AND ${sends}))
       ORDER BY f.name`,
      [workspaceId, id],
    );
    return rows;
  }

  /** The store a flow reads: this workspace's templates only, so an id from another workspace names none. */
  store(workspaceId: string): TemplateStore {
    return { get: (id) => this.get(workspaceId, id) };
  }
}

/** Every workspace's templates for the runner, each read at most once per `ttlMs` (see TtlCache). */
export class WorkspaceTemplates {
  private readonly cache: TtlCache<StoredTemplate | null>;

  constructor(
    private readonly repository: TemplateRepository,
    ttlMs = 5_000,
    clock: () => number = Date.now,
  ) {
    this.cache = new TtlCache(ttlMs, clock);
  }

  forWorkspace(workspaceId: string): TemplateStore {
    return { get: (id) => this.cache.get(`${workspaceId}\n${id}`, () => this.repository.get(workspaceId, id)) };
  }
}
