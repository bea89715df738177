import type { Pool } from './connection.ts';

/** A translation memory key, as `packages/ai`'s TranslationMemory names it (the shapes match; db imports no ai). */
export interface TranslationKey {
  sourceHash: string;
  source: string;
  target: string;
  glossaryVersion: string;
}

export interface StoredTranslation {
  text: string;
  detectedSource?: string;
}

function keyId(key: TranslationKey): string {
  return `${key.glossaryVersion}|${key.source}|${key.target}|${key.sourceHash}`;
}

/**
 * One workspace's translation memory in `translation_memory`: a lookup of a whole batch is one query, and so is
 * storing one. Hits are counted (and `used_at` moved) in the same statement that reads them.
 */
export class TranslationMemoryStore {
  constructor(
    private readonly pool: Pool,
    private readonly workspaceId: string,
  ) {}

  async get(keys: readonly TranslationKey[]): Promise<Map<string, StoredTranslation>> {
    const found = new Map<string, StoredTranslation>();
    if (keys.length === 0) return found;
    const { rows } = await this.pool.query<{ glossary_version: string; source: string; target: string; source_hash: string; text: string; detected_source: string | null }>(
      `UPDATE translation_memory t SET hits = t.hits + 1, used_at = now()
       FROM jsonb_to_recordset($2::jsonb) AS k(glossary_version text, source text, target text, source_hash text)
       WHERE t.workspace_id = $1 AND t.glossary_version = k.glossary_version AND t.source = k.source AND t.target = k.target AND t.source_hash = k.source_hash
       RETURNING t.glossary_version, t.source, t.target, t.source_hash, t.text, t.detected_source`,
      [this.workspaceId, JSON.stringify(keys.map((k) => ({ glossary_version: k.glossaryVersion, source: k.source, target: k.target, source_hash: k.sourceHash })))],
    );
    for (const row of rows) {
      const id = keyId({ glossaryVersion: row.glossary_version, source: row.source, target: row.target, sourceHash: row.source_hash });
      found.set(id, { text: row.text, ...(row.detected_source ? { detectedSource: row.detected_source } : {}) });
    }
    return found;
  }

  async put(entries: readonly { key: TranslationKey; value: StoredTranslation; provider: string }[]): Promise<void> {
    if (entries.length === 0) return;
    // One row per key: a batch naming a key twice keeps its last translation (ON CONFLICT cannot touch a row twice).
    const unique = new Map(entries.map((e) => [keyId(e.key), e]));
    await this.pool.query(
      `INSERT INTO translation_memory (workspace_id, glossary_version, source, target, source_hash, text, detected_source, provider)
       SELECT $1, e.glossary_version, e.source, e.target, e.source_hash, e.text, e.detected_source, e.provider
       FROM jsonb_to_recordset($2::jsonb) AS e(glossary_version text, source text, target text, source_hash text, text text, detected_source text, provider text)
       ON CONFLICT (workspace_id, glossary_version, source, target, source_hash)
       DO UPDATE SET text = EXCLUDED.text, detected_source = EXCLUDED.detected_source, provider = EXCLUDED.provider, used_at = now()`,
      [
        this.workspaceId,
        JSON.stringify(
          [...unique.values()].map((e) => ({
            glossary_version: e.key.glossaryVersion,
            source: e.key.source,
            target: e.key.target,
            source_hash: e.key.sourceHash,
            text: e.value.text,
            detected_source: e.value.detectedSource ?? null,
            provider: e.provider,
          })),
        ),
      ],
    );
  }
}
