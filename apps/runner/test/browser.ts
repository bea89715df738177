import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The product as a user runs it: `signalbox start` in a child process, driven through Debian's Chromium.
// Browsers are never downloaded here (see DESIGN.md §8), so a missing Chromium fails the test instead of
// skipping it: a browser test that silently does not run proves nothing.

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCREENSHOTS = join(ROOT, 'screenshots');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
// The first start migrates and seeds: 13 s on an idle 2-core machine, 45 s on a busy one.
export const READY_TIMEOUT_MS = 90_000;

/** A `signalbox start --no-web` child process with its output kept for failure messages. */
export class Product {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(
    readonly baseUrl: string,
    port: number,
    dataDir: string,
  ) {
    this.child = spawn(process.execPath, [join(ROOT, 'bin/signalbox.mjs'), 'start', '--no-web'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), SIGNALBOX_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolveExit) => this.child.once('exit', (code, signal) => resolveExit({ code, signal })));
  }

  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  log() {
    return this.output.join('').trim() || '(no output)';
  }

  /** The first start migrates and seeds the embedded database, which takes a while. */
  async waitUntilReady() {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`signalbox start exited before it was ready:\n${this.log()}`);
      const status = await fetch(`${this.baseUrl}/readyz`).then((r) => r.status, () => 0);
      if (status === 200) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`/readyz was not 200 within ${READY_TIMEOUT_MS / 1000} s:\n${this.log()}`);
  }

  /** Sends SIGTERM and resolves with the exit code, or null when the process did not exit in time. */
  async terminate(timeoutMs: number) {
    if (!this.running) return (await this.exited).code;
    this.child.kill('SIGTERM');
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
    const result = await Promise.race([this.exited, timeout]);
    return result === 'timeout' ? null : result.code;
  }

  kill() {
    if (this.running) this.child.kill('SIGKILL');
  }
}
