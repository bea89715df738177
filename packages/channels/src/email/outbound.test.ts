import { createServer } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '@signalbox/nodes';
import type { OutboundContext } from '../outbound.ts';
import { emailInbound } from './inbound.ts';
import { classifySmtpError, emailOutbound, outboundMessageId, RenderedMail } from './outbound.ts';

interface Received {
  mail: ParsedMail;
  raw: string;
  user: string | undefined;
  to: string[];
}

/** A real SMTP server on a free local port: plain TCP (no STARTTLS), AUTH PLAIN/LOGIN for one user. */
class TestSmtp {
  readonly received: Received[] = [];
  port = 0;
  private readonly server: SMTPServer;

  constructor(options: { rcptError?: { code: number; message: string }; user?: string; password?: string } = {}) {
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authOptional: !options.user,
      closeTimeout: 100,
      onAuth: (auth, _session, callback) => {
        if (auth.username === options.user && auth.password === options.password) callback(null, { user: auth.username });
        else callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      },
      onRcptTo: (_address: SMTPServerAddress, _session, callback) => {
        const failure = options.rcptError;
        callback(failure ? Object.assign(new Error(failure.message), { responseCode: failure.code }) : null);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          void simpleParser(raw).then((mail) => {
            const user = typeof session.user === 'string' ? session.user : undefined;
            this.received.push({ mail, raw: raw.toString('utf8'), user, to: session.envelope.rcptTo.map((r) => r.address) });
            callback();
          });
        });
      },
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(resolve));
  }
}

