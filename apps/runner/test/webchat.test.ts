import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { conversationMessages, findConversation } from '@signalbox/db';
import { waitFor } from '../src/testing/harness.ts';
import { startTestRunner, type TestRunner } from './setup.ts';

// A real 1x1 PNG: the route checks the first bytes against the declared type.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const SESSION = 'upload-session-1';

describe('web chat: the socket, uploads (POST /chat/:channelId/upload) and media (GET /media/…)', () => {
  let t: TestRunner;
  const dataDir = mkdtempSync(join(tmpdir(), 'signalbox-uploads-'));
  const stored = () => readdirSync(join(dataDir, 'media', 'demo-webchat')).sort();
  const upload = (body: NonNullable<RequestInit['body']>, headers: Record<string, string>, query = `?session=${SESSION}`, channelId = 'demo-webchat') =>
    fetch(`${t.baseUrl}/chat/${channelId}/upload${query}`, { method: 'POST', headers: { origin: 'http://shop.example', ...headers }, body, duplex: 'half' } as RequestInit);

  beforeAll(async () => {
    t = await startTestRunner({ env: { SIGNALBOX_DATA_DIR: dataDir } });
  });
  afterAll(async () => {
    await t.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores a picture and serves it back with its type, nosniff and CORS for any origin', async () => {
    const response = await upload(PNG, { 'content-type': 'image/png', 'x-file-name': encodeURIComponent('order label ✓.png') });
    expect(response.status).toBe(201);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const file = (await response.json()) as { url: string; type: string; mimeType: string; name: string; size: number };
    expect(file).toMatchObject({ type: 'image', mimeType: 'image/png', name: 'order label ✓.png', size: PNG.length });
    expect(file.url).toMatch(new RegExp(`^${t.baseUrl}/media/demo-webchat/[a-f0-9]{32}\\.png$`));

    const served = await fetch(file.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('access-control-allow-origin')).toBe('*');
    expect(served.headers.get('content-disposition')).toBe('inline');
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('answers the CORS preflight of a cross-origin upload', async () => {
    const response = await fetch(`${t.baseUrl}/chat/demo-webchat/upload?session=${SESSION}`, {
      method: 'OPTIONS',
      headers: { origin: 'http://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-file-name' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('x-file-name');
  });

  it('downloads a document under the customer’s file name', async () => {
    const response = await upload(Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n'), { 'content-type': 'application/pdf', 'x-file-name': 'invoice%207.pdf' });
    expect(response.status).toBe(201);
    const file = (await response.json()) as { url: string; type: string };
    expect(file.type).toBe('file');
    const served = await fetch(file.url);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(served.headers.get('content-disposition')).toContain('attachment; filename="invoice 7.pdf"');
  });

  it('refuses a file over 10 MB with 413, by its declared length and while streaming one without', async () => {
    const before = stored();
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0);
    PNG.copy(big);
    const declared = await upload(big, { 'content-type': 'image/png' });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: 'payload_too_large' });
    expect(declared.headers.get('access-control-allow-origin')).toBe('*');

    const chunks = [PNG, ...Array.from({ length: 11 }, () => Buffer.alloc(1024 * 1024, 1))];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const streamed = await upload(stream, { 'content-type': 'image/png' }).catch((error: Error) => error);
    // The refusal may reach the client before it finished sending; then fetch reports the closed connection.
    if (streamed instanceof Response) {
      expect(streamed.status).toBe(413);
      expect(await streamed.json()).toMatchObject({ error: 'payload_too_large' });
    }
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
    // Nothing of a refused file is kept, not even its partial write.
    await waitFor(() => stored().length === before.length, 2_000, 'the partial file removed');
    expect(stored()).toEqual(before);
  });

  it('refuses other types with 415: executables, SVG, and bytes that are not the declared type', async () => {
    for (const [type, body] of [
      ['application/x-msdownload', Buffer.from('MZ\u0090\u0000')],
      ['image/svg+xml', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
      ['text/html', Buffer.from('<script>alert(1)</script>')],
      ['image/png', Buffer.from('<html><script>alert(document.cookie)</script></html>')],
    ] as const) {
      const response = await upload(body, { 'content-type': type });
      expect(response.status, type).toBe(415);
      expect(await response.json()).toMatchObject({ error: 'unsupported_media_type' });
    }
    expect((await upload(PNG, {})).status).toBe(415);
    expect(stored().every((name) => /^[a-f0-9]{32}\.(png|pdf)$/.test(name))).toBe(true);
  });

  it('refuses a missing or malformed session with 400, an unknown channel with 404, an empty file with 400', async () => {
    const missing = await upload(PNG, { 'content-type': 'image/png' }, '');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_session', issues: [{ path: 'session' }] });
    expect((await upload(PNG, { 'content-type': 'image/png' }, '?session=../../x')).status).toBe(400);
    expect((await upload(PNG, { 'content-type': 'image/png' }, `?session=${SESSION}`, 'no-such-channel')).status).toBe(404);
    const empty = await upload(Buffer.alloc(0), { 'content-type': 'image/png' });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: 'empty_file' });
    const badName = await upload(PNG, { 'content-type': 'image/png', 'x-file-name': '%E0%A4%A' });
    expect(badName.status).toBe(400);
    expect(await badName.json()).toMatchObject({ error: 'invalid_file_name' });
  });

  it('serves nothing outside the media folder', async () => {
    for (const path of ['/media/demo-webchat/..%2F..%2Fsecret.key', '/media/..%2Fpgdata/PG_VERSION', `/media/demo-webchat/${'a'.repeat(32)}.png`, '/media/demo-webchat/x.html']) {
      expect((await fetch(`${t.baseUrl}${path}`)).status, path).toBe(404);
    }
  });

  it('turns an attachment message into a stored image message with the runner’s own URL', async () => {
    const file = (await (await upload(PNG, { 'content-type': 'image/png', 'x-file-name': 'label.png' })).json()) as { url: string };
    const socket = new WebSocket(`${t.baseUrl.replace('http', 'ws')}/chat/demo-webchat/ws?session=${SESSION}`);
    const frames: { type: string; [key: string]: unknown }[] = [];
    socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8'))));
    await waitFor(() => frames.some((f) => f.type === 'history'), 10_000, 'the history');
    expect(frames[0]).toMatchObject({ type: 'welcome', channel: { id: 'demo-webchat' }, upload: { maxBytes: 10 * 1024 * 1024 } });

    // The host the client names is ignored: the stored URL is the runner's.
    const path = new URL(file.url).pathname;
    socket.send(JSON.stringify({ type: 'attachment', id: 'att-1', url: `https://evil.example${path}`, mimeType: 'text/html', name: 'label.png' }));
    await waitFor(() => frames.some((f) => f.type === 'ack' && f.id === 'att-1'), 10_000, 'the ack');
    socket.send(JSON.stringify({ type: 'attachment', id: 'att-2', url: 'https://evil.example/media/demo-webchat/nothing.png' }));
    const refused = await waitFor(() => frames.some((f) => f.type === 'error' && f.id === 'att-2'), 10_000, 'the refusal').then(() => frames.find((f) => f.id === 'att-2'));
    expect(refused).toMatchObject({ error: 'unknown_attachment', issues: [{ path: 'url' }] });
    socket.send(JSON.stringify({ type: 'attachment', id: 'att-3', url: '/media/%E0%A4%A/x.png' }));
    await waitFor(() => frames.some((f) => f.type === 'error' && f.id === 'att-3' && f.error === 'unknown_attachment'), 10_000, 'the malformed URL refused');
    socket.send(JSON.stringify({ type: 'typing', active: true }));
    socket.send(JSON.stringify({ type: 'typing', active: 'yes' }));
    await waitFor(() => frames.some((f) => f.type === 'error' && f.error === 'invalid_message'), 10_000, 'the invalid typing frame');

    await waitFor(async () => {
      const conversation = await findConversation(t.runner.pool, 'demo-webchat', SESSION);
      return conversation !== null && (await conversationMessages(t.runner.pool, conversation.id)).some((m) => m.direction === 'in');
    }, 10_000, 'the stored message');
    const conversation = await findConversation(t.runner.pool, 'demo-webchat', SESSION);
    const stored = (await conversationMessages(t.runner.pool, conversation!.id)).filter((m) => m.direction === 'in');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ externalId: 'att-1', content: { type: 'image', url: file.url, mimeType: 'image/png', name: 'label.png', size: PNG.length } });
    socket.close();
  });

  /** A browser session's socket, keeping every frame; frames may be sent before it is open. */
  function chatSocket(session: string, query = '') {
    const socket = new WebSocket(`${t.baseUrl.replace('http', 'ws')}/chat/demo-webchat/ws?session=${session}${query}`);
    const frames: { type: string; [key: string]: unknown }[] = [];
    socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8'))));
    const opened = new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return { socket, frames, opened, send: (frame: unknown) => socket.send(JSON.stringify(frame)) };
  }

  it('stores a message resent with the same id after a reconnect once, and acks the resend as a duplicate', async () => {
    const session = 'resend-session-1';
    const first = chatSocket(session);
    await first.opened;
    first.send({ type: 'message', id: 'c-1', text: 'hello' });
    await waitFor(() => first.frames.some((f) => f.type === 'ack'), 10_000, 'the ack');
    first.socket.close();

    const second = chatSocket(session);
    await waitFor(() => second.frames.some((f) => f.type === 'history'), 10_000, 'the history');
    second.send({ type: 'message', id: 'c-1', text: 'hello' });
    await waitFor(() => second.frames.some((f) => f.type === 'ack'), 10_000, 'the second ack');
    expect(second.frames.find((f) => f.type === 'ack')).toEqual({ type: 'ack', id: 'c-1', duplicate: true });

    const third = chatSocket(session);
    await waitFor(() => third.frames.some((f) => f.type === 'history' && (f.messages as unknown[]).length >= 3), 10_000, 'the greeting in the history');
    const history = third.frames.find((f) => f.type === 'history')!.messages as { direction: string; clientId?: string }[];
    expect(history.filter((m) => m.direction === 'in')).toEqual([expect.objectContaining({ clientId: 'c-1', content: { type: 'text', text: 'hello' } })]);
    second.socket.close();
    third.socket.close();
  });

  it('records the message as the channel’s last event, for the channels page', async () => {
    const lastEvent = async () => (await t.runner.pool.query<{ last_event_at: Date | null }>('SELECT last_event_at FROM channel WHERE id = $1', ['demo-webchat'])).rows[0]?.last_event_at ?? null;
    const before = await lastEvent();
    const chat = chatSocket('health-session-1');
    await chat.opened;
    chat.send({ type: 'message', id: 'h-1', text: 'is anyone there?' });
    await waitFor(() => chat.frames.some((f) => f.type === 'ack'), 10_000, 'the ack');
    await waitFor(async () => ((await lastEvent())?.getTime() ?? 0) > (before?.getTime() ?? 0), 10_000, 'the channel health to be written');
    chat.socket.close();
  });

  it('handles frames sent the moment the socket opens in their order, a picture (checked on disk) before the text after it', async () => {
    const file = (await (await upload(PNG, { 'content-type': 'image/png' }, '?session=order-session-1')).json()) as { url: string };
    const chat = chatSocket('order-session-1');
    await chat.opened;
    chat.send({ type: 'attachment', id: 'o-1', url: file.url });
    for (const id of ['o-2', 'o-3', 'o-4', 'o-5']) chat.send({ type: 'message', id, text: id });
    await waitFor(() => chat.frames.filter((f) => f.type === 'ack').length === 5, 10_000, 'five acks');
    expect(chat.frames.filter((f) => f.type === 'ack').map((f) => f.id)).toEqual(['o-1', 'o-2', 'o-3', 'o-4', 'o-5']);
    const stored = await t.runner.pool.query<{ external_id: string }>(
      `SELECT external_id FROM inbound_event WHERE channel_id = 'demo-webchat' AND external_id LIKE 'order-session-1:%' ORDER BY id`,
    );
    expect(stored.rows.map((r) => r.external_id)).toEqual(['o-1', 'o-2', 'o-3', 'o-4', 'o-5'].map((id) => `order-session-1:${id}`));
    chat.socket.close();
  });

  it('keeps the browser’s locale on the customer’s event, and refuses a malformed one naming the field', async () => {
    const chat = chatSocket('locale-session-1', '&locale=ms-MY');
    await chat.opened;
    chat.send({ type: 'message', id: 'l-1', text: 'selamat pagi' });
    await waitFor(() => chat.frames.some((f) => f.type === 'ack'), 10_000, 'the ack');
    const stored = await t.runner.pool.query<{ locale: string }>(
      `SELECT payload->'from'->>'locale' AS locale FROM inbound_event WHERE channel_id = 'demo-webchat' AND external_id = 'locale-session-1:l-1'`,
    );
    expect(stored.rows).toEqual([{ locale: 'ms-MY' }]);
    chat.socket.close();

    const bad = chatSocket('locale-session-2', `&locale=${encodeURIComponent('<script>')}`);
    const closed = new Promise<number>((resolve) => bad.socket.once('close', (code) => resolve(code)));
    expect(await closed).toBe(4400);
    expect(bad.frames).toEqual([{ type: 'error', error: 'invalid_locale', message: 'locale: a language tag such as "de" or "pt-BR"' }]);
  });

  it('serves the chat page in the browser’s language (Accept-Language, or ?lang=), right to left for Arabic', async () => {
    const page = async (query: string, acceptLanguage?: string) => {
      const response = await fetch(`${t.baseUrl}/chat/demo-webchat${query}`, { headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} });
      expect(response.headers.get('vary')).toContain('accept-language');
      return response.text();
    };
    const english = await page('');
    expect(english).toContain('<html lang="en" dir="ltr">');
    expect(english).toContain('placeholder="Write a message…"');
    const spanish = await page('', 'es-MX,es;q=0.9,en;q=0.5');
    expect(spanish).toContain('<html lang="es" dir="ltr">');
    expect(spanish).toContain('placeholder="Escribe un mensaje…"');
    expect(spanish).toContain('>Enviar</button>');
    const arabic = await page('?lang=ar', 'es');
    expect(arabic).toContain('<html lang="ar" dir="rtl">');
    expect(arabic).toContain('placeholder="اكتب رسالة…"');
  });

  it('serves the widget script to any origin, with the upload limits and its words filled in', async () => {
    const response = await fetch(`${t.baseUrl}/widget.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const script = await response.text();
    expect(script).not.toContain('__SIGNALBOX_LIMITS__;');
    expect(script).toContain('"maxBytes":10485760');
    // Its words in every language it speaks, filled in the same way.
    expect(script).not.toContain('__SIGNALBOX_TEXT__;');
    expect(script).toContain('"placeholder":"Nachricht schreiben…"');
    expect(script).toContain('"rightToLeft":["ar"]');
    const again = await fetch(`${t.baseUrl}/widget.js`, { headers: { 'if-none-match': response.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });
});
