import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Integration tests run against the machine's real Postgres (TEST_DATABASE_URL names the server; default
 * 127.0.0.1:5432, trust auth). When it is unreachable this throws, so the tests fail: never a skip.
 */
const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const databaseUrl = (name: string) => SERVER_URL.replace(/\/[^/]*$/, `/${name}`);

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new, empty database for one test file; `drop()` removes it (even with connections still open). */
export async function freshDatabase(prefix = 'sbx_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  return { url: databaseUrl(name), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
