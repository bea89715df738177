import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

// BIGINT ids (inbound_event, outbox) fit in a JS number for the life of any install; parse them as numbers.
pg.types.setTypeParser(20, (value) => Number(value));

const preparing = new WeakSet<pg.Pool>();

/**
 * A pool for `databaseUrl`. With `prepared`, hot-path statements are prepared once per connection (named
 * statements), which saves Postgres a parse and plan per message. Not for the embedded PGlite: it is a single
 * session, so a statement name prepared by one connection would clash with the next.
 */
export function createPool(databaseUrl: string, max = 10, options: { prepared?: boolean; genericPlans?: boolean } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    idleTimeoutMillis: 30_000,
    // `genericPlans`: for the per-message statements, written so that their generic plans read by index.
    // Postgres otherwise keeps re-planning some of them on every call (it judges a custom plan cheaper),
    // which costs more than running them. A generic plan lives as long as its connection and is made on
    // the statistics of that moment: on a new database every table looks empty and a sequential scan
    // looks cheapest, so it would go on scanning `conversation` whole on every commit as the table grows.
    // Sequential scans are therefore priced out on these connections (`enable_seqscan=off` only makes
    // them a last resort): every statement there reads by index.
    ...(options.genericPlans ? { options: '-c plan_cache_mode=force_generic_plan -c enable_seqscan=off' } : {}),
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener that kills the process.
  pool.on('error', () => undefined);
  if (options.prepared) preparing.add(pool);
  return pool;
}

/** Runs a hot-path statement, as a named prepared statement when the pool allows it. */
export function run<R extends pg.QueryResultRow = pg.QueryResultRow>(pool: pg.Pool, name: string, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
  return preparing.has(pool) ? pool.query<R>({ name: `sbx_${name}`, text, values }) : pool.query<R>(text, values);
}

export function createPrisma(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

export type { PrismaClient };

/** Runs `work` in one transaction on one pooled connection. */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
