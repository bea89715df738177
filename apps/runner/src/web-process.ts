import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { RunnerConfig } from './config.ts';

const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../web');

/** Starts the Next.js web app beside the runner (the embedded default runs both from one command). */
export async function startWeb(config: RunnerConfig, databaseUrl: string, secretKey: string, log: Logger): Promise<{ url: string; dev: boolean; stop(): Promise<void> } | null> {
  const nextBin = join(WEB_DIR, 'node_modules', '.bin', 'next');
  const rootNextBin = join(WEB_DIR, '..', '..', 'node_modules', '.bin', 'next');
  const bin = existsSync(nextBin) ? nextBin : rootNextBin;
  if (!existsSync(bin)) {
    log.warn('the web app is not installed (no next binary); run npm install');
    return null;
  }
  const built = existsSync(join(WEB_DIR, '.next', 'BUILD_ID'));
  const child: ChildProcess = spawn(bin, [built ? 'start' : 'dev', '--port', String(config.WEB_PORT), '--hostname', config.HOST], {
    cwd: WEB_DIR,
    // The web app seals channel credentials with the runner's key and shows the runner's public address.
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SIGNALBOX_SECRET_KEY: secretKey,
      RUNNER_URL: `http://127.0.0.1:${config.PORT}`,
      RUNNER_PUBLIC_URL: config.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`,
      NEXT_TELEMETRY_DISABLED: '1',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) log.warn({ code }, 'the web app exited');
  });
  return {
    url: `http://127.0.0.1:${config.WEB_PORT}`,
    dev: !built,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
