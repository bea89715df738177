import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from './testing.ts';
import { createPool, type Pool } from './connection.ts';
import { migrate } from './migrate.ts';
import { claimChannelLeases, releaseChannelLeases } from './channels.ts';

describe('channel leases', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  beforeAll(async () => {
    database = await freshDatabase('sbx_leases');
    pool = createPool(database.url);
    await migrate(pool);
    await pool.query(`INSERT INTO workspace (id, name) VALUES ('w', 'W'); INSERT INTO channel (id, workspace_id, type, name) VALUES ('a', 'w', 'mqtt', 'a'), ('b', 'w', 'mqtt', 'b')`);
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('gives each channel to one owner until its lease runs out or is released, and ignores unknown channels', async () => {
    expect(await claimChannelLeases(pool, 'one', ['a', 'no-such-channel'], 300)).toEqual(new Set(['a']));
    expect(await claimChannelLeases(pool, 'two', ['a', 'b'], 300)).toEqual(new Set(['b']));
    // Renewing keeps it; the other owner still cannot take it.
    expect(await claimChannelLeases(pool, 'one', ['a'], 300)).toEqual(new Set(['a']));
    expect(await claimChannelLeases(pool, 'two', ['a'], 300)).toEqual(new Set());
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await claimChannelLeases(pool, 'two', ['a'], 300)).toEqual(new Set(['a']));
    await releaseChannelLeases(pool, 'two');
    expect(await claimChannelLeases(pool, 'one', ['a', 'b'], 300)).toEqual(new Set(['a', 'b']));
    expect(await claimChannelLeases(pool, 'one', [], 300)).toEqual(new Set());
  });
});
