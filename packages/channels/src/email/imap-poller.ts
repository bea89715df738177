import { ImapFlow } from 'imapflow';
import { z } from 'zod';
import { formatPath } from '@signalbox/nodes';
import type { ChannelSecrets } from '../adapter.ts';
import { EmailConfig } from './config.ts';
import { MAX_MAIL_BYTES } from './inbound.ts';

/** Where a poller logs in: an email channel's IMAP settings (`imapSettingsOf`). */
export interface ImapLogin {
  host: string;
  port: number;
  secure: boolean;
  mailbox: string;
  auth: { user: string; pass: string };
}

/** What the server says about a message before its bytes are fetched. */
export interface ImapMessage {
  uid: number;
  /** When the server received it (INTERNALDATE). */
  receivedAt: Date;
  size: number;
}

export interface ImapPollerOptions extends ImapLogin {
  onMessage: (source: Buffer, message: ImapMessage) => Promise<void>;
  /** A message over `maxBytes`: never downloaded, marked \Seen after this returns (throw to keep it unseen). */
  onTooLarge?: (message: ImapMessage) => Promise<void> | void;
  /**
   * Mail the server received before this is never taken, read or not: a support mailbox connected for the
   * first time may hold years of unread mail that flows must not answer. Null takes every unseen message.
   */
  since: Date | null;
  /** Largest message handed over; default 25 MB, the email webhook's body limit. */
  maxBytes?: number;
  /** How often to look even without an IDLE notification. */
  pollIntervalMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** The mailbox is open (after every (re)connection). */
  onConnected?: (mailbox: { path: string; exists: number }) => void;
  /** A failed connection or batch, and when the poller tries again; it carries on by itself. */
  onError?: (error: Error, retryInMs: number) => void;
}

export type ImapSettings = { ok: true; login: ImapLogin } | { ok: false; error: string };

const DAY_MS = 24 * 60 * 60 * 1000;

/** The IMAP login of an email channel; null when the channel takes mail by webhook only (no `imapHost`). */
export function imapSettingsOf(channel: { config: unknown; credentials: ChannelSecrets }): ImapSettings | null {
  const config = EmailConfig.safeParse(channel.config);
  if (!config.success) return { ok: false, error: `invalid email settings: ${config.error.issues.map((i) => `${formatPath(i.path)} ${i.message}`).join('; ')}` };
  const { imapHost, imapPort, imapSecure, imapMailbox } = config.data;
  if (!imapHost) return null;
  const { imapUser, imapPassword } = channel.credentials;
  if (!imapUser || !imapPassword) return { ok: false, error: 'imapHost is set but the imapUser or imapPassword secret is missing' };
  return { ok: true, login: { host: imapHost, port: imapPort, secure: imapSecure, mailbox: imapMailbox, auth: { user: imapUser, pass: imapPassword } } };
}

/**
 * Fetches new mail from an IMAP mailbox and hands each raw message to a callback, for shops whose mail
 * provider cannot post to a webhook. The callback feeds `emailInbound.normalize`, like the webhook does.
 *
 * The position is the mailbox's own \Seen flag: every unseen message received since `since` is new, so a
 * restart, a second process or a lost connection needs no stored cursor. A message is marked \Seen only after
 * the callback resolved (fetching uses BODY.PEEK, which leaves the flag alone), so a crash between the two
 * hands it over again (ingress drops the repeat by its Message-ID). The callback throws only for failures
 * worth retrying (the database is down): a throw stops the batch, the poller reconnects after a backoff and
 * hands over the same message again. What the callback refuses it returns from normally, and it is marked
 * \Seen like the rest, so a mail that can never be read is not fetched forever.
 *
 * Between batches the connection IDLEs (the server announces new mail at once), and looks anyway every
 * `pollIntervalMs` (servers without IDLE, missed notifications).
 */
export class ImapPoller {
  private stopped = false;
  private running: Promise<void> | null = null;
  private client: ImapFlow | null = null;
  /** Between `new ImapFlow` and a logged-in session: `stop()` cuts that short instead of waiting for it. */
  private connecting = false;
  private wake: (() => void) | null = null;
  /** EXISTS seen while commands ran (no one waiting): the next wait must not sleep past it. */
  private newMail = false;
  /** Why the connection ended, when imapflow said so in an 'error' event rather than a failed command. */
  private closeReason: Error | null = null;
  private failures = 0;

