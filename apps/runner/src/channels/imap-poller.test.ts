import { randomBytes } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImapPoller, type ImapMessage, type ImapPollerOptions } from '@signalbox/channels';
import { startDovecot, type Dovecot } from '../testing/dovecot.ts';
import { waitFor } from '../testing/harness.ts';

/**
 * The poller of packages/channels (email/imap-poller.ts) against a real Dovecot. It lives here, beside the
 * connector that runs it, because the Dovecot helper is the runner's test tooling and packages never import
 * apps. Each test polls a mailbox of its own on one server.
 */

interface Handed {
  messageId: string;
  uid: number;
  /** The message's flags as the test's own connection saw them while the callback ran. */
  flagsDuringCallback: string[];
}

describe('ImapPoller against Dovecot', () => {
  let dovecot: Dovecot;
  let customer: ImapFlow;
  const pollers: ImapPoller[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot();
    customer = await dovecot.client();
  });

  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((p) => p.stop()));
  });

  afterAll(async () => {
    await customer?.logout().catch(() => undefined);
    await dovecot?.stop();
  });

  async function mailbox(): Promise<string> {
    const path = `test-${randomBytes(4).toString('hex')}`;
    await customer.mailboxCreate(path);
    return path;
  }

  function mail(id: string, text = `Hello from ${id}`): string {
    return [`From: Ana Lima <ana@example.com>`, 'To: care@shop.example', `Subject: ${id}`, `Message-ID: <${id}@example.com>`, 'Date: Tue, 24 Nov 2026 08:00:00 +0000', '', text, ''].join('\r\n');
  }

  async function flagsOf(path: string, uid: number): Promise<string[]> {
    // STATUS-free read from a second connection: what any other client of the mailbox would see.
    const reader = await dovecot.client();
    try {
      const lock = await reader.getMailboxLock(path, { readOnly: true });
      try {
        const row = await reader.fetchOne(String(uid), { uid: true, flags: true }, { uid: true });
        return row && row.flags ? [...row.flags] : [];
      } finally {
        lock.release();
      }
    } finally {
      await reader.logout();
    }
  }

  function poll(path: string, options: Partial<ImapPollerOptions> & { handed?: Handed[]; fail?: (n: number) => boolean } = {}) {
    const handed = options.handed ?? [];
    const errors: { message: string; retryInMs: number }[] = [];
    let connections = 0;
    let calls = 0;
    const poller = new ImapPoller({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      mailbox: path,
      auth: { user: dovecot.user, pass: dovecot.password },
      since: null,
      pollIntervalMs: 60_000,
      backoff: { initialMs: 100, maxMs: 500 },
      onConnected: () => (connections += 1),
      onError: (error, retryInMs) => errors.push({ message: error.message, retryInMs }),
      onMessage: async (source: Buffer, message: ImapMessage) => {
        calls += 1;
        const messageId = /^Message-ID: <([^>]+)>/im.exec(source.toString('utf8'))?.[1] ?? '?';
        const flagsDuringCallback = await flagsOf(path, message.uid);
        if (options.fail?.(calls)) throw new Error(`the database is down (call ${calls})`);
        handed.push({ messageId, uid: message.uid, flagsDuringCallback });
      },
      ...options,
    });
    pollers.push(poller);
    poller.start();
    return { poller, handed, errors, connections: () => connections, calls: () => calls };
  }

  it('hands new mail over as IDLE announces it, and flags it \\Seen only after the callback', async () => {
    const path = await mailbox();
    // A poll interval of a minute: only IDLE can bring the mail in within the wait below.
    const { handed, connections } = poll(path);
    await waitFor(() => connections() === 1, 10_000, 'the mailbox to open');
    await new Promise((r) => setTimeout(r, 1_500));
    const appended = await customer.append(path, mail('first'));
    await waitFor(() => handed.length === 1, 8_000, 'the new mail');
    expect(handed[0]).toMatchObject({ messageId: 'first@example.com', uid: appended && appended.uid });
    expect(handed[0]?.flagsDuringCallback).not.toContain('\\Seen');
    await waitFor(async () => (await flagsOf(path, handed[0]!.uid)).includes('\\Seen'), 5_000, 'the \\Seen flag');
  });

  it('hands mail over oldest first, and never takes mail already seen or received before `since`', async () => {
    const path = await mailbox();
    const since = new Date();
    await customer.append(path, mail('old-unread'), [], new Date(since.getTime() - 3 * 24 * 3600 * 1000));
    await customer.append(path, mail('yesterday-unread'), [], new Date(since.getTime() - 3600 * 1000));
    await customer.append(path, mail('read-by-someone'), ['\\Seen']);
    await customer.append(path, mail('new-1'));
    await customer.append(path, mail('new-2'));
    const { handed, poller } = poll(path, { since });
    await waitFor(() => handed.length === 2, 10_000, 'the two new mails');
    await poller.stop();
    // A second poller (a restart) takes nothing again: the \Seen flags are the position.
    const again = poll(path, { since });
    await waitFor(() => again.connections() === 1, 10_000, 'the second poller');
    await customer.append(path, mail('new-3'));
    await waitFor(() => again.handed.length === 1, 8_000, 'the mail after the restart');
    expect(handed.map((h) => h.messageId)).toEqual(['new-1@example.com', 'new-2@example.com']);
    expect(again.handed.map((h) => h.messageId)).toEqual(['new-3@example.com']);
  });

  it('leaves mail unseen when the callback throws, and hands the same mail over again after the backoff', async () => {
    const path = await mailbox();
    await customer.append(path, mail('retry-me'));
    await customer.append(path, mail('after-it'));
    const { handed, errors, calls } = poll(path, { fail: (n) => n <= 2 });
    await waitFor(() => handed.length === 2, 10_000, 'both mails after the failures');
    expect(calls()).toBe(4);
    expect(errors.map((e) => e.message)).toEqual(['the database is down (call 1)', 'the database is down (call 2)']);
    // The failed mail was still unseen when it was handed over the second and third time, and nothing overtook it.
    expect(handed.map((h) => h.messageId)).toEqual(['retry-me@example.com', 'after-it@example.com']);
    expect(handed[0]?.flagsDuringCallback).not.toContain('\\Seen');
    expect(await flagsOf(path, handed[0]!.uid)).toContain('\\Seen');
  });

  it('does not download mail over maxBytes: reports it and flags it \\Seen', async () => {
    const path = await mailbox();
    const tooLarge: ImapMessage[] = [];
    await customer.append(path, mail('huge', 'x'.repeat(20_000)));
    await customer.append(path, mail('small'));
    const { handed } = poll(path, { maxBytes: 10_000, onTooLarge: (message) => void tooLarge.push(message) });
    await waitFor(() => handed.length === 1, 10_000, 'the small mail');
    expect(handed[0]?.messageId).toBe('small@example.com');
    expect(tooLarge).toHaveLength(1);
    expect(tooLarge[0]?.size).toBeGreaterThan(20_000);
    expect(await flagsOf(path, tooLarge[0]!.uid)).toContain('\\Seen');
  });

  it('reconnects after the server restarts and takes the mail that came meanwhile', async () => {
    const path = await mailbox();
    const { handed, errors, connections } = poll(path);
    await waitFor(() => connections() === 1, 10_000, 'the mailbox to open');
    await dovecot.down();
    await waitFor(() => errors.length >= 1, 5_000, 'the lost connection to be reported');
    await dovecot.up();
    customer = await dovecot.client();
    await customer.append(path, mail('while-away'));
    await waitFor(() => handed.length === 1, 15_000, 'the mail after the reconnect');
    expect(connections()).toBeGreaterThanOrEqual(2);
    expect(handed[0]?.messageId).toBe('while-away@example.com');
    expect(errors[0]?.retryInMs).toBeLessThanOrEqual(600);
  });

  it('stops promptly while waiting to reconnect to a server that is gone', async () => {
    const path = await mailbox();
    const { poller, errors } = poll(path, { backoff: { initialMs: 60_000, maxMs: 60_000 } });
    await dovecot.down();
    await waitFor(() => errors.length >= 1, 5_000, 'the lost connection to be reported');
    const started = Date.now();
    await poller.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    await dovecot.up();
    customer = await dovecot.client();
  });
});
