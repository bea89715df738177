import { createPool, createPrisma, type Pool, type PrismaClient } from '@signalbox/db/app';

// One client per server process; Next's dev server re-evaluates modules on every edit, so it lives on globalThis.
const holder = globalThis as typeof globalThis & { signalboxPrisma?: PrismaClient; signalboxPool?: Pool };

export function prisma(): PrismaClient {
  if (holder.signalboxPrisma) return holder.signalboxPrisma;
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: start the web app with `npm start` (it passes the embedded database) or set DATABASE_URL');
  holder.signalboxPrisma = createPrisma(url);
  return holder.signalboxPrisma;
}

/**
 * Plain SQL connections, for the stores that use features Prisma does not model (full-text search, the knowledge
 * base, intents, templates, the translation memory); opened when first needed.
 */
export function pool(): Pool {
  if (holder.signalboxPool) return holder.signalboxPool;
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: start the web app with `npm start` (it passes the embedded database) or set DATABASE_URL');
  holder.signalboxPool = createPool(url, 3);
  return holder.signalboxPool;
}

/** Closes the plain SQL connections (tests, which point DATABASE_URL at a database of their own). */
export async function closePool(): Promise<void> {
  const open = holder.signalboxPool;
  holder.signalboxPool = undefined;
  await open?.end();
}
