import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * The embedded default: PGlite (Postgres in WASM) persisted in `dataDir`, served over the Postgres wire
 * protocol so every process and library uses the same `DATABASE_URL` code path as a real server.
 * PGlite is one session: the socket server multiplexes connections and serializes transactions, so
 * session-level state (advisory locks, SET) is shared. The in-process queue driver does its own locking.
 */
export async function startEmbeddedDatabase(dataDir: string, port = 0): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  // PGlite's files must have one owner: a second process opening them would corrupt the database.
  const lock = `${dataDir}.lock`;
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8'));
    if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) {
      throw new Error(`the embedded database in ${dataDir} is in use by process ${pid} (is Signalbox already running?)`);
    }
  }
  writeFileSync(lock, String(process.pid));
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 64 });
  await server.start();
  // getServerConn() is "host:port" with the port the OS assigned when asked for 0.
  return {
    url: `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    stop: async () => {
      await server.stop();
      await db.close();
      rmSync(lock, { force: true });
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
