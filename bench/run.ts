/**
 * End-to-end benchmark of the runner on Postgres + Redis: signed webhook in -> echo flow -> reply POSTed to
 * a callback server in this process. `npm run bench`; prints its numbers and writes them to
 * bench/results/<timestamp>.json. Never part of the test pass/fail (STYLE.md).
 *
 * Phases: a warmup that opens every conversation, then each offered rate open loop, then "max" closed loop.
 * Between phases the queue drains (every reply arrived, or BENCH_DRAIN_SECONDS passed).
 *
 * Settings (environment): BENCH_SECONDS (10), BENCH_RATES ("100,500,1000"), BENCH_MAX_SENDERS (96),
 * BENCH_CONVERSATIONS (1000), BENCH_DRAIN_SECONDS (30), BENCH_WARMUP and BENCH_MAX (1; 0 skips the phase),
 * WORKER_CONCURRENCY (96), BENCH_RUNNER_NODE_ARGS (node flags of the runner alone, e.g. --cpu-prof),
 * BENCH_POSTGRES_URL (postgresql://postgres@127.0.0.1:5432/postgres, the server's admin database),
 * BENCH_DATABASE (signalbox_bench, dropped and recreated), BENCH_DATABASE_SETTINGS (what-ifs such as
 * "synchronous_commit=off", on that database only), BENCH_REDIS_URL (redis://127.0.0.1:6379/2, flushed),
 * BENCH_SPLIT (unset; 1 runs two processes: `--role ingress` and `--role worker,sender`), BENCH_NO_REDIS (unset;
 * 1 is a what-if: the runner without REDIS_URL, on the in-process queue, to see what BullMQ costs); the runner's
 * own settings pass through from the environment, e.g. QUEUE_DRIVER=leased.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { measureMachineSpeed } from './calibrate.ts';
import { CallbackServer } from './callback-server.ts';
import { cpuBetween, cpuMsPer, snapshotCpu, type CpuShare } from './cpu.ts';
import { closedLoop, openLoop, WebhookClient, type PhaseLoad } from './load.ts';
import { freePort, freshDatabase, freshRedis, REPO_ROOT, RunnerProcess } from './runner-process.ts';
import { scrapeRunner, stepLatencyBetween, type StepLatency } from './runner-metrics.ts';
import { round, summarize } from './stats.ts';

function numberSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: "${raw}" is not a positive number`);
  return value;
}

const settings = {
  seconds: numberSetting('BENCH_SECONDS', 10),
  rates: (process.env.BENCH_RATES ?? '100,500,1000').split(',').map((r) => {
    const rate = Number(r.trim());
    if (!Number.isFinite(rate) || rate <= 0) throw new Error(`BENCH_RATES: "${r}" is not a positive number`);
    return rate;
  }),
  maxSenders: Math.round(numberSetting('BENCH_MAX_SENDERS', 96)),
  conversations: Math.round(numberSetting('BENCH_CONVERSATIONS', 1000)),
  drainSeconds: numberSetting('BENCH_DRAIN_SECONDS', 30),
  warmup: process.env.BENCH_WARMUP !== '0',
  max: process.env.BENCH_MAX !== '0',
  workerConcurrency: Math.round(numberSetting('WORKER_CONCURRENCY', 96)),
  postgresUrl: process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  database: process.env.BENCH_DATABASE ?? 'signalbox_bench',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/2',
  databaseSettings: process.env.BENCH_DATABASE_SETTINGS ?? '',
};

interface PhaseResult {
  phase: string;
  mode: 'open' | 'closed';
  /** msg/s offered (open loop), or the number of concurrent senders (closed loop). */
  offered: number | null;
  senders: number | null;
  sent: number;
  accepted: number;
  windowSeconds: number;
  ingressPerSecond: number;
  /** Replies that arrived within the sending window, per second of it: what the pipeline kept up with. */
  repliesPerSecond: number;
  ackMs: { p50: number | null; p99: number | null; max: number | null };
  /** Ack p99 of each second of the window: shows whether slow answers come spread out or in one stall. */
  ackP99BySecond: (number | null)[];
  endToEndMs: { p50: number | null; p99: number | null; max: number | null };
  generatorLagP99Ms: number | null;
  failures: Record<string, number>;
  missingReplies: number;
  errors: number;
  duplicateReplies: number;
  /** Seconds from the last answer to the last reply. */
  drainSeconds: number;
  /** Replies per second after the sending stopped: the processing capacity once ingress is quiet. */
  drainRepliesPerSecond: number | null;
  backlogAtWindowEnd: { inbound: number; outbox: number } | null;
  persisted: { stored: number; processed: number; outboxSent: number; everyAcceptedPersisted: boolean };
  /** Work left over from the phase before (it did not drain in time): it competes with this phase. */
  backlogAtStart: { inbound: number; outbox: number };
  cpuPercent: CpuShare;
  /** The same while the backlog drained (no more requests): what processing alone uses. */
  drainCpuPercent: CpuShare;
  /** Per accepted message, over the whole phase including its drain. Redis is shared: others' commands count too. */
  perMessage: {
    pgCommits: number | null;
    pgRowsWritten: number | null;
    redisCommands: number | null;
    /** CPU time per accepted message from the phase start until it drained: the cost, whatever the contention. */
    cpuMs: { runner: number; postgres: number; redis: number } | null;
  };
  step: StepLatency | null;
  runnerEventLoopLagP99Ms: number | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsDir = join(REPO_ROOT, 'bench/results');

