import type { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelRepository, createPool, createPrisma, createWorkspace, FlowRepository, migrate, SecretBox, type Pool } from '@signalbox/db';
import { loadConfig } from '../src/config.ts';
import { ALL_ROLES, startRunner, type Runner } from '../src/runtime.ts';
import { startDovecot, type Dovecot } from '../src/testing/dovecot.ts';
import { freshDatabase, waitFor } from '../src/testing/harness.ts';
import { mailWithFiles } from '../src/testing/mail.ts';
import { exampleFlow } from './setup.ts';

/**
 * An `email` channel end to end with both halves real: customer mail lands in a Dovecot mailbox (appended over
 * IMAP, as a mail server delivers it), the runner polls it, the echo flow answers, and the answer leaves over
 * SMTP to a local smtp-server. Without Dovecot this fails (see src/testing/dovecot.ts), never skips.
 */
const KEY = 'test-secret-key-0123456789';

interface LogLine {
  msg?: string;
  channelId?: string;
  reason?: string;
  retryInMs?: number;
}

describe('email channel: IMAP in, SMTP out', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  let dovecot: Dovecot;
  let customer: ImapFlow;
  let smtp: SMTPServer;
  let runner: Runner | null = null;
  let channelId: string;
  const sent: ParsedMail[] = [];
  const logs: LogLine[] = [];
  const repliesTo = (messageId: string) => sent.filter((m) => m.inReplyTo === `<${messageId}>`);

  function customerMail(fields: { id: string; subject: string; text: string; inReplyTo?: string; references?: string[]; from?: string }): string {
    return [
      `From: ${fields.from ?? 'Ana Lima <ana.lima@example.com>'}`,
      'To: Acme Care <care@shop.example>',
      `Subject: ${fields.subject}`,
      `Message-ID: <${fields.id}>`,
      ...(fields.inReplyTo ? [`In-Reply-To: <${fields.inReplyTo}>`] : []),
      ...(fields.references ? [`References: ${fields.references.map((r) => `<${r}>`).join(' ')}`] : []),
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      fields.text,
      '',
    ].join('\r\n');
  }

  async function seen(messageId: string): Promise<boolean> {
    const lock = await customer.getMailboxLock('INBOX');
    try {
      const uids = (await customer.search({ header: { 'message-id': messageId } }, { uid: true })) || [];
      if (uids.length === 0) return false;
      const row = await customer.fetchOne(String(uids[0]), { uid: true, flags: true }, { uid: true });
      return Boolean(row && row.flags?.has('\\Seen'));
    } finally {
      lock.release();
    }
  }

  /** Starts the runner on the test database and waits until the channel's mailbox is open. */
  async function start() {
    const since = logs.length;
    const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
    runner = await startRunner(loadConfig({ DATABASE_URL: database.url, PORT: '0', SIGNALBOX_SECRET_KEY: KEY }), ALL_ROLES, log);
    await waitFor(() => logs.slice(since).some((l) => l.msg === 'IMAP mailbox open' && l.channelId === channelId), 15_000, 'the IMAP mailbox to open');
  }

  beforeAll(async () => {
    // First, so a machine without Dovecot fails at once with the reason.
    dovecot = await startDovecot();
    customer = await dovecot.client();
    // Unread mail from before the channel existed: connecting the mailbox must not answer it.
    await customer.append('INBOX', customerMail({ id: 'ancient@example.com', subject: 'Old question', text: 'from last year' }), [], new Date(Date.now() - 400 * 24 * 3600 * 1000));

    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      closeTimeout: 100,
      onData: (stream, _session, callback) => {
        void simpleParser(stream).then((mail) => {
          sent.push(mail);
          callback();
        }, callback);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const address = smtp.server.address();
    const smtpPort = typeof address === 'object' && address ? address.port : 0;

    database = await freshDatabase();
    pool = createPool(database.url, 2);
    await migrate(pool);
    const prisma = createPrisma(database.url);
    const workspaceId = await createWorkspace(prisma, 'Test shop');
    const flows = new FlowRepository(prisma);
    const flowId = await flows.create({ workspaceId, name: 'echo', document: exampleFlow('echo') });
    await flows.publish(flowId);
    const config = {
      smtpHost: '127.0.0.1',
      smtpPort,
      smtpRequireTls: false,
      fromAddress: 'care@shop.example',
      fromName: 'Acme Care',
      imapHost: dovecot.host,
      imapPort: dovecot.port,
      imapSecure: false,
      imapMailbox: 'INBOX',
    };
    const credentials = { imapUser: dovecot.user, imapPassword: dovecot.password };
    channelId = (await new ChannelRepository(prisma, new SecretBox(KEY)).create({ workspaceId, type: 'email', name: 'Care mailbox', config, credentials, flowId })).id;
    await prisma.$disconnect();
    await start();
  });

  afterAll(async () => {
    await runner?.stop();
    await customer?.logout().catch(() => undefined);
    await dovecot?.stop();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await pool?.end();
    await database?.drop();
  });

  it('answers a customer mail over SMTP in its thread, and flags it \\Seen', async () => {
    await customer.append('INBOX', customerMail({ id: 'q1@example.com', subject: 'Order 1042', text: 'Where is my parcel?' }));
    await waitFor(() => repliesTo('q1@example.com').length === 1, 20_000, 'the echo reply over SMTP');
    const reply = repliesTo('q1@example.com')[0]!;
    expect(reply.subject).toBe('Re: Order 1042');
    expect(reply.text?.trim()).toBe('echo: Where is my parcel?');
    expect(reply.to && !Array.isArray(reply.to) ? reply.to.value[0]?.address : null).toBe('ana.lima@example.com');
    expect(reply.from?.value[0]).toEqual({ address: 'care@shop.example', name: 'Acme Care' });
    expect(reply.references).toBe('<q1@example.com>');
    expect(await seen('q1@example.com')).toBe(true);
    // The mail from before the channel existed is neither answered nor touched.
    expect(sent.filter((m) => m.inReplyTo === '<ancient@example.com>')).toEqual([]);
    expect(await seen('ancient@example.com')).toBe(false);
  });

  it('puts the customer\'s answer to the reply in the same conversation', async () => {
    await waitFor(() => repliesTo('q1@example.com').length === 1, 20_000, 'the first reply');
    const first = repliesTo('q1@example.com')[0]!;
    const mail = customerMail({
      id: 'q2@example.com',
      subject: 'Re: Order 1042',
      text: 'Thanks! And the invoice?\n\nOn Tue, Acme Care wrote:\n> echo: Where is my parcel?',
      inReplyTo: (first.messageId ?? '').replace(/^<|>$/g, ''),
      references: ['q1@example.com', (first.messageId ?? '').replace(/^<|>$/g, '')],
    });
    await customer.append('INBOX', mail);
    await waitFor(() => repliesTo('q2@example.com').length === 1, 20_000, 'the second reply');
    const second = repliesTo('q2@example.com')[0]!;
    expect(second.subject).toBe('Re: Order 1042');
    expect(second.text?.trim()).toBe('echo: Thanks! And the invoice?');
    expect(second.references).toEqual(['<q1@example.com>', '<q2@example.com>']);
    const conversations = await pool.query<{ external_id: string }>('SELECT external_id FROM conversation WHERE channel_id = $1', [channelId]);
    expect(conversations.rows).toEqual([{ external_id: 'q1@example.com' }]);
  });

  it('answers the same mail delivered twice once', async () => {
    const mail = customerMail({ id: 'twice@example.com', subject: 'Twice', text: 'delivered twice' });
    await customer.append('INBOX', mail);
    await customer.append('INBOX', mail);
    await waitFor(() => repliesTo('twice@example.com').length === 1, 20_000, 'the reply');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(repliesTo('twice@example.com')).toHaveLength(1);
    const metrics = await (await fetch(`${runner?.url}/metrics`)).text();
    expect(metrics).toMatch(/^signalbox_events_duplicate_total\{channel_type="email"\} [1-9]/m);
  });

  it("stores a mail's attachment in the media store: the stored message links to it and the runner serves the same bytes", async () => {
    const pdf = Buffer.from('%PDF-1.4\n% invoice 1042\n1 0 obj << >> endobj\n%%EOF\n');
    const mail = mailWithFiles({ id: 'with-pdf@example.com', subject: 'Invoice', text: 'Here is the invoice.', files: [{ name: 'invoice 1042.pdf', type: 'application/pdf', bytes: pdf }] });
    await customer.append('INBOX', mail);
    await waitFor(() => repliesTo('with-pdf@example.com').length === 1, 20_000, 'the reply');
    const { rows } = await pool.query<{ content: { type: string; text?: string }; attachments: { url?: string; name?: string; mimeType?: string; size?: number }[] | null }>(
      "SELECT content, attachments FROM message WHERE external_id = 'with-pdf@example.com'",
    );
    expect(rows[0]?.content).toEqual({ type: 'text', text: 'Here is the invoice.' });
    const [attachment] = rows[0]?.attachments ?? [];
    expect(attachment).toMatchObject({ type: 'file', mediaId: 'part-1', name: 'invoice 1042.pdf', mimeType: 'application/pdf', size: pdf.length });
    expect(attachment?.url).toMatch(new RegExp(`/media/${channelId}/[a-f0-9]{32}\\.pdf\\?name=invoice%201042\\.pdf$`));
    const served = await fetch(attachment!.url!);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(pdf);
  });

  it('refuses a mail without a sender: counted, in the channel\'s health, flagged \\Seen; the next mail is answered', async () => {
    await customer.append('INBOX', ['To: care@shop.example', 'Subject: nobody', 'Message-ID: <nobody@example.com>', '', 'who am I?', ''].join('\r\n'));
    await customer.append('INBOX', customerMail({ id: 'after-bad@example.com', subject: 'Still here', text: 'still here' }));
    await waitFor(() => repliesTo('after-bad@example.com').length === 1, 20_000, 'the reply to the mail after the bad one');
    expect(logs.filter((l) => l.msg?.startsWith('rejected an email')).map((l) => l.reason)).toEqual(['invalid_body']);
    expect(await seen('nobody@example.com')).toBe(true);
    const metrics = await (await fetch(`${runner?.url}/metrics`)).text();
    expect(metrics).toMatch(/^signalbox_events_rejected_total\{reason="invalid_body"\} 1$/m);
    expect(metrics).toMatch(/^signalbox_messages_sent_total\{channel_type="email"\} [1-9]/m);
    // Health notes are written every few seconds.
    await waitFor(
      async () => ((await pool.query<{ last_error: string | null }>('SELECT last_error FROM channel WHERE id = $1', [channelId])).rows[0]?.last_error ?? '').includes('rejected a mail'),
      10_000,
      'the refusal in the channel health',
    );
  });

  it('answers mail that arrived while the runner was stopped, and survives the mail server restarting', async () => {
    await runner?.stop();
    runner = null;
    await customer.append('INBOX', customerMail({ id: 'offline@example.com', subject: 'While you were away', text: 'anyone there?' }));
    await start();
    await waitFor(() => repliesTo('offline@example.com').length === 1, 20_000, 'the reply after the runner restart');

    const since = logs.length;
    await dovecot.down();
    await waitFor(() => logs.slice(since).some((l) => l.msg === 'IMAP polling failed; retrying'), 10_000, 'the lost connection in the log');
    await dovecot.up();
    customer = await dovecot.client();
    await customer.append('INBOX', customerMail({ id: 'after-restart@example.com', subject: 'Back?', text: 'back again' }));
    // The connector's backoff starts at 1 s (with jitter); the reply follows the reconnection.
    await waitFor(() => repliesTo('after-restart@example.com').length === 1, 30_000, 'the reply after the mail server restart');
    await waitFor(
      async () => ((await pool.query<{ last_error: string | null }>('SELECT last_error FROM channel WHERE id = $1', [channelId])).rows[0]?.last_error ?? '').startsWith('IMAP:'),
      10_000,
      'the connection error in the channel health',
    );
  });
});
