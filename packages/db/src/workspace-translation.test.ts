import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from './connection.ts';
import { migrate } from './migrate.ts';
import { SecretBox } from './secrets.ts';
import { freshDatabase } from './testing.ts';
import { WorkspaceTranslationRepository } from './workspace-translation.ts';

describe("a workspace's translation provider on Postgres", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  let settings: WorkspaceTranslationRepository;
  beforeAll(async () => {
    database = await freshDatabase('sbx_translation');
    pool = createPool(database.url, 2);
    await migrate(pool);
    await pool.query(`INSERT INTO workspace (id, name) VALUES ('w1', 'One')`);
    settings = new WorkspaceTranslationRepository(pool, new SecretBox('a test key of sixteen+ chars'));
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('keeps the API key sealed, saves only on the revision it read, and clears back to the server settings', async () => {
    expect(await settings.get('w1')).toBeNull();
    expect(await settings.save('w1', { provider: 'deepl', apiKey: 'secret-key:fx' }, ['Signalbox'], null)).toBe(true);
    const { rows } = await pool.query<{ settings: string; provider: string }>('SELECT settings, provider FROM workspace_translation');
    expect(rows[0]?.provider).toBe('deepl');
    expect(rows[0]?.settings).not.toContain('secret-key');
    expect(await settings.get('w1')).toMatchObject({ settings: { provider: 'deepl', apiKey: 'secret-key:fx' }, glossary: ['Signalbox'], revision: 1 });
    expect(await settings.save('w1', { provider: 'libretranslate', baseUrl: 'http://lt:5000' }, [], null)).toBe(false);
    expect(await settings.save('w1', { provider: 'libretranslate', baseUrl: 'http://lt:5000' }, [], 1)).toBe(true);
    expect(await settings.save('w1', { provider: 'google', apiKey: 'x' }, [], 1)).toBe(false);
    expect(await settings.revision('w1')).toBe(2);
    await settings.clear('w1');
    expect(await settings.revision('w1')).toBeNull();
  });
});
