import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, createPrisma, transaction, type Pool } from './connection.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts';
import { migrate } from './migrate.ts';

describe('the embedded database (PGlite over the wire protocol)', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'signalbox-embedded-')), 'pgdata');
  let db: EmbeddedDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await startEmbeddedDatabase(dir);
    pool = createPool(db.url, 20);
  });
  afterAll(async () => {
    await pool.end();
    await db.stop();
  });

  it('answers concurrent parameterized queries from many connections correctly', async () => {
    const wrong: string[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, w) => {
        for (let i = 0; i < 50; i += 1) {
          const { rows } = await pool.query<{ a: number; b: string }>('SELECT $1::int AS a, $2::text AS b', [i, `w${w}`]);
          if (rows[0]?.a !== i || rows[0]?.b !== `w${w}`) wrong.push(`${w}/${i}`);
        }
      }),
    );
    expect(wrong).toEqual([]);
  });

  it('keeps each transaction to its own connection: concurrent increments never get lost', async () => {
    await pool.query('CREATE TABLE counter (n int NOT NULL)');
    await pool.query('INSERT INTO counter VALUES (0)');
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let i = 0; i < 20; i += 1) {
          await transaction(pool, async (client) => {
            const { rows } = await client.query<{ n: number }>('SELECT n FROM counter');
            await client.query('UPDATE counter SET n = $1', [(rows[0]?.n ?? 0) + 1]);
          });
        }
      }),
    );
    const { rows } = await pool.query<{ n: number }>('SELECT n FROM counter');
    expect(rows[0]?.n).toBe(200);
  });

  it('rolls back the transaction of a client that disconnects in the middle of it', async () => {
    const client = await pool.connect();
    await client.query('BEGIN');
    await client.query('UPDATE counter SET n = -1');
    client.release(true); // destroys the connection
    await new Promise((r) => setTimeout(r, 100));
    const { rows } = await pool.query<{ n: number }>('SELECT n FROM counter');
    expect(rows[0]?.n).toBe(200);
  });

  it('runs migrations and Prisma, keeps data across a restart, and refuses a second owner', async () => {
    await migrate(pool);
    const prisma = createPrisma(db.url);
    await prisma.workspace.create({ data: { id: 'kept', name: 'Kept' } });
    await prisma.$disconnect();
    await expect(startEmbeddedDatabase(dir)).rejects.toThrow(/already open in this process/);
    await pool.end();
    await db.stop();
    db = await startEmbeddedDatabase(dir);
    pool = createPool(db.url, 20);
    const { rows } = await pool.query<{ name: string }>(`SELECT name FROM workspace WHERE id = 'kept'`);
    expect(rows[0]?.name).toBe('Kept');
  });
});
