import { join } from 'node:path';
import { z } from 'zod';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  HOST: z.string().default('127.0.0.1'),
  WEB_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  SIGNALBOX_DATA_DIR: z.string().default(join(process.cwd(), '.signalbox')),
  SIGNALBOX_SECRET_KEY: z.string().min(16).optional(),
  PUBLIC_URL: z.string().url().optional(),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(96),
  SENDER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Redis key prefix for queues, locks and realtime; lets several installs (or test runs) share one Redis. */
  SIGNALBOX_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_:-]+$/).default('signalbox'),
  /**
   * With REDIS_URL, how a process that holds every role queues its conversations: `bullmq` (a job per message,
   * any process may run it) or `leased` (jobs stay in the process, a Redis lease per conversation keeps processes
   * apart; less CPU and latency). Split roles always use BullMQ. Every process of an install must use the same.
   */
  QUEUE_DRIVER: z.enum(['bullmq', 'leased'], { error: 'bullmq or leased' }).default('bullmq'),
  SEND_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** How long a message's media may take to fetch before the flow runs with the platform's reference instead. */
  MEDIA_FETCH_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
  /**
   * Mask customers' emails, phone numbers, card numbers, IBANs, IPs … in the messages and events the database keeps
   * (flows still read the real text; thread ids and contact names stay, as replies need them).
   */
  MASK_STORED_PII: z
    .enum(['true', 'false', '1', '0'], { error: 'true or false' })
    .optional()
    .transform((value) => value === 'true' || value === '1'),
  /** Media in an S3 bucket (AWS or S3-compatible) instead of SIGNALBOX_DATA_DIR/media. */
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_ENDPOINT: z.string().url().regex(/^https?:\/\//, 'an http(s) URL, like http://minio:9000').optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false', '1', '0'], { error: 'true or false' })
    .optional()
    .transform((value) => value === 'true' || value === '1'),
  /**
   * Translation (the translate node): openai | deepl | libretranslate | google, with its key, its base URL
   * (a self-hosted LibreTranslate, a proxy, an OpenAI-compatible server) and model. Unset: translation says
   * clearly that no provider is configured; everything else works offline.
   */
  TRANSLATION_PROVIDER: z.enum(['openai', 'deepl', 'libretranslate', 'google']).optional(),
  TRANSLATION_API_KEY: z.string().min(1).optional(),
  TRANSLATION_BASE_URL: z.string().url().optional(),
  TRANSLATION_MODEL: z.string().min(1).optional(),
  /** Terms never translated (brand and product names), comma-separated. */
  TRANSLATION_GLOSSARY: z.string().optional(),
  /**
   * The LLM answer node's OpenAI-compatible chat API (base URL with its version path), key, model and per-attempt
   * timeout; checked by `llmFromEnv`, which names the variable at fault. Unset: the node says no LLM is set.
   */
  LLM_BASE_URL: z.string().optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().optional(),
  LLM_TIMEOUT_MS: z.string().optional(),
  /**
   * Embeddings (any OpenAI-compatible /embeddings API): knowledge articles are embedded in the background and a
   * question full-text search cannot answer is looked up by meaning. Checked by `embeddingsFromEnv`.
   */
  EMBEDDINGS_BASE_URL: z.string().optional(),
  EMBEDDINGS_API_KEY: z.string().optional(),
  EMBEDDINGS_MODEL: z.string().optional(),
  EMBEDDINGS_MIN_SIMILARITY: z.string().optional(),
}).superRefine((env, ctx) => {
  if ((env.S3_ACCESS_KEY_ID === undefined) !== (env.S3_SECRET_ACCESS_KEY === undefined)) {
    ctx.addIssue({ code: 'custom', path: [env.S3_ACCESS_KEY_ID === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY'], message: 'give both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither' });
  }
  if (env.S3_BUCKET === undefined && (env.S3_ENDPOINT !== undefined || env.S3_ACCESS_KEY_ID !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'S3 settings are given but no S3_BUCKET' });
  }
});

export type RunnerConfig = z.infer<typeof Env>;

/** Reads settings from the environment; a bad value stops the start with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): RunnerConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid settings:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
