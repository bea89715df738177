import { createPrisma, type PrismaClient } from '@signalbox/db/app';

// One client per server process; Next's dev server re-evaluates modules on every edit, so it lives on globalThis.
const holder = globalThis as typeof globalThis & { signalboxPrisma?: PrismaClient };

export function prisma(): PrismaClient {
  if (holder.signalboxPrisma) return holder.signalboxPrisma;
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: start the web app with `npm start` (it passes the embedded database) or set DATABASE_URL');
  holder.signalboxPrisma = createPrisma(url);
  return holder.signalboxPrisma;
}
