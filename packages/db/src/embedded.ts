import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PgliteServer } from './pglite-server.ts';

const openHere = new Set<string>();

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * The embedded default: PGlite (Postgres in WASM) persisted in `dataDir`, served over the Postgres wire
 * protocol so every process and library uses the same `DATABASE_URL` code path as a real server.
 * PGlite is one session: the server (pglite-server.ts) lets connections take turns and keeps a transaction's
 * connection alone until it ends; session-level state (advisory locks, SET) is shared, so the in-process queue
 * driver does its own locking.
 */
export async function startEmbeddedDatabase(dataDir: string, port = 0): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  // PGlite's files must have one owner: a second process opening them would corrupt the database.
  const lock = `${dataDir}.lock`;
  if (openHere.has(lock)) throw new Error(`the embedded database in ${dataDir} is already open in this process`);
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8'));
    if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) {
      throw new Error(`the embedded database in ${dataDir} is in use by process ${pid} (is Signalbox already running?)`);
    }
  }
  writeFileSync(lock, String(process.pid));
  openHere.add(lock);
  const db = await PGlite.create(dataDir);
  const server = new PgliteServer(db);
  const actualPort = await server.listen(port);
  return {
    url: `postgresql://postgres@127.0.0.1:${actualPort}/postgres?sslmode=disable`,
    stop: async () => {
      await server.close();
      await db.close();
      rmSync(lock, { force: true });
      openHere.delete(lock);
    },
  };
}

/** Whether a process with this id is running (signal 0 checks without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