  constructor(private readonly options: ImapPollerOptions) {}

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
    // A connection attempt, or a command to a server that stopped answering, would hold stop() for their
    // timeouts; 5 s is plenty for the message in hand to be stored and flagged.
    const cut = setTimeout(() => this.client?.close(), this.connecting ? 0 : 5_000);
    await this.running;
    clearTimeout(cut);
    this.running = null;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const client = this.connection();
      let failure: unknown = null;
      try {
        this.connecting = true;
        await client.connect();
        this.connecting = false;
        await this.session(client);
      } catch (error) {
        failure = error;
      }
      this.connecting = false;
      await closeQuietly(client);
      this.client = null;
      if (failure === null || this.stopped) continue;
      this.failures += 1;
      const retryInMs = this.backoffMs();
      this.options.onError?.(readable(this.closeReason ?? failure), retryInMs);
      await this.pause(retryInMs);
    }
  }

  private connection(): ImapFlow {
    const { host, port, secure, auth } = this.options;
    this.closeReason = null;
    // IDLE one second after each batch, so new mail is announced almost at once (imapflow's default waits 15 s).
    const client = new ImapFlow({ host, port, secure, auth, logger: false, autoIdleDelay: 1_000, connectionTimeout: 15_000, greetingTimeout: 15_000 });
    // An 'error' event without a listener would crash the process; keep the reason, the session ends with it.
    client.on('error', (error: unknown) => {
      this.closeReason ??= asError(error);
      this.wake?.();
    });
    client.on('exists', () => {
      this.newMail = true;
      this.wake?.();
    });
    client.on('close', () => this.wake?.());
    this.client = client;
    return client;
  }

  /** One connection's life: drain, wait for new mail (IDLE runs meanwhile), drain again. */
  private async session(client: ImapFlow): Promise<void> {
    const lock = await client.getMailboxLock(this.options.mailbox);
    lock.release();
    this.options.onConnected?.({ path: this.options.mailbox, exists: client.mailbox ? client.mailbox.exists : 0 });
    while (!this.stopped && client.usable) {
      await this.drain(client);
      this.failures = 0;
      if (!this.stopped && !this.newMail) await this.pause(this.options.pollIntervalMs ?? 60_000);
    }
    if (!this.stopped) throw new Error('the server closed the IMAP connection');
  }

  /**
   * Hands over every new message, oldest first. The mailbox lock is held only while this runs: imapflow
   * starts IDLE only on a connection no lock holds, and a lock held across the wait would leave the session
   * without push notifications.
   */
  private async drain(client: ImapFlow): Promise<void> {
    const lock = await client.getMailboxLock(this.options.mailbox);
    try {
      this.newMail = false;
      for (const message of await this.newMessages(client)) {
        if (this.stopped) break;
        await this.handOver(client, message);
      }
    } finally {
      lock.release();
    }
  }

  private async newMessages(client: ImapFlow): Promise<ImapMessage[]> {
    // INTERNALDATE has whole seconds: mail from the second `since` falls in counts as after it.
    const since = this.options.since ? new Date(Math.floor(this.options.since.getTime() / 1000) * 1000) : null;
    // SEARCH SINCE compares dates only, in the server's time zone: a day earlier, then the exact time below.
    const query = since ? { seen: false, since: new Date(since.getTime() - DAY_MS) } : { seen: false };
    const uids = (await client.search(query, { uid: true })) || [];
    if (uids.length === 0) return [];
    const messages: ImapMessage[] = [];
    for await (const row of client.fetch(uids.join(','), { uid: true, internalDate: true, size: true }, { uid: true })) {
      const receivedAt = row.internalDate instanceof Date ? row.internalDate : new Date(row.internalDate ?? 0);
      if (since && receivedAt < since) continue;
      messages.push({ uid: row.uid, receivedAt, size: row.size ?? 0 });
    }
    // UIDs grow in arrival order: the oldest mail first, so a conversation keeps the customer's order.
    return messages.sort((a, b) => a.uid - b.uid);
  }

  private async handOver(client: ImapFlow, message: ImapMessage): Promise<void> {
    const uid = String(message.uid);
    if (message.size > (this.options.maxBytes ?? MAX_MAIL_BYTES)) {
      await this.options.onTooLarge?.(message);
    } else {
      const fetched = await client.fetchOne(uid, { uid: true, source: true }, { uid: true });
      if (!fetched || !fetched.source) return; // expunged since the search
      await this.options.onMessage(fetched.source, message);
    }
    await client.messageFlagsAdd(uid, ['\\Seen'], { uid: true });
  }

  private backoffMs(): number {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 1_000, maxMs: 5 * 60_000 };
    const exponential = Math.min(maxMs, initialMs * 2 ** Math.min(this.failures - 1, 20));
    // Jitter, so a fleet of pollers does not reconnect to a recovering server in step.
    return Math.round(exponential * (0.8 + Math.random() * 0.4));
  }

  /** Sleeps until the time is up, new mail is announced, the connection drops, or `stop()`. */
  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
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

/** imapflow's errors say "Command failed"; the server's own words are in `responseText`. */
const ImapFailure = z.object({ message: z.string(), responseText: z.string().optional(), authenticationFailed: z.boolean().optional(), code: z.string().optional() });

function readable(error: unknown): Error {
  const failure = ImapFailure.safeParse(error);
  if (!failure.success) return asError(error);
  const { message, responseText, authenticationFailed, code } = failure.data;
  const what = authenticationFailed ? 'IMAP login failed' : message;
  const detail = responseText ?? (code && !message.includes(code) ? code : undefined);
  return new Error(detail ? `${what}: ${detail}` : what, { cause: error });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
