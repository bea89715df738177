import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { callbackServer, freePort, freshDatabase, waitFor, type Callback } from '../src/testing/harness.ts';
import { REDIS_URL } from '../src/testing/services.ts';
import { ROOT } from './setup.ts';
import { checkReplies, sendLoad, type LoadPlan } from './load.ts';

const CLI = join(ROOT, 'bin/signalbox.mjs');
const plan: LoadPlan = { conversations: 100, perConversation: 20, duplicateRatio: 0.1 };
const total = plan.conversations * plan.perConversation;

describe.each([
  ['BullMQ', 'bullmq'],
  ['the leased queue', 'leased'],
])('a runner killed with SIGKILL mid-load (%s)', (_name, queueDriver) => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let cb: Awaited<ReturnType<typeof callbackServer>>;
  let child: ChildProcess | null = null;
  // Picked once: the restarted runner listens where the load generator keeps sending.
  let port: number;
  const env = () => ({
    ...process.env,
    DATABASE_URL: database.url,
    REDIS_URL,
    SIGNALBOX_QUEUE_PREFIX: `sbx-crash-${process.pid}-${queueDriver}`,
    QUEUE_DRIVER: queueDriver,
    SIGNALBOX_SECRET_KEY: 'crash-test-secret-key-0123',
    PORT: String(port),
    LOG_LEVEL: 'error',
    WORKER_CONCURRENCY: '8',
  });
  const start = async () => {
    child = spawn(process.execPath, [CLI, 'start', '--no-web'], { env: env(), stdio: ['ignore', 'ignore', 'inherit'] });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200, 60_000, 'the runner to be ready');
  };
  const cli = (...args: string[]) => {
    const result = spawnSync(process.execPath, [CLI, ...args], { env: env(), encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`signalbox ${args.join(' ')} failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };

  beforeAll(async () => {
    database = await freshDatabase();
    cb = await callbackServer();
    port = await freePort();
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await cb.close();
    await database.drop();
  });

  it('loses nothing, processes every message once and sends no reply twice after a restart', { timeout: 300_000 }, async () => {
    await start();
    const flow = cli('flows', 'import', join(ROOT, 'examples/flows/echo.json'), '--publish');
    const channel = cli('channels', 'add', '--type', 'webhook', '--name', 'crash', '--callback-url', cb.url, '--flow', String(flow.id));
    let killed = false;
    let restarted: Promise<void> | null = null;
    await sendLoad(`http://127.0.0.1:${port}`, { id: String(channel.id), secret: String(channel.secret) }, plan, (sent) => {
      if (!killed && sent >= total / 3) {
        killed = true;
        child?.kill('SIGKILL');
        restarted = new Promise((resolve) => setTimeout(resolve, 200)).then(start);
      }
    });
    expect(killed).toBe(true);
    await restarted;
    await waitFor(() => new Set(cb.received.map((r) => r.id)).size >= total, 120_000, `${total} distinct replies (got ${new Set(cb.received.map((r) => r.id)).size})`);
    await new Promise((r) => setTimeout(r, 1000));

    // A POST the killed process had sent but not yet recorded is sent again with the same idempotency key (the body's id).
    const firstById = new Map<string, Callback>();
    for (const r of cb.received) if (!firstById.has(r.id)) firstById.set(r.id, r);
    const repeats = cb.received.length - firstById.size;
    for (const r of cb.received) expect(r.raw).toBe(firstById.get(r.id)?.raw);
    expect(firstById.size).toBe(total);
    expect(new Set([...firstById.values()].map((r) => r.inReplyTo)).size).toBe(total);
    expect(checkReplies([...firstById.values()], plan)).toEqual([]);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ events: number; unprocessed: number; inbound: number; traces: number; outbox: number; unsent: number; ambiguous: number }>(
      `SELECT (SELECT count(*) FROM inbound_event)::int AS events,
              (SELECT count(*) FROM inbound_event WHERE processed_at IS NULL)::int AS unprocessed,
              (SELECT count(*) FROM message WHERE direction = 'in')::int AS inbound,
              (SELECT count(*) FROM execution_trace)::int AS traces,
              (SELECT count(*) FROM outbox)::int AS outbox,
              (SELECT count(*) FROM outbox WHERE status <> 'sent')::int AS unsent,
              (SELECT count(*) FROM outbox WHERE ambiguous)::int AS ambiguous`,
    );
    await client.end();
    expect(rows[0]).toMatchObject({ events: total, unprocessed: 0, inbound: total, traces: total, outbox: total, unsent: 0 });
    // Every repeated POST is one the database flagged as an interrupted send.
    expect(repeats).toBeLessThanOrEqual(rows[0]?.ambiguous ?? 0);
    console.log(`crash test: ${repeats} repeated POST(s) with the same idempotency key, ${rows[0]?.ambiguous} send(s) flagged ambiguous`);

    child?.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child?.once('exit', resolve));
    expect(code).toBe(0);
    child = null;
  });
});
