import { ImapFlow } from 'imapflow';
import type { ChannelSecrets } from '../adapter.ts';
import type { EmailConfig } from './config.ts';

/**
 * Fetches new mail from an IMAP mailbox and hands each raw message to a callback, for shops whose mail
 * provider cannot post to a webhook. The callback feeds `emailInbound.normalize`, like the webhook does.
 *
 * Delivery is at least once: a message is marked \Seen only after the callback resolved, so a crash between
 * the two hands it over again on the next run (ingress drops the repeat by its Message-ID). The callback
 * should throw only for failures worth retrying (the queue is down): a throw stops the batch, the poller
 * backs off and tries the same message again.
 *
 * Not exercised against a real IMAP server in this repository's tests (there is none here); it typechecks
 * against imapflow's declarations.
 */
export interface ImapCursor {
  /** The highest UID handed over and marked \Seen. */
  uid: number;
  /** The mailbox's UIDVALIDITY when `uid` was read: when it changes, UIDs were renumbered. */
  uidValidity: bigint;
}

export interface ImapPollerOptions {
  host: string;
  port: number;
  secure: boolean;
  mailbox: string;
  auth: { user: string; pass: string };
  onMessage: (source: Buffer, at: ImapCursor) => Promise<void>;
  /** Where the last run stopped (from `onProgress`), so a restart does not look at older mail. */
  resumeFrom?: ImapCursor;
  /** Called after each message is marked \Seen; persist the cursor here. */
  onProgress?: (cursor: ImapCursor) => void | Promise<void>;
  /**
   * Without a cursor, only mail arriving after the first connection is fetched (false, the default): a
   * support mailbox connected for the first time may hold years of unread mail that flows must not answer.
   * True takes every unseen message.
   */
  backlog?: boolean;
  /** How often to look even without an IDLE notification (servers without IDLE, missed notifications). */
  pollIntervalMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** Connection and callback failures, for the log; the poller carries on by itself. */
  onError?: (error: Error) => void;
}

export class ImapPoller {
  private cursor: ImapCursor | null;
  private stopped = false;
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** EXISTS seen while commands ran (no one waiting): the next wait must not sleep past it. */
  private newMail = false;
  private failures = 0;

  constructor(private readonly options: ImapPollerOptions) {
    this.cursor = options.resumeFrom ?? null;
  }

  /** A poller for an email channel's IMAP settings, or null when the channel has none. */
  static forChannel(config: EmailConfig, secrets: ChannelSecrets, handlers: Pick<ImapPollerOptions, 'onMessage' | 'onProgress' | 'onError' | 'resumeFrom'>): ImapPoller | null {
    if (!config.imapHost || !secrets.imapUser || !secrets.imapPassword) return null;
    return new ImapPoller({
      host: config.imapHost,
      port: config.imapPort,
      secure: config.imapSecure,
      mailbox: config.imapMailbox,
      auth: { user: secrets.imapUser, pass: secrets.imapPassword },
      ...handlers,
    });
  }

  /** Starts polling in the background; `stop()` ends it. */
  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = this.run();
  }

  /** Lets the message in hand finish (callback and \Seen), then logs out. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    this.running = null;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const client = this.client();
      try {
        await client.connect();
        await this.session(client);
      } catch (error) {
        if (this.stopped) break;
        this.failures += 1;
        this.options.onError?.(asError(error));
        await this.pause(this.backoffMs());
      } finally {
        await closeQuietly(client);
      }
    }
  }

  private client(): ImapFlow {
    const { host, port, secure, auth } = this.options;
    const client = new ImapFlow({ host, port, secure, auth, logger: false });
    // An 'error' event without a listener would crash the process; report it and let the session end.
    client.on('error', (error: unknown) => {
      this.options.onError?.(asError(error));
      this.wake?.();
    });
    client.on('exists', () => {
      this.newMail = true;
      this.wake?.();
    });
    client.on('close', () => this.wake?.());
    return client;
  }

  /** One connection's life: drain, wait for new mail (IDLE runs meanwhile), drain again. */
  private async session(client: ImapFlow): Promise<void> {
    const lock = await client.getMailboxLock(this.options.mailbox);
    try {
      while (!this.stopped && client.usable) {
        await this.drain(client);
        this.failures = 0;
        if (!this.stopped && !this.newMail) await this.pause(this.options.pollIntervalMs ?? 60_000);
      }
    } finally {
      lock.release();
    }
    if (!this.stopped) throw new Error('IMAP connection closed');
  }

  private async drain(client: ImapFlow): Promise<void> {
    const mailbox = client.mailbox;
    if (!mailbox) throw new Error(`mailbox ${this.options.mailbox} is not open`);
    this.newMail = false;
    const hadCursor = this.cursor !== null;
    const first = this.firstUid(mailbox.uidValidity, mailbox.uidNext);
    if (!hadCursor && this.cursor) await this.options.onProgress?.(this.cursor);
    const found = await client.search({ seen: false, uid: `${first}:*` }, { uid: true });
    // "N:*" always includes the highest UID, even below N: keep only what is really new.
    const uids = (found || []).filter((uid) => uid >= first).sort((a, b) => a - b);
    for (const uid of uids) {
      if (this.stopped) return;
      const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      if (!message || !message.source) continue; // expunged since the search
      const at = { uid, uidValidity: mailbox.uidValidity };
      await this.options.onMessage(message.source, at);
      await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      this.cursor = at;
      await this.options.onProgress?.(at);
    }
  }

  private firstUid(uidValidity: bigint, uidNext: number): number {
    if (this.cursor && this.cursor.uidValidity === uidValidity) return this.cursor.uid + 1;
    // Renumbered mailbox: UIDs mean nothing any more; \Seen still marks what was handed over.
    if (this.cursor) return 1;
    if (this.options.backlog) return 1;
    this.cursor = { uid: Math.max(0, uidNext - 1), uidValidity };
    return uidNext;
  }

  private backoffMs(): number {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 1_000, maxMs: 5 * 60_000 };
    const exponential = Math.min(maxMs, initialMs * 2 ** Math.min(this.failures - 1, 20));
    // Jitter, so a fleet of pollers does not reconnect to a recovering server in step.
    return Math.round(exponential * (0.8 + Math.random() * 0.4));
  }

  /** Sleeps until the time is up, new mail is announced, the connection drops, or `stop()`. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

async function closeQuietly(client: ImapFlow): Promise<void> {
  if (!client.usable) {
    client.close();
    return;
  }
  try {
    await client.logout();
  } catch {
    client.close();
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
