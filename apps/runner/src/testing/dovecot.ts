import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort } from './harness.ts';

/**
 * A private Dovecot IMAP server for one test: its own config, users, maildir and run folders under a temp
 * folder, listening on 127.0.0.1 and a free port, plain-text login without TLS, nothing of the system's Dovecot
 * (config, services, sockets) touched. Debian's `dovecot-imapd` (installed by .ci/run); a machine without it
 * fails the test with the command to run, never skips it.
 */
export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** A logged-in client for the test's own side (appending customer mail, reading flags). */
  client(): Promise<ImapFlow>;
  /** Stops the server (clients are disconnected); the mailbox stays. */
  down(): Promise<void>;
  /** Starts it again on the same port, with the same mailbox. */
  up(): Promise<void>;
  /** Stops it for good and removes its folder. */
  stop(): Promise<void>;
}

const BINARY_CANDIDATES = [process.env.DOVECOT_BIN, '/usr/sbin/dovecot', '/usr/local/sbin/dovecot'];
/** The config below is Dovecot 2.3's (Debian 12); 2.4 renamed most of these settings. */
const SUPPORTED_VERSION = /^2\.3\./;
/** Dovecot refuses uid 0 for mail access; as root, the mailbox belongs to `nobody`. */
const NOBODY = 65_534;

export async function startDovecot(options: { user?: string; password?: string } = {}): Promise<Dovecot> {
  const binary = dovecotBinary();
  const user = options.user ?? 'care@shop.example';
  const password = options.password ?? 'imap-test-password';
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'signalbox-dovecot-'));
  const config = join(dir, 'dovecot.conf');
  const logFile = join(dir, 'dovecot.log');
  writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
  writeFileSync(config, dovecotConfig(dir, port, logFile), { mode: 0o644 });
  mkdirSync(join(dir, 'mail'));
  if (isRoot()) {
    // Dovecot's auth process runs as the `dovecot` user and must reach the users file; the mail processes
    // run as `nobody` and must write the maildir.
    chmodSync(dir, 0o711);
    chownSync(join(dir, 'mail'), NOBODY, NOBODY);
  }

  let child: ChildProcess | null = null;
  let output = '';
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);
  const diagnostics = () => {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    return `${output}${log}`.trim().split('\n').slice(-15).join('\n');
  };

  const up = async () => {
    output = '';
    // Its own process group: Dovecot's master leaves its imap processes (and their clients) running when it
    // stops, and a stop must end the sessions as a real server restart does.
    const started = spawn(binary, ['-F', '-c', config], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child = started;
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<never>((_, reject) => {
      started.once('error', (error) => reject(new Error(`cannot run ${binary}: ${error.message}`)));
      started.once('exit', (code, signal) => reject(new Error(`Dovecot exited (${code ?? signal}) before it answered on port ${port}:\n${diagnostics()}`)));
    });
    exited.catch(() => undefined);
    await Promise.race([greeting(port, 15_000), exited]).catch((error: unknown) => {
      signalGroup(started, 'SIGKILL');
      throw new Error(`could not start the test Dovecot (${config}): ${error instanceof Error ? error.message : String(error)}\n${diagnostics()}`);
    });
  };

  const down = async () => {
    const running = child;
    child = null;
    if (!running) return;
    signalGroup(running, 'SIGTERM');
    // Every process of the group gone, the login processes holding the listening socket included, so the
    // port is free for `up()`. A login in progress holds the master up for seconds: a second is enough grace.
    const deadline = Date.now() + 1_000;
    while (groupAlive(running)) {
      if (Date.now() > deadline) signalGroup(running, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  try {
    await up();
  } catch (error) {
    process.removeListener('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    client: async () => {
      const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    },
    down,
    up,
    stop: async () => {
      await down();
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function dovecotBinary(): string {
  const binary = BINARY_CANDIDATES.find((candidate): candidate is string => Boolean(candidate && existsSync(candidate)));
  if (!binary) {
    throw new Error('Dovecot is not installed, and the IMAP tests need a real IMAP server: apt-get install -y dovecot-imapd (as .ci/run does), or set DOVECOT_BIN');
  }
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  if (!SUPPORTED_VERSION.test(version)) throw new Error(`the test Dovecot config is written for Dovecot 2.3 (Debian 12); ${binary} is "${version}"`);
  return binary;
}

/** Signals the Dovecot master and every process it started (they share its process group). */
function signalGroup(child: ChildProcess | null, signal: NodeJS.Signals): void {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function groupAlive(child: ChildProcess): boolean {
  if (!child.pid) return false;
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * As root, Dovecot's login and internal processes run as the Debian package's unprivileged `dovenull` and
 * `dovecot` users (it refuses to run them as root). As anyone else, everything runs as that user, without the
 * chroots only root may set up.
 */
function dovecotConfig(dir: string, port: number, logFile: string): string {
  const root = isRoot();
  const me = userInfo();
  const mailUid = root ? NOBODY : me.uid;
  const mailGid = root ? NOBODY : me.gid;
  return `# A private test instance (apps/runner/src/testing/dovecot.ts); no include of /etc/dovecot.
instance_name = signalbox-test-${port}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${logFile}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = ${root ? 'dovenull' : me.username}
default_internal_user = ${root ? 'dovecot' : me.username}
${root ? '' : `default_internal_group = ${groupName()}`}
first_valid_uid = 1
mail_location = maildir:${dir}/mail/%n
mail_fsync = never
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${mailUid} gid=${mailGid} home=${dir}/mail/%n
}
protocol imap {
  mail_max_userip_connections = 100
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
${root ? '' : '  chroot =\n'}}
${root ? '' : 'service anvil {\n  chroot =\n}\n'}`;
}

/** The current user's primary group by name: Dovecot looks service groups up by name. */
function groupName(): string {
  return spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
}

/** Resolves once the server sends its IMAP greeting (`* OK`), retrying refused connections until the deadline. */
async function greeting(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      let text = '';
      const done = (result: string) => {
        socket.destroy();
        resolve(result);
      };
      socket.setTimeout(2_000, () => done(`no greeting: ${text || 'silence'}`));
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.includes('\n')) done(text);
      });
      socket.on('error', (error) => done(error.message));
    });
    if (answer.startsWith('* OK')) return;
    last = answer.trim();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no IMAP greeting on 127.0.0.1:${port} within ${timeoutMs} ms (${last})`);
}
