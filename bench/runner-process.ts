import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { Redis } from 'ioredis';

/** The runner under test, started the way an operator would: `signalbox start --no-web` on Postgres + Redis. */

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO_ROOT, 'bin/signalbox.mjs');
const run = promisify(execFile);

/** Drops and recreates the bench database, so every run starts from an empty schema and a fresh demo seed. */
export async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_DATABASE: "${name}" is not a plain lower-case identifier`);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    // What-if experiments, e.g. BENCH_DATABASE_SETTINGS="synchronous_commit=off"; on this database only.
    for (const setting of (process.env.BENCH_DATABASE_SETTINGS ?? '').split(',').filter((s) => s.trim() !== '')) {
      const [key, value] = setting.split('=').map((part) => part.trim());
      if (!key || !value || !/^[a-z_]+$/.test(key) || !/^[\w.]+$/.test(value)) throw new Error(`BENCH_DATABASE_SETTINGS: "${setting}" is not key=value`);
      await admin.query(`ALTER DATABASE ${name} SET ${key} = '${value}'`);
    }
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Empties the bench's Redis database; BullMQ keys from an earlier run would otherwise be replayed. */
export async function freshRedis(redisUrl: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RunnerSettings {
  databaseUrl: string;
  redisUrl: string;
  port: number;
  workerConcurrency: number;
  logFile: string;
  /** `--role` of this process (default: all roles). */
  roles?: string;
  /** Processes of one deployment must seal channel secrets with the same key. */
  secretKey?: string;
}

export class RunnerProcess {
  readonly url: string;
  /** Both the runner and the CLI commands must seal channel secrets with the same key. */
  private readonly env: NodeJS.ProcessEnv;
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);
  private stopping = false;

  constructor(private readonly settings: RunnerSettings) {
    this.url = `http://127.0.0.1:${settings.port}`;
    this.env = {
      ...process.env,
      DATABASE_URL: settings.databaseUrl,
      ...(process.env.BENCH_NO_REDIS === '1' ? {} : { REDIS_URL: settings.redisUrl }),
      PORT: String(settings.port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      WORKER_CONCURRENCY: String(settings.workerConcurrency),
      SIGNALBOX_SECRET_KEY: settings.secretKey ?? randomBytes(32).toString('base64url'),
    };
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(onUnexpectedExit: (code: number | null) => void): Promise<void> {
    const log = createWriteStream(this.settings.logFile);
    // e.g. BENCH_RUNNER_NODE_ARGS="--cpu-prof --cpu-prof-dir=bench/results" profiles the runner alone
    // (Node refuses --cpu-prof in NODE_OPTIONS).
    const nodeArgs = (process.env.BENCH_RUNNER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
    const roleArgs = this.settings.roles ? ['--role', this.settings.roles] : [];
    const child = spawn(process.execPath, [...nodeArgs, CLI, 'start', '--no-web', ...roleArgs], { cwd: REPO_ROOT, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.child = null;
        if (!this.stopping) onUnexpectedExit(code);
        resolve(code);
      }),
    );
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (!this.child) throw new Error(`the runner exited during start; see ${this.settings.logFile}`);
      const ready = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(1_000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the runner was not ready within 60 s; see ${this.settings.logFile}`);
  }

  /** Runs a CLI command against the same database and returns its JSON output. */
  async cli<T>(args: string[]): Promise<T> {
    try {
      const { stdout } = await run(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: this.env, timeout: 60_000 });
      return JSON.parse(stdout) as T;
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`signalbox ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`);
    }
  }

  /** SIGTERM (the runner finishes running work), then SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** For process 'exit' handlers, which cannot wait. */
  killNow(): void {
    this.stopping = true;
    this.child?.kill('SIGKILL');
  }
}
