import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { InboundEvent } from '@signalbox/nodes';
import type { InboundRequest, Normalized } from '../adapter.ts';
import { fixture } from '../testing/fixtures.ts';
import { sign } from '../webhook/webhook.ts';
import { emailInbound } from './inbound.ts';
import { stripQuotedReply, threadTitle } from './incoming-mail.ts';

const now = new Date('2026-11-24T00:00:00Z');

async function normalize(body: Buffer | string, contentType = 'message/rfc822'): Promise<Normalized> {
  return emailInbound.normalize({ body: Buffer.isBuffer(body) ? body : Buffer.from(body), contentType, now });
}

async function single(body: Buffer | string, contentType?: string): Promise<InboundEvent> {
  const result = await normalize(body, contentType);
  if (!result.ok) throw new Error(`${result.error}: ${JSON.stringify(result.issues)}`);
  expect(result.events).toHaveLength(1);
  return result.events[0]!;
}

async function message(body: Buffer | string, contentType?: string) {
  const event = await single(body, contentType);
  if (event.kind !== 'message') throw new Error(`expected a message, got ${event.kind}`);
  return event;
}

/** A small RFC 5322 message; CRLF line ends as on the wire. */
function mail(headers: Record<string, string>, body: string): string {
  const lines = Object.entries({ From: 'Ana Lima <Ana.Lima@Example.com>', To: 'care@shop.example', Subject: 'Order 1042', Date: 'Mon, 23 Nov 2026 10:00:00 +0000', ...headers })
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`;
}

describe('email fixtures', () => {
  it('email_reply_threaded.eml: a reply threads under the References root, subject kept as the title', async () => {
    const event = await message(fixture('email/email_reply_threaded.eml'));
    expect(event.id).toBe('0CB459E0-0336-41DA-BC88-E6E28C697DDB@chatwoot.com');
    expect(event.messageId).toBe('0CB459E0-0336-41DA-BC88-E6E28C697DDB@chatwoot.com');
    expect(event.thread).toEqual({ id: '4e6e35f5a38b4_479f13bb90078178@small-app-01.mail', kind: 'direct', title: "Discussion: Let's debate these attachments" });
    expect(event.replyTo).toBe('4e6e35f5a38b4_479f13bb90078178@small-app-01.mail');
    expect(event.from).toEqual({ id: 'sony@chatwoot.com', email: 'sony@chatwoot.com', name: 'Sony Mathew' });
    expect(event.to).toEqual({ id: 'reply+to+6bdc3f4d-0bec-4515-a284-5d916fdde489@example.com', email: 'reply+to+6bdc3f4d-0bec-4515-a284-5d916fdde489@example.com', name: 'Replies' });
    expect(event.content).toEqual({ type: 'text', text: "Let's talk about these images:\n\n" });
    // Date: Tue, 20 Apr 2020 04:20:20 -0400
    expect(event.timestamp).toBe('2020-04-20T08:20:20.000Z');
    expect(event.echo).toBe(false);
    expect(event.attachments).toBeUndefined();
    expect(event.raw).toMatchObject({ headers: { 'x-mailer': 'Apple Mail (2.1244.3)', 'message-id': '<0CB459E0-0336-41DA-BC88-E6E28C697DDB@chatwoot.com>' } });
  });

  it('email_text_only.eml: a first mail is its own thread root; the empty In-Reply-To is no reply', async () => {
    const event = await message(fixture('email/email_text_only.eml'));
    expect(event.id).toBe('6215e5ca3e3b2_10bc6197e4224d1@tejaswinis-MacBook-Pro.local.mail');
    expect(event.thread).toEqual({ id: '6215e5ca3e3b2_10bc6197e4224d1@tejaswinis-MacBook-Pro.local.mail', kind: 'direct', title: 'test text only mail' });
    expect(event.replyTo).toBeUndefined();
    expect(event.from).toEqual({ id: 'text@example.com', email: 'text@example.com' });
    expect(event.to).toEqual({ id: 'care@example.com', email: 'care@example.com' });
    expect(event.content).toEqual({ type: 'text', text: 'text only mail\n' });
    expect(event.timestamp).toBe('2022-02-23T07:44:10.000Z');
  });

  it('email_reply_threaded.json: the JSON view gives the same ids, thread and sender as the raw message', async () => {
    const fromJson = await message(fixture('email/email_reply_threaded.json'), 'application/json');
    const fromMime = await message(fixture('email/email_reply_threaded.eml'));
    for (const field of ['id', 'messageId', 'thread', 'from', 'to', 'replyTo', 'timestamp'] as const) expect(fromJson[field]).toEqual(fromMime[field]);
    expect(fromJson.content).toEqual({ type: 'text', text: "Let's talk about these images:\n" });
    // The inline avatar sits beside a text: a signature image, not something the customer sent.
    expect(fromJson.attachments).toBeUndefined();
    expect(fromJson.raw).toMatchObject({ inline_attachments: [{ filename: 'avatar1.jpeg', content_type: 'image/jpg', disposition: 'inline' }] });
  });
});

describe('email threading', () => {
  it('a reply to the text-only mail lands in that mail\'s thread, and so does a reply to the reply', async () => {
    const original = await message(fixture('email/email_text_only.eml'));
    const first = await message(mail({ 'Message-ID': '<r1@mail.example>', 'In-Reply-To': `<${original.messageId}>`, References: `<${original.messageId}>`, Subject: 'Re: test text only mail' }, 'Thanks!'));
    const second = await message(
      mail({ 'Message-ID': '<r2@mail.example>', 'In-Reply-To': '<r1@mail.example>', References: `<${original.messageId}>\r\n <r1@mail.example>`, Subject: 'RE: Re: test text only mail' }, 'Still waiting.'),
    );
    expect(first.thread.id).toBe(original.thread.id);
    expect(second.thread.id).toBe(original.thread.id);
    expect(second.replyTo).toBe('r1@mail.example');
    expect(second.thread.title).toBe('test text only mail');
  });

  it('a reply to the threaded fixture keeps its root, not the message answered', async () => {
    const answered = await message(fixture('email/email_reply_threaded.eml'));
    const reply = await message(mail({ 'Message-ID': '<r3@mail.example>', 'In-Reply-To': `<${answered.messageId}>`, References: `<${answered.thread.id}> <${answered.messageId}>` }, 'ok'));
    expect(reply.thread.id).toBe(answered.thread.id);
    expect(reply.replyTo).toBe(answered.messageId);
  });

  it('without References, In-Reply-To is the root', async () => {
    const reply = await message(mail({ 'Message-ID': '<r4@mail.example>', 'In-Reply-To': '<root@mail.example>' }, 'hi'));
    expect(reply.thread.id).toBe('root@mail.example');
  });

  it('strips Re:, Fwd:, AW:, SV: prefixes from the title, however stacked', () => {
    expect(threadTitle('Re: Fwd: AW: SV: Order 1042')).toBe('Order 1042');
    expect(threadTitle('RE[2]: Discussion: shipping')).toBe('Discussion: shipping');
    expect(threadTitle('Refund please')).toBe('Refund please');
  });
});

describe('email text', () => {
  it('drops the quoted history after "On … wrote:" and keeps the whole text in raw', async () => {
    const body = 'Yes, the blue one.\n\nOn Mon, 23 Nov 2026 at 09:00, Care <care@shop.example> wrote:\n> Which colour?\n> Thanks\n';
    const event = await message(mail({ 'Message-ID': '<q1@mail.example>' }, body));
    expect(event.content).toEqual({ type: 'text', text: 'Yes, the blue one.' });
    expect(event.raw).toMatchObject({ text: body });
  });

  it('recognises a wrapped Gmail attribution, German and Outlook separators, and a trailing > block', () => {
    expect(stripQuotedReply('Fine.\n\nOn Mon, 23 Nov 2026 at 09:00, Care Team <\ncare@shop.example> wrote:\n> old')).toBe('Fine.');
    expect(stripQuotedReply('Gut.\n\nAm 23.11.2026 um 09:00 schrieb Care <care@shop.example>:\n> alt')).toBe('Gut.');
    expect(stripQuotedReply('Ok.\n\n-----Original Message-----\nFrom: Care\nSent: Monday')).toBe('Ok.');
    expect(stripQuotedReply('Ok.\n________________________________\nFrom: Care <care@shop.example>\nSent: Monday')).toBe('Ok.');
    expect(stripQuotedReply('New text\n\n> quoted\n>\n> more quoted\n\n')).toBe('New text');
  });

  it('keeps quotes between new lines, and keeps everything when nothing but quote would remain', () => {
    const interleaved = '> Which size?\nM please.\n> Colour?\nBlue.';
    expect(stripQuotedReply(interleaved)).toBe(interleaved);
    expect(stripQuotedReply('> only a quote\n> here')).toBe('> only a quote\n> here');
    expect(stripQuotedReply('no quote at all\n')).toBe('no quote at all\n');
  });

  it('reads an HTML-only mail as text', async () => {
    const event = await message(mail({ 'Message-ID': '<h1@mail.example>', 'Content-Type': 'text/html; charset=utf-8' }, '<p>Hello <b>there</b></p><p>Order 1042 &amp; 1043</p>'));
    expect(event.content).toEqual({ type: 'text', text: 'Hello there\n\nOrder 1042 & 1043' });
  });

  it('reads the JSON view\'s html_part as text when there is no text_part', async () => {
    const view = { from: 'ana@example.com', subject: 'Hi', message_id: '<j1@mail.example>', html_part: '<div>Line one<br>Line &lt;two&gt;</div><ul><li>a</li><li>b</li></ul>' };
    const event = await message(JSON.stringify(view), 'application/json');
    expect(event.content).toEqual({ type: 'text', text: 'Line one\nLine <two>\n\n- a\n- b' });
  });
});

describe('email attachments', () => {
  const boundary = 'b1';
  const pdf = Buffer.from('%PDF-1.4 fake invoice').toString('base64');
  const png = Buffer.from('fake png bytes').toString('base64');
  const withAttachments = (text: string | null) =>
    mail(
      { 'Message-ID': '<a1@mail.example>', 'MIME-Version': '1.0', 'Content-Type': `multipart/mixed; boundary="${boundary}"` },
      [
        ...(text === null ? [] : [`--${boundary}`, 'Content-Type: text/plain; charset=utf-8', '', text]),
        `--${boundary}`,
        'Content-Type: image/png; name="logo.png"',
        'Content-Disposition: inline; filename="logo.png"',
        'Content-ID: <logo@mail.example>',
        'Content-Transfer-Encoding: base64',
        '',
        png,
        `--${boundary}`,
        'Content-Type: application/pdf; name="invoice.pdf"',
        'Content-Disposition: attachment; filename="invoice.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        pdf,
        `--${boundary}--`,
        '',
      ].join('\n'),
    );

  it('names each attachment by its part, hands its bytes over beside the event, leaves the inline logo out beside a text, and keeps no bytes in the event', async () => {
    const result = await normalize(withAttachments('Invoice attached.'));
    if (!result.ok) throw new Error(result.error);
    const event = result.events[0]!;
    if (event.kind !== 'message') throw new Error(event.kind);
    expect(event.content).toEqual({ type: 'text', text: 'Invoice attached.' });
    expect(event.attachments).toEqual([{ type: 'file', mediaId: 'part-2', mimeType: 'application/pdf', name: 'invoice.pdf', size: Buffer.from(pdf, 'base64').length }]);
    expect(result.files).toEqual([{ mediaId: 'part-2', bytes: Buffer.from(pdf, 'base64'), mimeType: 'application/pdf', name: 'invoice.pdf' }]);
    const stored = JSON.stringify(event);
    expect(stored).not.toContain(pdf);
    expect(stored).not.toContain(png);
    expect(stored).toContain('invoice.pdf');
  });

  it('takes the bytes of a JSON view that inlines them base64, and none from one that does not', async () => {
    const view = (content: unknown) =>
      JSON.stringify({ from: 'ana@example.com', message_id: '<j1@mail.example>', text_part: 'See attached', attachments: [{ filename: 'invoice.pdf', content_type: 'application/pdf', content }] });
    const inlined = await normalize(view(pdf), 'application/json');
    if (!inlined.ok) throw new Error(inlined.error);
    expect(inlined.files).toEqual([{ mediaId: 'part-1', bytes: Buffer.from(pdf, 'base64'), mimeType: 'application/pdf', name: 'invoice.pdf' }]);
    expect(JSON.stringify(inlined.events)).not.toContain(pdf);
    const linked = await normalize(view({ url: 'https://files.example/1' }), 'application/json');
    if (!linked.ok) throw new Error(linked.error);
    expect(linked.files).toEqual([]);
    expect(linked.events[0]).toMatchObject({ attachments: [{ mediaId: 'part-1', name: 'invoice.pdf' }] });
  });

  it('without a text, the attachments (inline images included) are the message', async () => {
    const event = await message(withAttachments(null));
    expect(event.attachments?.map((a) => [a.name, a.mediaId])).toEqual([
      ['invoice.pdf', 'part-2'],
      ['logo.png', 'part-1'],
    ]);
    expect(event.content).toMatchObject({ type: 'file', name: 'invoice.pdf', mimeType: 'application/pdf' });
    expect(event.attachments?.[1]).toMatchObject({ type: 'image', mimeType: 'image/png' });
  });
});

describe('email from robots', () => {
  it.each([
    ['Auto-Submitted: auto-replied', { 'Auto-Submitted': 'auto-replied' }, 'auto-reply'],
    ['Auto-Submitted: auto-generated', { 'Auto-Submitted': 'auto-generated' }, 'auto-reply'],
    ['X-Autoreply: yes', { 'X-Autoreply': 'yes' }, 'auto-reply'],
    ['Precedence: bulk', { Precedence: 'bulk' }, 'auto-reply'],
    ['Precedence: auto_reply', { Precedence: 'auto_reply' }, 'auto-reply'],
    ['a delivery-status report', { 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="r"' }, 'bounce'],
  ])('%s is unsupported, so no flow answers it', async (_name, headers, rawType) => {
    const event = await single(mail({ 'Message-ID': '<auto@mail.example>', ...headers }, '--r\r\nContent-Type: text/plain\r\n\r\nI am away.\r\n--r--\r\n'));
    expect(event.kind).toBe('unsupported');
    if (event.kind !== 'unsupported') return;
    expect(event.rawType).toBe(rawType);
    expect(event.reason).toMatch(/robots/);
    expect(event.id).toBe('auto@mail.example');
    expect(event.from?.id).toBe('ana.lima@example.com');
  });

  it('Auto-Submitted: no is a person', async () => {
    expect((await single(mail({ 'Message-ID': '<p@mail.example>', 'Auto-Submitted': 'no' }, 'hello'))).kind).toBe('message');
  });

  it('the JSON view\'s headers are checked too', async () => {
    const view = { from: 'mailer-daemon@example.com', message_id: '<b@x>', headers: { 'Auto-Submitted': 'auto-replied' }, text_part: 'Out of office' };
    expect(await single(JSON.stringify(view), 'application/json')).toMatchObject({ kind: 'unsupported', rawType: 'auto-reply' });
  });
});

describe('email ids', () => {
  it('a mail without Message-ID gets the SHA-256 of its bytes, the same on every delivery', async () => {
    const raw = mail({}, 'no id here');
    const first = await message(raw);
    const again = await message(raw);
    const other = await message(mail({}, 'another mail'));
    expect(first.id).toBe(`sha256-${createHash('sha256').update(raw).digest('hex')}`);
    expect(again.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
    expect(first.thread.id).toBe(first.id);
  });

  it('lower-cases the sender id and keeps the address as written', async () => {
    const event = await message(mail({ 'Message-ID': '<c@x>' }, 'hi'));
    expect(event.from).toEqual({ id: 'ana.lima@example.com', email: 'Ana.Lima@Example.com', name: 'Ana Lima' });
  });

  it('takes the customer from Reply-To when there is one (contact forms send from the shop\'s mailer)', async () => {
    const event = await message(mail({ 'Message-ID': '<cf@x>', From: 'Shop <mailer@shop.example>', 'Reply-To': 'Bea Ruiz <Bea@Example.org>' }, 'Where is my order?'));
    expect(event.from).toEqual({ id: 'bea@example.org', email: 'Bea@Example.org', name: 'Bea Ruiz' });
    const view = { from: 'mailer@shop.example', reply_to: 'bea@example.org', message_id: '<cf2@x>', text_part: 'hi' };
    expect(await message(JSON.stringify(view), 'application/json')).toMatchObject({ from: { id: 'bea@example.org' } });
  });

  it('uses now when the mail has no Date', async () => {
    const event = await message(mail({ 'Message-ID': '<d@x>', Date: '' }, 'hi'));
    expect(event.timestamp).toBe(now.toISOString());
  });
});

describe('email robustness', () => {
  it('a JSON body that is not JSON is malformed_body', async () => {
    expect(await normalize('{"from": ', 'application/json')).toMatchObject({ ok: false, error: 'malformed_body' });
  });

  it('JSON without a sender is invalid_body naming from', async () => {
    const result = await normalize(JSON.stringify({ subject: 'hi', text_part: 'x' }), 'application/json');
    expect(result).toMatchObject({ ok: false, error: 'invalid_body' });
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain('$.from');
  });

  it('JSON with a wrongly typed field names that field', async () => {
    const result = await normalize(JSON.stringify({ from: 'a@b.example', references: 42 }), 'application/json');
    if (result.ok) throw new Error('expected a refusal');
    expect(result.issues.map((i) => i.path)).toContain('$.references');
  });

  it('bytes that are not mail are malformed_body; mail without From is invalid_body naming from', async () => {
    expect(await normalize('just some words, no header at all')).toMatchObject({ ok: false, error: 'malformed_body' });
    expect(await normalize(Buffer.alloc(0))).toMatchObject({ ok: false, error: 'malformed_body' });
    expect(await normalize('Subject: hi\r\n\r\nbody')).toMatchObject({ ok: false, error: 'invalid_body', issues: [{ path: 'from' }] });
  });

  it('never throws on random bytes', async () => {
    for (let seed = 0; seed < 20; seed++) {
      const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7919 + seed * 104_729) % 256));
      await expect(normalize(bytes)).resolves.toBeDefined();
      await expect(normalize(bytes, 'application/json')).resolves.toMatchObject({ ok: false });
    }
  });

  it('sniffs the format when the content type is missing', async () => {
    const view = JSON.stringify({ from: 'ana@example.com', message_id: '<s@x>', text_part: 'hi' });
    const fromJson = await emailInbound.normalize({ body: Buffer.from(view), now });
    const fromMime = await emailInbound.normalize({ body: Buffer.from(mail({ 'Message-ID': '<s@x>' }, 'hi')), now });
    expect(fromJson).toMatchObject({ ok: true, events: [{ id: 's@x' }] });
    expect(fromMime).toMatchObject({ ok: true, events: [{ id: 's@x' }] });
  });
});

describe('email webhook verification', () => {
  const body = fixture('email/email_text_only.eml');
  const request = (headers: Record<string, string>, payload: Buffer = body): InboundRequest => ({ method: 'POST', url: 'https://signalbox.example/hooks/ch-1', headers, body: payload });
  const secret = 'a-long-enough-webhook-secret';
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('accepts the X-Signalbox-Signature HMAC of the raw body', () => {
    expect(emailInbound.verify(request({ 'x-signalbox-signature': sign(body, secret) }), { webhookSecret: secret })).toEqual({ ok: true });
  });

  it('rejects a tampered body, a wrong secret and a missing header', () => {
    const tampered = Buffer.concat([body, Buffer.from('x')]);
    expect(emailInbound.verify(request({ 'x-signalbox-signature': sign(body, secret) }, tampered), { webhookSecret: secret }).ok).toBe(false);
    expect(emailInbound.verify(request({ 'x-signalbox-signature': sign(body, 'another-secret-of-length') }), { webhookSecret: secret }).ok).toBe(false);
    expect(emailInbound.verify(request({}), { webhookSecret: secret })).toEqual({ ok: false, reason: 'no X-Signalbox-Signature header' });
  });

  it('accepts HTTP Basic credentials when they are configured, and refuses wrong ones', () => {
    const secrets = { webhookUsername: 'mailhook', webhookPassword: 'p4ss:word' };
    expect(emailInbound.verify(request({ authorization: basic('mailhook', 'p4ss:word') }), secrets)).toEqual({ ok: true });
    expect(emailInbound.verify(request({ authorization: basic('mailhook', 'wrong') }), secrets).ok).toBe(false);
    expect(emailInbound.verify(request({ authorization: basic('other', 'p4ss:word') }), secrets).ok).toBe(false);
    expect(emailInbound.verify(request({ authorization: 'Bearer p4ss:word' }), secrets).ok).toBe(false);
    expect(emailInbound.verify(request({}), secrets)).toEqual({ ok: false, reason: 'no Authorization header' });
  });

  it('takes either when both are configured, and refuses when nothing is configured', () => {
    const both = { webhookSecret: secret, webhookUsername: 'mailhook', webhookPassword: 'pw' };
    expect(emailInbound.verify(request({ authorization: basic('mailhook', 'pw') }), both)).toEqual({ ok: true });
    expect(emailInbound.verify(request({ 'x-signalbox-signature': sign(body, secret) }), both)).toEqual({ ok: true });
    expect(emailInbound.verify(request({ 'x-signalbox-signature': 'sha256=00', authorization: basic('mailhook', 'nope') }), both).ok).toBe(false);
    expect(emailInbound.verify(request({ 'x-signalbox-signature': sign(body, secret) }), {}).ok).toBe(false);
  });
});