let runner: RunnerProcess | null = null;
/** With BENCH_SPLIT=1 the runner above is `--role ingress` and this one `--role worker,sender`. */
let processor: RunnerProcess | null = null;
const runnerPids = () => [runner?.pid, processor?.pid];
let callbacks: CallbackServer | null = null;
let client: WebhookClient | null = null;
let db: pg.Pool | null = null;
let redis: Redis | null = null;

async function shutdown(): Promise<void> {
  client?.close();
  await runner?.stop().catch(() => undefined);
  await processor?.stop().catch(() => undefined);
  await callbacks?.close().catch(() => undefined);
  await db?.end().catch(() => undefined);
  redis?.disconnect();
}

process.on('exit', () => {
  runner?.killNow();
  processor?.killNow();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the runner`);
    void shutdown().finally(() => process.exit(130));
  });
}

/** Waits until every accepted event has its reply, or the drain time is up. */
async function drain(load: PhaseLoad, arrivals: Map<string, number>): Promise<void> {
  const deadline = performance.now() + settings.drainSeconds * 1000;
  const waiting = new Set(load.accepted.keys());
  while (performance.now() < deadline) {
    for (const id of waiting) if (arrivals.has(id)) waiting.delete(id);
    if (waiting.size === 0) return;
    await sleep(50);
  }
}

/** Counts, in Postgres, the phase's accepted events stored, processed, and answered by a sent outbox row. */
async function persistence(pool: pg.Pool, channelId: string, ids: string[], expectSent: number) {
  const query = `
    WITH ids AS (SELECT unnest($2::text[]) AS id)
    SELECT (SELECT count(*) FROM inbound_event e JOIN ids ON e.external_id = ids.id WHERE e.channel_id = $1)::int AS stored,
           (SELECT count(*) FROM inbound_event e JOIN ids ON e.external_id = ids.id WHERE e.channel_id = $1 AND e.processed_at IS NOT NULL)::int AS processed,
           (SELECT count(*) FROM outbox o JOIN ids ON o.payload->>'inReplyTo' = ids.id WHERE o.channel_id = $1 AND o.status = 'sent')::int AS sent`;
  // The sender marks a row sent after the callback answered, so the last rows can trail the replies by a moment.
  const deadline = performance.now() + 5_000;
  for (;;) {
    const { rows } = await pool.query<{ stored: number; processed: number; sent: number }>(query, [channelId, ids]);
    const row = rows[0] ?? { stored: 0, processed: 0, sent: 0 };
    if ((row.stored >= ids.length && row.sent >= expectSent) || performance.now() > deadline) {
      return { stored: row.stored, processed: row.processed, outboxSent: row.sent, everyAcceptedPersisted: row.stored === ids.length && row.sent === ids.length };
    }
    await sleep(200);
  }
}

/** Cumulative counters of the bench database (pg_stat_database) and of the whole Redis server. */
async function serverCounters(pool: pg.Pool, redisClient: Redis, database: string) {
  const { rows } = await pool.query<{ commits: number; written: number }>(
    'SELECT xact_commit::float8 AS commits, (tup_inserted + tup_updated + tup_deleted)::float8 AS written FROM pg_stat_database WHERE datname = $1',
    [database],
  );
  const info = await redisClient.info('stats').catch(() => '');
  const commands = /total_commands_processed:(\d+)/.exec(info)?.[1];
  return { commits: rows[0]?.commits ?? null, written: rows[0]?.written ?? null, redisCommands: commands === undefined ? null : Number(commands) };
}

async function runPhase(
  name: string,
  mode: 'open' | 'closed',
  amount: number,
  seconds: number,
  ctx: { runner: RunnerProcess; client: WebhookClient; callbacks: CallbackServer; db: pg.Pool; redis: Redis; channelId: string },
): Promise<PhaseResult> {
  const before = await scrapeRunner(ctx.runner.url);
  const countersBefore = await serverCounters(ctx.db, ctx.redis, settings.database);
  const duplicatesBefore = ctx.callbacks.duplicates;
  const cpuStart = snapshotCpu(runnerPids(), settings.database);
  const load = mode === 'open' ? await openLoop(ctx.client, name, amount, seconds) : await closedLoop(ctx.client, name, amount, seconds);
  const cpuEnd = snapshotCpu(runnerPids(), settings.database);
  const atWindowEnd = await scrapeRunner(ctx.runner.url).catch(() => null);
  await drain(load, ctx.callbacks.arrivals);
  const cpuDrained = snapshotCpu(runnerPids(), settings.database);
  const after = await scrapeRunner(ctx.runner.url);

  const endToEnd: number[] = [];
  let lastReply = load.endedAt;
  let inWindow = 0;
  for (const [id, sentAt] of load.accepted) {
    const arrived = ctx.callbacks.arrivals.get(id);
    if (arrived === undefined) continue;
    endToEnd.push(arrived - sentAt);
    lastReply = Math.max(lastReply, arrived);
    if (arrived <= load.endedAt) inWindow++;
  }
  const windowSeconds = (load.endedAt - load.startedAt) / 1000;
  const ids = [...load.accepted.keys()];
  const missing = ids.length - endToEnd.length;
  const failed = Object.values(load.failures).reduce((a, b) => a + b, 0);
  const ack = summarize(load.ackMs);
  const e2e = summarize(endToEnd);
  const pick = (s: ReturnType<typeof summarize>) => ({ p50: round(s.p50), p99: round(s.p99), max: round(s.max) });
  const persisted = await persistence(ctx.db, ctx.channelId, ids, endToEnd.length);
  // pg_stat_database is fed by backends at most once a second: let the last second's counts arrive.
  await sleep(1_100);
  const countersAfter = await serverCounters(ctx.db, ctx.redis, settings.database);
  const perMessage = (from: number | null, to: number | null) => (from === null || to === null || ids.length === 0 ? null : round((to - from) / ids.length, 1));
  return {
    phase: name,
    mode,
    offered: mode === 'open' ? amount : null,
    senders: mode === 'closed' ? amount : null,
    sent: load.sent,
    accepted: ids.length,
    windowSeconds: round(windowSeconds, 2) ?? 0,
    ingressPerSecond: Math.round(ids.length / windowSeconds),
    repliesPerSecond: Math.round(inWindow / windowSeconds),
    ackMs: pick(ack),
    ackP99BySecond: p99BySecond(load.ackMs, load.ackSentMs),
    endToEndMs: pick(e2e),
    generatorLagP99Ms: round(summarize(load.lagMs).p99),
    failures: load.failures,
    missingReplies: missing,
    errors: failed + missing,
    duplicateReplies: ctx.callbacks.duplicates - duplicatesBefore,
    drainSeconds: round((lastReply - load.endedAt) / 1000, 2) ?? 0,
    // Below 1 s of drain the rate is mostly noise.
    drainRepliesPerSecond: lastReply - load.endedAt >= 1000 ? Math.round((endToEnd.length - inWindow) / ((lastReply - load.endedAt) / 1000)) : null,
    backlogAtWindowEnd: atWindowEnd?.depth ?? null,
    backlogAtStart: before.depth,
    persisted,
    cpuPercent: cpuBetween(cpuStart, cpuEnd),
    drainCpuPercent: cpuBetween(cpuEnd, cpuDrained),
    perMessage: {
      pgCommits: perMessage(countersBefore.commits, countersAfter.commits),
      pgRowsWritten: perMessage(countersBefore.written, countersAfter.written),
      redisCommands: perMessage(countersBefore.redisCommands, countersAfter.redisCommands),
      cpuMs: cpuMsPer(cpuStart, cpuDrained, ids.length),
    },
    step: stepLatencyBetween(before, after),
    runnerEventLoopLagP99Ms: round(atWindowEnd?.eventLoopLagP99Ms ?? null),
  };
}

function table(headers: string[], rows: (string | number | null)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === null ? '-' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** "yes", or what is short: events not stored are lost; stored events without a sent reply are still queued. */
function persistedLabel(r: PhaseResult): string {
  if (r.persisted.everyAcceptedPersisted) return 'yes';
  const lost = r.accepted - r.persisted.stored;
  return lost > 0 ? `LOST ${lost}/${r.accepted}` : `stored; sent ${r.persisted.outboxSent}/${r.accepted}`;
}

function p99BySecond(values: number[], sentMs: number[]): (number | null)[] {
  const seconds: number[][] = [];
  values.forEach((v, i) => (seconds[Math.floor((sentMs[i] ?? 0) / 1000)] ??= []).push(v));
  return Array.from(seconds, (s) => round(summarize(s ?? []).p99));
}

function offeredLabel(r: PhaseResult): string {
  return r.mode === 'open' ? `${r.offered}/s` : `${r.senders} conc`;
}

function printPhase(r: PhaseResult): void {
  const failures = Object.entries(r.failures)
    .map(([k, v]) => `${k}×${v}`)
    .join(', ');
  console.log(
    `  ${r.phase.padEnd(7)} offered ${offeredLabel(r)}: ingress ${r.ingressPerSecond}/s, replies ${r.repliesPerSecond}/s, ` +
      `ack p50/p99 ${r.ackMs.p50}/${r.ackMs.p99} ms, e2e p50/p99 ${r.endToEndMs.p50}/${r.endToEndMs.p99} ms, ` +
      `errors ${r.errors}${failures ? ` (${failures})` : ''}${r.missingReplies ? ` (${r.missingReplies} replies missing)` : ''}, ` +
      `${r.duplicateReplies ? `${r.duplicateReplies} duplicate replies, ` : ''}drain ${r.drainSeconds} s, persisted ${persistedLabel(r)}`,
  );
  console.log(`          ack p99 by second (ms): ${r.ackP99BySecond.map((v) => v ?? '-').join(' ')}`);
}

function verdicts(results: PhaseResult[]): string[] {
  const lines: string[] = [];
  const at1000 = results.find((r) => r.mode === 'open' && r.offered === 1000);
  const best = results
    .filter((r) => r.phase !== 'warmup' && r.errors === 0 && r.persisted.everyAcceptedPersisted)
    .sort((a, b) => b.repliesPerSecond - a.repliesPerSecond)[0];
  const capacity = Math.max(0, ...results.map((r) => r.drainRepliesPerSecond ?? 0));
  if (at1000) {
    // Sustained: the pipeline kept up (replies within the window at >= 98% of the offer), nothing failed, all persisted.
    const ok = at1000.repliesPerSecond >= 980 && at1000.ingressPerSecond >= 980 && at1000.errors === 0 && at1000.persisted.everyAcceptedPersisted;
    lines.push(`>= 1000 msg/s sustained, every message persisted: ${ok ? 'MET' : 'MISSED'} (ingress ${at1000.ingressPerSecond}/s, replies ${at1000.repliesPerSecond}/s, errors ${at1000.errors}, drain ${at1000.drainSeconds} s)`);
  }
  if (best) lines.push(`highest offered rate answered without errors: ${best.phase} (replies ${best.repliesPerSecond}/s within the window, drain ${best.drainSeconds} s)`);
  if (capacity > 0) lines.push(`processing capacity seen while draining: ${capacity} replies/s`);
  const at500 = results.find((r) => r.mode === 'open' && r.offered === 500);
  if (at500) {
    lines.push(`500 msg/s ack p99 <= 20 ms: ${(at500.ackMs.p99 ?? Infinity) <= 20 ? 'MET' : 'MISSED'} (${at500.ackMs.p99} ms)`);
    lines.push(`500 msg/s end-to-end p99 <= 100 ms: ${(at500.endToEndMs.p99 ?? Infinity) <= 100 ? 'MET' : 'MISSED'} (${at500.endToEndMs.p99} ms)`);
  }
  return lines;
}

async function main(): Promise<void> {
  const started = Date.now();
  mkdirSync(resultsDir, { recursive: true });
  const logFile = join(resultsDir, `${stamp}-runner.log`);
  console.log(`signalbox bench: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), node ${process.version}`);
  console.log(
    `  rates ${settings.rates.join(', ')} msg/s and max (${settings.maxSenders} senders), ${settings.seconds} s each, ` +
      `${settings.conversations} conversations, WORKER_CONCURRENCY=${settings.workerConcurrency}` +
      (settings.databaseSettings ? `, database settings ${settings.databaseSettings}` : '') +
      (process.env.BENCH_NO_REDIS === '1' ? ', WITHOUT Redis (in-process queue)' : `, QUEUE_DRIVER=${process.env.QUEUE_DRIVER || 'bullmq'}`),
  );

  const databaseUrl = await freshDatabase(settings.postgresUrl, settings.database);
  await freshRedis(settings.redisUrl);
  const speed = await measureMachineSpeed(databaseUrl);
  console.log(
    `  machine speed: reference work ${speed.referenceMs} ms, Postgres round trip ${speed.postgresRoundTripUs} µs (lower is faster; ` +
      'compare runs across machines by these)',
  );
  const port = await freePort();
  const secretKey = randomBytes(32).toString('base64url');
  if (process.env.BENCH_SPLIT === '1') {
    processor = new RunnerProcess({
      databaseUrl,
      redisUrl: settings.redisUrl,
      port: await freePort(),
      workerConcurrency: settings.workerConcurrency,
      logFile: logFile.replace(/\.log$/, '-processor.log'),
      roles: 'worker,sender',
      secretKey,
    });
  }
  runner = new RunnerProcess({
    databaseUrl,
    redisUrl: settings.redisUrl,
    port,
    workerConcurrency: settings.workerConcurrency,
    logFile,
    secretKey,
    ...(processor ? { roles: 'ingress' } : {}),
  });
  await processor?.start((code) => {
    console.error(`\nthe processor exited unexpectedly (code ${code})`);
    process.exit(1);
  });
  await runner.start((code) => {
    // Give the log stream a moment to take the runner's last words before quoting them.
    setTimeout(() => {
      const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-10).join('\n');
      console.error(`\nthe runner exited unexpectedly (code ${code}); its log ${logFile} ends:\n${tail}`);
      process.exit(1);
    }, 200);
  });
  console.log(`  runner pid ${runner.pid} on ${runner.url}, log ${logFile}${processor ? ` (ingress; worker,sender in pid ${processor.pid})` : ''}`);

  callbacks = new CallbackServer();
  const callbackPort = await callbacks.listen();
  const flow = await runner.cli<{ id: string }>(['flows', 'import', join(REPO_ROOT, 'examples/flows/echo.json'), '--publish', '--name', 'Bench echo']);
  const channel = await runner.cli<{ id: string; secret: string }>([
    'channels',
    'add',
    '--type',
    'webhook',
    '--name',
    'bench',
    '--callback-url',
    `http://127.0.0.1:${callbackPort}/cb`,
    '--flow',
    flow.id,
  ]);
  callbacks.secret = channel.secret;
  // Enough sockets that the open loop never waits for a free one at the offered rates.
  client = new WebhookClient(runner.url, channel.id, channel.secret, Math.max(256, settings.maxSenders), settings.conversations);
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: 1 });
  const ctx = { runner, client, callbacks, db, redis, channelId: channel.id };

  // The cores are shared with whatever else runs on this machine: say how busy they were before we started.
  const quietStart = snapshotCpu(runnerPids(), settings.database);
  await sleep(2_000);
  const background = cpuBetween(quietStart, snapshotCpu(runnerPids(), settings.database));
  console.log(`  before the load: machine ${background.machineBusy ?? '?'}% busy, of it other processes ${background.other ?? '?'}% of one core`);
  if ((background.other ?? 0) > 20) console.log('  WARNING: other processes compete for the cores; the numbers below understate the runner');

  const results: PhaseResult[] = [];
  const record = (r: PhaseResult) => {
    results.push(r);
    printPhase(r);
  };
  console.log('');
  if (settings.warmup) {
    // One message per conversation: contacts and conversations are created here, not inside the measured phases.
    const rate = 250;
    record(await runPhase('warmup', 'open', rate, settings.conversations / rate, ctx));
  }
  for (const rate of settings.rates) record(await runPhase(`r${rate}`, 'open', rate, settings.seconds, ctx));
  if (settings.max) record(await runPhase('max', 'closed', settings.maxSenders, settings.seconds, ctx));

  console.log('\nResults (latencies in ms; ack = webhook answered, e2e = send -> reply at the callback)\n');
  console.log(
    table(
      ['phase', 'offered', 'ingress/s', 'replies/s', 'ack p50', 'ack p99', 'e2e p50', 'e2e p99', 'errors', 'drain s', 'drain/s', 'persisted'],
      results.map((r) => [
        r.phase,
        offeredLabel(r),
        r.ingressPerSecond,
        r.repliesPerSecond,
        r.ackMs.p50,
        r.ackMs.p99,
        r.endToEndMs.p50,
        r.endToEndMs.p99,
        r.errors,
        r.drainSeconds,
        r.drainRepliesPerSecond,
        persistedLabel(r),
      ]),
    ),
  );
  console.log(
    '\nreplies/s = replies within the sending window; drain/s = replies per second after it (processing capacity with ingress quiet)\n' +
      'errors = non-202 answers + replies missing after the drain wait; persisted = every accepted event is in inbound_event\n' +
      'and its reply\'s outbox row is sent ("stored; sent n" = none lost, the rest still queued when the drain wait ended)',
  );
  console.log(
    '\nWhere the time goes: CPU in % of one core over the sending window ("other" = processes not of this bench: the machine is shared),\n' +
      'and of runner/postgres while the backlog drained (shown when the drain took 0.5 s or more);\n' +
      'CPU ms (phases that drained), commits and Redis commands per accepted message from phase start to drained; step = interpreter only and loop lag = runner event loop, from /metrics (ms);\n' +
      'backlog = unprocessed inbound events / unsent outbox rows in the database\n',
  );
  console.log(
    table(
      ['phase', 'runner', 'postgres', 'redis', 'bench', 'other', 'machine', 'drain run/pg', 'cpu ms/msg run/pg/redis', 'pg commits/msg', 'redis cmds/msg', 'step p50', 'step p99', 'loop lag p99', 'gen lag p99', 'backlog start', 'backlog end'],
      results.map((r) => [
        r.phase,
        r.cpuPercent.runner,
        r.cpuPercent.postgres,
        r.cpuPercent.redis,
        r.cpuPercent.bench,
        r.cpuPercent.other,
        r.cpuPercent.machineBusy === null ? null : `${r.cpuPercent.machineBusy}%`,
        r.drainSeconds >= 0.5 ? `${r.drainCpuPercent.runner}/${r.drainCpuPercent.postgres}` : null,
        // Per message only when every message was processed: otherwise the unprocessed ones make it look cheap.
        r.perMessage.cpuMs && r.missingReplies === 0 ? `${r.perMessage.cpuMs.runner}/${r.perMessage.cpuMs.postgres}/${r.perMessage.cpuMs.redis}` : null,
        r.perMessage.pgCommits,
        r.perMessage.redisCommands,
        round(r.step?.p50Ms ?? null, 2),
        round(r.step?.p99Ms ?? null, 2),
        r.runnerEventLoopLagP99Ms,
        r.generatorLagP99Ms,
        `${r.backlogAtStart.inbound}/${r.backlogAtStart.outbox}`,
        r.backlogAtWindowEnd ? `${r.backlogAtWindowEnd.inbound}/${r.backlogAtWindowEnd.outbox}` : null,
      ]),
    ),
  );
  const runnerWarnings = readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{')).length;
  const summary = verdicts(results);
  console.log(`\nTargets (this machine: ${cpus().length} cores)\n${summary.map((l) => `  ${l}`).join('\n')}`);
  console.log(`  runner log lines at warn or above: ${runnerWarnings}`);

  const file = join(resultsDir, `${stamp}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        startedAt: new Date(started).toISOString(),
        durationSeconds: Math.round((Date.now() - started) / 1000),
        machine: { cores: cpus().length, cpu: cpus()[0]?.model.trim() ?? null, node: process.version, loadavg: loadavg(), speed },
        settings: { ...settings, postgresUrl: undefined },
        backgroundCpuPercent: background,
        results,
        targets: summary,
        runnerWarnings,
        runnerLog: logFile,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwritten ${file} (${Math.round((Date.now() - started) / 1000)} s)`);
}

main()
  .then(() => shutdown())
  .then(() => process.exit(0))
  .catch(async (error: unknown) => {
    console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
    await shutdown();
    process.exit(1);
  });