const servers: TestSmtp[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function smtp(options?: ConstructorParameters<typeof TestSmtp>[0]): Promise<TestSmtp> {
  const server = await new TestSmtp(options).start();
  servers.push(server);
  return server;
}

function context(port: number, overrides: Partial<OutboundContext> = {}): OutboundContext {
  return {
    config: { smtpHost: '127.0.0.1', smtpPort: port, smtpRequireTls: false, fromAddress: 'care@shop.example', fromName: 'Acme Care' },
    secrets: { smtpUser: 'care@shop.example', smtpPassword: 'app-password' },
    to: 'ana.lima@example.com',
    thread: 'root-1@mail.example',
    threadTitle: 'Order 1042',
    inReplyTo: 'msg-2@mail.example',
    idempotencyKey: 'outbox-77',
    lastInboundAt: null,
    now: new Date('2026-11-24T00:00:00Z'),
    ...overrides,
  };
}

function renderMail(message: OutboundMessage, ctx: OutboundContext) {
  const rendered = emailOutbound.render(message, ctx);
  if (!rendered.ok) throw new Error(rendered.error);
  expect(rendered.calls).toHaveLength(1);
  const call = rendered.calls[0]!;
  return { call, mail: RenderedMail.parse(call.body), degraded: rendered.degraded };
}

const text = (value: string, buttons: { id: string; title: string }[] = []): OutboundMessage => ({ type: 'text', text: value, buttons, quickReplies: false });

describe('email render', () => {
  it('answers in the thread: Re: subject, In-Reply-To, References root + answered, one smtp:// call', () => {
    const { call, mail, degraded } = renderMail(text('Your parcel left today.'), context(2525));
    expect(call).toMatchObject({ method: 'POST', url: 'smtp://127.0.0.1:2525', headers: {} });
    expect(mail).toMatchObject({
      from: { name: 'Acme Care', address: 'care@shop.example' },
      to: 'ana.lima@example.com',
      subject: 'Re: Order 1042',
      inReplyTo: '<msg-2@mail.example>',
      references: ['<root-1@mail.example>', '<msg-2@mail.example>'],
      text: 'Your parcel left today.',
      html: '<p>Your parcel left today.</p>',
    });
    expect(degraded).toEqual([]);
  });

  it('gives a resend of the same outbox row the same Message-ID, and another row another', () => {
    const first = renderMail(text('a'), context(2525)).mail.messageId;
    expect(renderMail(text('a'), context(2525)).mail.messageId).toBe(first);
    expect(renderMail(text('a'), context(2525, { idempotencyKey: 'outbox-78' })).mail.messageId).not.toBe(first);
    expect(first).toBe(outboundMessageId('outbox-77', 'care@shop.example'));
    expect(first).toMatch(/^<signalbox\.[0-9a-f]{32}@shop\.example>$/);
  });

  it('does not repeat the root in References when the answered message is the root', () => {
    const { mail } = renderMail(text('hi'), context(2525, { thread: 'root-1@mail.example', inReplyTo: 'root-1@mail.example' }));
    expect(mail.references).toEqual(['<root-1@mail.example>']);
  });

  it('a mail outside any thread takes its first line as subject and says so', () => {
    const { mail, degraded } = renderMail(text('\nWe have news about your order.\nDetails below.'), context(2525, { threadTitle: null, inReplyTo: null }));
    expect(mail.subject).toBe('We have news about your order.');
    expect(mail.inReplyTo).toBeUndefined();
    expect(degraded).toContain('no thread subject: the first line of the text is the subject');
  });

  it('sends buttons as numbered options, in text and HTML', () => {
    const { mail, degraded } = renderMail(text('Was this helpful?', [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No <really>' }]), context(2525));
    expect(mail.text).toBe('Was this helpful?\n\n1. Yes\n2. No <really>');
    expect(mail.html).toBe('<p>Was this helpful?</p><ol><li>Yes</li><li>No &#60;really&#62;</li></ol>');
    expect(degraded).toEqual(['buttons sent as numbered options']);
  });

  it('numbers list rows across sections, under their section titles, with descriptions', () => {
    const list: OutboundMessage = {
      type: 'list',
      text: 'Pick a delivery slot',
      buttonTitle: 'Slots',
      sections: [
        { title: 'Monday', rows: [{ id: 'mon-am', title: 'Morning', description: '8-12' }, { id: 'mon-pm', title: 'Afternoon' }] },
        { title: 'Tuesday', rows: [{ id: 'tue-am', title: 'Morning' }] },
      ],
    };
    const { mail, degraded } = renderMail(list, context(2525));
    expect(mail.text).toBe('Pick a delivery slot\n\nMonday\n1. Morning - 8-12\n2. Afternoon\n\nTuesday\n3. Morning');
    expect(mail.html).toContain('<strong>Monday</strong>');
    expect(degraded).toEqual(['list sent as numbered options']);
  });

  it('links media instead of attaching it; an image is also shown', () => {
    const media: OutboundMessage = { type: 'media', attachment: { type: 'image', url: 'https://cdn.shop.example/p/1.jpg?a=1&b=2', name: 'Blue shirt' }, caption: 'Here it is', buttons: [] };
    const { mail, degraded } = renderMail(media, context(2525));
    expect(mail.text).toBe('Here it is\n\nBlue shirt: https://cdn.shop.example/p/1.jpg?a=1&b=2');
    expect(mail.html).toContain('<img src="https://cdn.shop.example/p/1.jpg?a=1&#38;b=2"');
    expect(mail.html).toContain('<a href="https://cdn.shop.example/p/1.jpg?a=1&#38;b=2">Blue shirt</a>');
    expect(degraded).toEqual(['media sent as a link']);
  });

  it('sends a template as its fallback text', () => {
    const template: OutboundMessage = { type: 'template', name: 'order_update', language: 'en', parameters: ['1042'], fallbackText: 'Order 1042 shipped.' };
    const { mail, degraded } = renderMail(template, context(2525));
    expect(mail.text).toBe('Order 1042 shipped.');
    expect(degraded).toEqual(['template sent as its fallback text']);
  });

  it('refuses to render with a config that lacks the SMTP host, naming it', () => {
    const rendered = emailOutbound.render(text('x'), { ...context(2525), config: { fromAddress: 'care@shop.example' } });
    expect(rendered).toMatchObject({ ok: false });
    if (!rendered.ok) expect(rendered.error).toContain('smtpHost');
  });
});

describe('email send over SMTP', () => {
  it('delivers with the thread headers, text and HTML, after AUTH; the externalId is the Message-ID', async () => {
    const server = await smtp({ user: 'care@shop.example', password: 'app-password' });
    const ctx = context(server.port);
    const { call, mail } = renderMail(text('Was this helpful?', [{ id: 'yes', title: 'Yes' }]), ctx);
    const result = await emailOutbound.send([call], ctx);
    expect(result).toEqual({ ok: true, externalId: mail.messageId.slice(1, -1) });
    expect(server.received).toHaveLength(1);
    const { mail: got, user, to } = server.received[0]!;
    expect(user).toBe('care@shop.example');
    expect(to).toEqual(['ana.lima@example.com']);
    expect(got.messageId).toBe(mail.messageId);
    expect(got.subject).toBe('Re: Order 1042');
    expect(got.inReplyTo).toBe('<msg-2@mail.example>');
    expect(got.references).toEqual(['<root-1@mail.example>', '<msg-2@mail.example>']);
    expect(got.from?.value[0]).toEqual({ address: 'care@shop.example', name: 'Acme Care' });
    expect(got.text?.trim()).toBe('Was this helpful?\n\n1. Yes');
    expect(got.html).toBe('<p>Was this helpful?</p><ol><li>Yes</li></ol>');
  });

  it('a customer\'s answer to the sent mail threads back into the same conversation', async () => {
    const server = await smtp({ user: 'care@shop.example', password: 'app-password' });
    const ctx = context(server.port);
    const { call } = renderMail(text('Which size?'), ctx);
    await emailOutbound.send([call], ctx);
    const sent = server.received[0]!.mail;
    const references = [...(Array.isArray(sent.references) ? sent.references : [sent.references ?? '']), sent.messageId ?? ''].join(' ');
    const answer = `From: ana.lima@example.com\r\nTo: care@shop.example\r\nSubject: Re: ${sent.subject}\r\nMessage-ID: <answer@mail.example>\r\nIn-Reply-To: ${sent.messageId}\r\nReferences: ${references}\r\n\r\nM please.\r\n`;
    const normalized = await emailInbound.normalize({ body: Buffer.from(answer), contentType: 'message/rfc822', now: new Date() });
    expect(normalized).toMatchObject({ ok: true, events: [{ thread: { id: ctx.thread, title: 'Order 1042' }, replyTo: sent.messageId?.slice(1, -1) }] });
  });

  it('a 451 answer is retried', async () => {
    const server = await smtp({ user: 'care@shop.example', password: 'app-password', rcptError: { code: 451, message: '4.7.1 Greylisted, try again later' } });
    const ctx = context(server.port);
    const result = await emailOutbound.send([renderMail(text('hi'), ctx).call], ctx);
    expect(result).toMatchObject({ ok: false, retry: true });
    if (!result.ok) expect(result.error).toMatch(/^SMTP 451: .*Greylisted/);
  });

  it('a 550 answer fails for good with the server\'s reason', async () => {
    const server = await smtp({ user: 'care@shop.example', password: 'app-password', rcptError: { code: 550, message: '5.1.1 No such user here' } });
    const ctx = context(server.port);
    const result = await emailOutbound.send([renderMail(text('hi'), ctx).call], ctx);
    expect(result).toMatchObject({ ok: false, retry: false });
    if (!result.ok) expect(result.error).toMatch(/^SMTP 550: .*No such user here/);
    expect(server.received).toHaveLength(0);
  });

  it('wrong credentials fail for good (535)', async () => {
    const server = await smtp({ user: 'care@shop.example', password: 'app-password' });
    const ctx = context(server.port, { secrets: { smtpUser: 'care@shop.example', smtpPassword: 'wrong' } });
    const result = await emailOutbound.send([renderMail(text('hi'), ctx).call], ctx);
    expect(result).toMatchObject({ ok: false, retry: false });
    if (!result.ok) expect(result.error).toMatch(/^SMTP 535: .*Authentication credentials invalid/);
  });

  it('an unreachable server is retried', async () => {
    const port = await closedPort();
    const ctx = context(port);
    const result = await emailOutbound.send([renderMail(text('hi'), ctx).call], ctx);
    expect(result).toMatchObject({ ok: false, retry: true });
    if (!result.ok) expect(result.error).toContain('ECONNREFUSED');
  });

  it('with encryption required, a server without STARTTLS gets no password and no mail', async () => {
    const server = await smtp({ user: 'care@shop.example', password: 'app-password' });
    const ctx = context(server.port, { config: { ...context(server.port).config, smtpRequireTls: true } });
    const result = await emailOutbound.send([renderMail(text('hi'), ctx).call], ctx);
    // The server refuses STARTTLS: a settings problem that another try will not fix.
    expect(result).toMatchObject({ ok: false, retry: false });
    expect(server.received).toHaveLength(0);
  });

  it('refuses a stored call that is not a rendered mail', async () => {
    const result = await emailOutbound.send([{ method: 'POST', url: 'smtp://127.0.0.1:1', headers: {}, body: { to: 'x' } }], context(1));
    expect(result).toMatchObject({ ok: false, retry: false });
  });
});

describe('SMTP error classification', () => {
  it('4xx and 503 retry, other 5xx fail, connection errors retry, envelope errors without a code fail', () => {
    expect(classifySmtpError(Object.assign(new Error('x'), { responseCode: 421, response: '421 Service not available' }))).toMatchObject({ retry: true });
    expect(classifySmtpError(Object.assign(new Error('x'), { responseCode: 503, response: '503 Bad sequence' }))).toMatchObject({ retry: true });
    expect(classifySmtpError(Object.assign(new Error('x'), { responseCode: 552, response: '552 Message too big' }))).toEqual({ ok: false, retry: false, error: 'SMTP 552: 552 Message too big' });
    expect(classifySmtpError(Object.assign(new Error('Connection closed'), { code: 'ECONNECTION' }))).toMatchObject({ retry: true, error: 'ECONNECTION: Connection closed' });
    expect(classifySmtpError(Object.assign(new Error('No recipients defined'), { code: 'EENVELOPE' }))).toMatchObject({ retry: false });
    expect(classifySmtpError('not even an error')).toMatchObject({ ok: false, retry: true });
  });
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
