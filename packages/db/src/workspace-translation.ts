import type { Pool } from './connection.ts';
import type { SecretBox } from './secrets.ts';

/**
 * What a workspace keeps of its translation provider: the provider's settings as the form gave them (checked by
 * `parseTranslationSettings` of @signalbox/ai before they get here), sealed, since they hold the API key.
 */
export interface WorkspaceTranslation {
  settings: { provider: string; apiKey?: string; baseUrl?: string; model?: string };
  /** Terms never translated (brand and product names). */
  glossary: string[];
  revision: number;
  updatedAt: Date;
}

interface Row {
  settings: string;
  glossary: string[] | null;
  revision: number;
  updated_at: Date;
}

/** A workspace's translation provider (table `workspace_translation`), unsealed with the server's key. */
export class WorkspaceTranslationRepository {
  constructor(
    private readonly pool: Pool,
    private readonly box: SecretBox,
  ) {}

  async get(workspaceId: string): Promise<WorkspaceTranslation | null> {
    const { rows } = await this.pool.query<Row>('SELECT settings, glossary, revision, updated_at FROM workspace_translation WHERE workspace_id = $1', [workspaceId]);
    const row = rows[0];
    if (!row) return null;
    return { settings: this.box.open(row.settings), glossary: row.glossary ?? [], revision: row.revision, updatedAt: row.updated_at };
  }

  /** The saved revision, or null when the workspace uses the server's settings: the runner's cheap freshness check. */
  async revision(workspaceId: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ revision: number }>('SELECT revision FROM workspace_translation WHERE workspace_id = $1', [workspaceId]);
    return rows[0]?.revision ?? null;
  }

  /**
   * Saves the settings if the stored revision is still `revision` (null: none was stored); false when someone saved
   * in between, and nothing was written.
   */
  async save(workspaceId: string, settings: WorkspaceTranslation['settings'], glossary: readonly string[], revision: number | null): Promise<boolean> {
    const sealed = this.box.seal(settings);
    const { rowCount } =
      revision === null
        ? await this.pool.query(
            `INSERT INTO workspace_translation (workspace_id, provider, settings, glossary) VALUES ($1, $2, $3, $4) ON CONFLICT (workspace_id) DO NOTHING`,
            [workspaceId, settings.provider, sealed, glossary],
          )
        : await this.pool.query(
            `UPDATE workspace_translation SET provider = $2, settings = $3, glossary = $4, revision = revision + 1, updated_at = now()
             WHERE workspace_id = $1 AND revision = $5`,
            [workspaceId, settings.provider, sealed, glossary, revision],
          );
    return (rowCount ?? 0) > 0;
  }

  /** Back to the server's settings. */
  async clear(workspaceId: string): Promise<void> {
    await this.pool.query('DELETE FROM workspace_translation WHERE workspace_id = $1', [workspaceId]);
  }
}
