import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import {
  ChannelRepository,
  claimChannelLeases,
  releaseChannelLeases,
  createPool,
  InboundLog,
  createPrisma,
  migrate,
  queueDepths,
  SecretBox,
  SentLog,
  seedDemoKnowledge,
  KnowledgeRepository,
  seedDemoTemplates,
  WorkspaceTranslationRepository,
  startEmbeddedDatabase,
  type EmbeddedDatabase,
  type Pool,
  type PrismaClient,
} from '@signalbox/db';
import type { RunnerConfig } from './config.ts';
import { createMetrics } from './metrics.ts';
import type { QueueDriver } from './queue/contract.ts';
import { InProcessQueue } from './queue/in-process.ts';
import { BullQueue } from './queue/bullmq.ts';
import { LeasedQueue } from './queue/leased.ts';
import { LocalRealtime, RedisRealtime, type Realtime } from './realtime.ts';
import { ChannelCache } from './channels/channel-cache.ts';
import { ChannelHealthLog } from './channels/channel-health.ts';
import type { ChannelLease } from './channels/channel-supervisor.ts';
import { createDelivery } from './channels/adapters.ts';
import { MqttConnector } from './channels/mqtt-connector.ts';
import { ImapConnector } from './channels/imap-connector.ts';
import { ConversationWorker } from './worker/conversation-worker.ts';
import { SPLIT, UNIFIED } from './queue/topology.ts';
import { OutboxSender } from './sender/outbox-sender.ts';
import { BackgroundLoops } from './timers/timer-poller.ts';
import { buildServer } from './ingress/server.ts';
import { MediaFetcher } from './media/fetcher.ts';
import { embeddingsFromEnv, glossaryFromEnv, knowledgeText, llmFromEnv, maskPiiDeep, translationProviderFromEnv } from '@signalbox/ai';
import { LanguageServices } from './language/language-services.ts';
import { KnowledgeEmbedder } from './language/knowledge-embedder.ts';
import { WorkspaceServiceCache } from './workspace-services.ts';
import { createLogger } from './logging.ts';
import { languageModels } from './language/models.ts';
import type { InboundFiles } from './media/inbound-files.ts';
import { LocalMediaStore, readThrough } from './media/store.ts';
import { ADMIN_TOKEN_PURPOSE } from './ingress/admin.ts';
import { registerDemoCallback } from './demo/callback.ts';
import { DEMO, seedDemo } from './demo/seed.ts';

/** A channel lease outlives three refreshes (10 s each): a stopped holder's channels move within 30 s. */
const LEASE_MS = 30_000;

/**
 * How long a delivered reply's "sent" mark waits for a commit to carry it before it is written alone. Under
 * load commits come every few milliseconds, and the marks then cost no statement of their own.
 */
const SENT_MARK_LINGER_MS = 5;
/** The ingress's own connections: its group commit keeps up to 3 INSERTs in flight. */
const INGRESS_POOL_SIZE = 4;

export type Role = 'ingress' | 'worker' | 'sender';
export const ALL_ROLES: readonly Role[] = ['ingress', 'worker', 'sender'];

export interface Runner {
  url: string;
  databaseUrl: string;
  embedded: boolean;
  seeded: boolean;
  queue: QueueDriver;
  pool: Pool;
  prisma: PrismaClient;
  secrets: SecretBox;
  log: Logger;
  server: FastifyInstance;
  /** Embeds knowledge articles in the background when EMBEDDINGS_* are set (a worker role); `round()` runs one now. */
  embedder: KnowledgeEmbedder | null;
  stop(): Promise<void>;
}

