import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createPool, createPrisma, createWorkspace, hashPassword, migrate, type PrismaClient } from '@signalbox/db';
import { freshDatabase } from '@signalbox/db/testing';

// The web app as users get it: a production build (`next build`, run by the test command before the tests)
// served by `next start` over a fresh Postgres database, driven through Debian's Chromium. A missing build or
// browser fails the tests instead of skipping them.

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = resolve(WEB, '../..');
export const SCREENSHOTS = join(ROOT, 'screenshots', 'web');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
export const PASSWORD = 'correct horse battery';

export const PEOPLE = {
  owner: { email: 'owner@shop.test', name: 'Olivia Owner' },
  editor: { email: 'editor@shop.test', name: 'Eddie Editor' },
  viewer: { email: 'viewer@shop.test', name: 'Vera Viewer' },
} as const;

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface WebApp {
  baseUrl: string;
  databaseUrl: string;
  prisma: PrismaClient;
  workspaceId: string;
  browser: Browser;
  /** A new browser context signed in as `who` (through the sign-in page), on `path`. */
  signedIn(who: keyof typeof PEOPLE, path?: string): Promise<Page>;
  screenshot(page: Page, name: string): Promise<void>;
  log(): string;
  stop(): Promise<void>;
}

/** The key the web app seals channel credentials with in tests (the runner's key in production). */
export const WEB_TEST_SECRET_KEY = 'web test secret key, long enough';

/** `runnerUrl`: the runner admin API the web app calls (a test's stand-in); nothing answers by default. */
export async function startWebApp(options: { runnerUrl?: string } = {}): Promise<WebApp> {
  // WEB_E2E_DEV=1 serves with `next dev` instead of the production build: slower pages, no build between edits.
  const dev = process.env.WEB_E2E_DEV === '1';
  if (!dev && !existsSync(join(WEB, '.next', 'BUILD_ID'))) throw new Error('apps/web has no production build: the test command runs `turbo run build` first (or run `npm run build -w @signalbox/web`)');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const db = await freshDatabase('sbx_web_e2e');
  const pool = createPool(db.url);
  await migrate(pool);
  await pool.end();
  const prisma = createPrisma(db.url);
  const workspaceId = await createWorkspace(prisma, 'Example Shop');
  for (const [role, person] of Object.entries(PEOPLE)) {
    await prisma.user.create({ data: { workspaceId, email: person.email, name: person.name, role, passwordHash: hashPassword(PASSWORD) } });
  }

  const port = await freePort();
  const output: string[] = [];
  const child: ChildProcess = spawn(join(ROOT, 'node_modules/.bin/next'), [dev ? 'dev' : 'start', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: WEB,
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      NEXT_TELEMETRY_DISABLED: '1',
      ...(dev ? { NEXT_DIST_DIR: `.next-dev/${process.pid}` } : {}),
      RUNNER_URL: options.runnerUrl ?? 'http://127.0.0.1:9',
      RUNNER_PUBLIC_URL: 'https://bot.example-shop.test',
      SIGNALBOX_SECRET_KEY: WEB_TEST_SECRET_KEY,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => output.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (dev ? 120_000 : 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited: ${output.join('')}`);
    const ok = await fetch(`${baseUrl}/sign-in`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`next start did not answer within 60 s: ${output.join('')}`);
    await new Promise((r) => setTimeout(r, 250));
  }

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    baseUrl,
    databaseUrl: db.url,
    prisma,
    workspaceId,
    browser,
    async signedIn(who, path = '/flows') {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: baseUrl });
      const page = await context.newPage();
      await page.goto(`/sign-in?next=${encodeURIComponent(path)}`);
      await page.getByLabel('Email').fill(PEOPLE[who].email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => url.pathname === path.split('?')[0]);
      return page;
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
    },
    log: () => output.join(''),
    async stop() {
      await browser.close().catch(() => undefined);
      child.kill('SIGTERM');
      await prisma.$disconnect();
      await db.drop();
    },
  };
}
