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
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32),
  SENDER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Redis key prefix for queues, locks and realtime; lets several installs (or test runs) share one Redis. */
  SIGNALBOX_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_:-]+$/).default('signalbox'),
  SEND_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
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