/** The key that seals channel secrets: SIGNALBOX_SECRET_KEY, or one generated once into the data folder. */
export function secretKey(config: RunnerConfig): string {
  if (config.SIGNALBOX_SECRET_KEY) return config.SIGNALBOX_SECRET_KEY;
  const file = join(config.SIGNALBOX_DATA_DIR, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.SIGNALBOX_DATA_DIR, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** Logs a failed run before the queue retries it, so transient failures are visible. */
function logged(log: Logger, queue: string, handler: (key: string) => Promise<void>) {
  return async (key: string) => {
    try {
      await handler(key);
    } catch (error) {
      log.warn({ err: error, queue, key }, 'job failed; it will be retried');
      throw error;
    }
  };
}

export async function openDatabase(config: RunnerConfig): Promise<{ url: string; embedded: EmbeddedDatabase | null }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: null };
  const embedded = await startEmbeddedDatabase(join(config.SIGNALBOX_DATA_DIR, 'pgdata'));
  return { url: embedded.url, embedded };
}

/**
 * Starts a runner process in one role, or all of them: the embedded default with no settings, Postgres with
 * DATABASE_URL, BullMQ with REDIS_URL. Split roles need Redis (the in-process queue does not cross processes).
 */
export async function startRunner(config: RunnerConfig, roles: readonly Role[] = ALL_ROLES, log: Logger = createLogger(config.LOG_LEVEL)): Promise<Runner> {
  const has = (role: Role) => roles.includes(role);
  const everything = ALL_ROLES.every(has);
  const named = roles.join(',');
  if (!everything && !config.REDIS_URL) throw new Error(`--role ${named} needs REDIS_URL: separate roles share work through Redis`);
  if (!everything && !config.DATABASE_URL) throw new Error(`--role ${named} needs DATABASE_URL: the embedded database serves one process group`);
  if (!everything && config.QUEUE_DRIVER === 'leased') throw new Error(`--role ${named} needs QUEUE_DRIVER=bullmq: with QUEUE_DRIVER=leased, work stays in the process that holds every role`);
  const translationProvider = translationProviderFromEnv(config);
  const llm = llmFromEnv(config);
  const embeddings = embeddingsFromEnv(config);
  const database = await openDatabase(config);
  const pool = createPool(database.url, config.DB_POOL_SIZE, { prepared: !database.embedded });
  // The ingress insert and the worker's statements on connections that keep one plan per statement (the
  // sender's `mark_sent_batch` ran five times slower on its generic plan, so the sender keeps the default).
  const hotPool = database.embedded ? pool : createPool(database.url, config.DB_POOL_SIZE, { prepared: true, genericPlans: true });
  // The ingress has connections of its own, so a busy worker cannot make a webhook's answer wait for one.
  const ingressPool = database.embedded ? pool : createPool(database.url, INGRESS_POOL_SIZE, { prepared: true, genericPlans: true });
  // One log for every way in (webhooks, MQTT, IMAP), so their events share INSERTs.
  const inbound = new InboundLog(ingressPool);
  const prisma = createPrisma(database.url);
  const secrets = new SecretBox(secretKey(config));
  await migrate(pool);
  const publicUrl = config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`;
  const seeded = await seedDemo(prisma, secrets, `${publicUrl}/demo/callback`);
  // Only with a fresh demo: on every start it would bring back articles the shop deleted.
  if (seeded) {
    await seedDemoKnowledge(pool, DEMO.workspaceId, knowledgeText);
    await seedDemoTemplates(pool, DEMO.workspaceId);
  }
  /** This process's address, known once it listens (PORT=0 picks one). */
  let listening = publicUrl;

  const queue: QueueDriver = !config.REDIS_URL
    ? new InProcessQueue()
    : config.QUEUE_DRIVER === 'leased'
      ? new LeasedQueue(config.REDIS_URL, config.SIGNALBOX_QUEUE_PREFIX)
      : new BullQueue(config.REDIS_URL, config.SIGNALBOX_QUEUE_PREFIX);
  const realtime: Realtime = config.REDIS_URL ? new RedisRealtime(config.REDIS_URL, `${config.SIGNALBOX_QUEUE_PREFIX}:rt:`) : new LocalRealtime();
  const metrics = createMetrics(() => queueDepths(pool));
  // Media (fetched platform files and web chat uploads): S3 when a bucket is set, else the local folder.
  const mediaDir = join(config.SIGNALBOX_DATA_DIR, 'media');
  const localMedia = new LocalMediaStore(mediaDir);
  // The AWS SDK is loaded only when a bucket is configured (it adds a quarter of a second to every start).
  const s3Media = config.S3_BUCKET
    ? new (await import('./media/s3-store.ts')).S3MediaStore({
        bucket: config.S3_BUCKET,
        endpoint: config.S3_ENDPOINT,
        region: config.S3_REGION,
        accessKeyId: config.S3_ACCESS_KEY_ID,
        secretAccessKey: config.S3_SECRET_ACCESS_KEY,
        forcePathStyle: config.S3_FORCE_PATH_STYLE,
      })
    : null;
  // Files that arrive inside a request (email attachments), stored where fetched media go.
  const files: InboundFiles = {
    store: s3Media ?? localMedia,
    incomingDir: join(mediaDir, '.incoming'),
    publicBase: () => (config.PUBLIC_URL ?? listening).replace(/\/+$/, ''),
    metrics,
    log,
  };
  const channels = new ChannelCache(new ChannelRepository(prisma, secrets));
  // A process that both runs flows and sends handles each conversation's replies in the same job.
  const topology = has('worker') && has('sender') ? UNIFIED : SPLIT;
  const loops = new BackgroundLoops(pool, queue, topology, log);
  const health = new ChannelHealthLog(pool, log);
  // One delivery for the sender and the admin API's test messages, so both count against the same rate limits.
  // MQTT channels: subscriptions in processes with the ingress role, publishers wherever the sender runs.
  // MQTT subscriptions and IMAP pollers run in one ingress process per channel at a time (a lease per
  // channel, renewed every refresh, taken over when it expires): two sessions on one broker client id or one
  // mailbox would only fight.
  const leaseOwner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const lease = (kind: string): ChannelLease => ({
    claim: (ids) => claimChannelLeases(pool, `${leaseOwner}:${kind}`, ids, LEASE_MS),
    release: () => releaseChannelLeases(pool, `${leaseOwner}:${kind}`),
  });
  const mqtt = new MqttConnector({ repository: new ChannelRepository(prisma, secrets), lease: lease('mqtt'), accept: { inbound, queue, topology, metrics, log }, health, log });
  const deliver = createDelivery(realtime, undefined, mqtt.publishers);
  // Email channels with an IMAP host: one mailbox poller each, in processes with the ingress role.
  const imap = new ImapConnector({ repository: new ChannelRepository(prisma, secrets), lease: lease('imap'), accept: { inbound, queue, topology, metrics, log, files }, health, log });

  const server = await buildServer({
    pool,
    inbound,
    queue,
    topology,
    channels,
    health,
    files,
    deliver,
    adminToken: secrets.derive(ADMIN_TOKEN_PURPOSE),
    publicUrl: config.PUBLIC_URL,
    localUrl: () => listening,
    metrics,
    realtime,
    log,
    bodyLimit: config.BODY_LIMIT_BYTES,
    mediaDir,
    media: s3Media ? readThrough(s3Media, localMedia) : localMedia,
    ingress: has('ingress'),
    ready: async () => {
      const checks: Record<string, string> = {};
      try {
        await pool.query('SELECT 1');
        checks.database = 'ok';
      } catch (error) {
        checks.database = (error as Error).message;
      }
      try {
        await queue.depth(topology.inbound);
        checks.queue = 'ok';
      } catch (error) {
        checks.queue = (error as Error).message;
      }
      return { ok: Object.values(checks).every((v) => v === 'ok'), checks };
    },
  });
  registerDemoCallback(server);
  /** Closes what the process opened, the database last. */
  const release = async () => {
    await queue.close();
    await realtime.close();
    await prisma.$disconnect();
    await pool.end();
    if (hotPool !== pool) await hotPool.end();
    if (ingressPool !== pool) await ingressPool.end();
    await database.embedded?.stop();
    s3Media?.close();
  };
  let address: string;
  try {
    address = await server.listen({ port: config.PORT, host: config.HOST });
    listening = address.replace('0.0.0.0', '127.0.0.1');
  } catch (error) {
    // Nothing has started working yet: release the database and say why.
    await release();
    throw new Error(`cannot listen on ${config.HOST}:${config.PORT}: ${(error as Error).message}`);
  }

  // Flows' language nodes: models load on first use; translation through the configured provider, if any.
  const language = new LanguageServices({
    pool,
    provider: translationProvider,
    llm,
    embeddings,
    glossary: glossaryFromEnv(config),
    translationSettings: new WorkspaceTranslationRepository(pool, secrets),
    models: languageModels(pool, log),
    log,
  });
  const workspaces = new WorkspaceServiceCache(pool, language);
  const mediaFetcher = has('worker')
    ? new MediaFetcher({ ...files, timeoutMs: config.MEDIA_FETCH_TIMEOUT_MS })
    : null;
  const unified = topology === UNIFIED;
  // With every role in one process, a delivered reply's mark waits a moment for the next commit to carry it.
  const sentLog = new SentLog(pool, unified && has('worker') ? SENT_MARK_LINGER_MS : 0);
  const sender =
    has('sender') ? new OutboxSender(pool, queue, topology, channels, deliver, metrics, log, config.SEND_MAX_ATTEMPTS, sentLog) : null;
  const worker =
    has('worker')
      ? new ConversationWorker(
          hotPool,
          queue,
          topology,
          channels,
          metrics,
          log,
          unified && sender ? { send: (rows) => sender.sendClaimed(rows), sent: sentLog } : null,
          (workspaceId) => workspaces.forWorkspace(workspaceId),
          mediaFetcher,
        )
      : null;
  if (worker && config.MASK_STORED_PII) worker.storedMask = (value) => maskPiiDeep(value);
  if (worker && sender) {
    // One process with every role: a conversation's flow work and its replies, in one job. Replies are
    // sent as each event commits; the sender's own drain runs only when some were left waiting.
    const handle = async (key: string) => {
      try {
        if (await worker.drain(key)) await sender.drain(key);
      } finally {
        // The job ends once its replies are recorded as sent: whoever takes the conversation next reads them so.
        await sender.settled(key);
      }
    };
    queue.process(topology.inbound, logged(log, topology.inbound, handle), { concurrency: config.WORKER_CONCURRENCY });
  } else if (worker) {
    queue.process(topology.inbound, logged(log, topology.inbound, (key) => worker.drain(key).then(() => undefined)), { concurrency: config.WORKER_CONCURRENCY });
  } else if (sender) {
    queue.process(topology.outbound, logged(log, topology.outbound, (key) => sender.drain(key)), { concurrency: config.SENDER_CONCURRENCY });
  }
  if (worker) {
    loops.startTimers();
    loops.startInboundSweep();
  }
  // Knowledge articles get embeddings in the background when a provider is set (any worker may do it: the work
  // list is the database's, and an article embedded twice is only stored again).
  const embedder = worker && embeddings ? new KnowledgeEmbedder(new KnowledgeRepository(pool, knowledgeText), embeddings, log) : null;
  embedder?.start();
  if (sender) loops.startOutboundSweep();
  if (has('ingress')) await mqtt.start();
  if (has('ingress')) await imap.start();


  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      loops.stop();
      await embedder?.stop();
      // Before the database closes: a publication being stored finishes (and is acknowledged) first.
      await mqtt.stop();
      await imap.stop();
      await server.close();
      await health.flush();
      await release();
      await mediaFetcher?.close();
    })();
    return stopping;
  };

  return { url: address, databaseUrl: database.url, embedded: database.embedded !== null, seeded, queue, pool, prisma, secrets, log, server, embedder, stop };
}
