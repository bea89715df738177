import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MessageContent, MessageEvent } from '@signalbox/nodes';
import { createMetrics } from '../metrics.ts';
import { MediaFetcher, servedType, type MediaChannel } from './fetcher.ts';
import { LocalMediaStore } from './store.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0xde, 0xad, 0xbe, 0xef]);
const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(28, 1)]);

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A platform's file host: each test sets what a path answers. */
class FileHost {
  readonly seen: IncomingMessage[] = [];
  readonly routes = new Map<string, Handler>();
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.seen.push(req);
      const handler = this.routes.get(new URL(req.url ?? '/', 'http://host.invalid').pathname);
      if (handler) handler(req, res);
      else res.writeHead(404).end('not here');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  file(path: string, body: Buffer, contentType: string): this {
    this.routes.set(path, (_req, res) => res.writeHead(200, { 'content-type': contentType, 'content-length': String(body.length) }).end(body));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const host = new FileHost();
const storage = new FileHost();
beforeAll(async () => {
  await host.start();
  await storage.start();
});
afterAll(async () => {
  await host.stop();
  await storage.stop();
});
beforeEach(() => {
  host.seen.length = 0;
  host.routes.clear();
  storage.seen.length = 0;
  storage.routes.clear();
});

function setup(options: { maxBytes?: number; timeoutMs?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'signalbox-media-'));
  const logs: Record<string, unknown>[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const metrics = createMetrics(async () => ({ inbound: 0, outbox: 0, timers: 0 }));
  const fetcher = new MediaFetcher({
    store: new LocalMediaStore(dir),
    incomingDir: join(dir, '.incoming'),
    publicBase: () => 'https://runner.example',
    metrics,
    log,
    timeoutMs: options.timeoutMs ?? 5_000,
    maxBytes: options.maxBytes,
  });
  const failures = async () => (await metrics.mediaFailed.get()).values.map((v) => ({ ...v.labels, count: v.value }));
  const fetched = async () => (await metrics.mediaFetched.get()).values.reduce((sum, v) => sum + v.value, 0);
  return { dir, fetcher, logs, failures, fetched };
}

const messenger: MediaChannel = { id: 'ch-fb', type: 'messenger', config: {}, credentials: { pageAccessToken: 'page-token' } };

function event(content: MessageContent, attachments?: MessageEvent['attachments']): MessageEvent {
  return {
    kind: 'message',
    id: `mid.${Math.random().toString(36).slice(2)}`,
    channelType: 'messenger',
    timestamp: '2026-11-24T12:00:00.000Z',
    thread: { id: 'psid-1', kind: 'direct' },
    raw: {},
    messageId: 'mid.1',
    from: { id: 'psid-1' },
    content,
    echo: false,
    ...(attachments ? { attachments } : {}),
  };
}

/** Downloads that were not cleaned up. */
const leftovers = (dir: string) => (existsSync(join(dir, '.incoming')) ? readdirSync(join(dir, '.incoming')) : []);

/** The file a stored URL names, read from the local store. */
function storedBytes(dir: string, channelId: string, url: string): Buffer {
  const file = new URL(url).pathname.split('/').pop()!;
  return readFileSync(join(dir, channelId, file));
}

describe('MediaFetcher', () => {
  it("stores the file and points the content at the runner's /media URL, keeping mediaId and caption", async () => {
    host.file('/cdn/photo', PNG, 'image/png');
    const { dir, fetcher, fetched } = setup();
    const message = event({ type: 'image', url: `${host.url}/cdn/photo?sig=1`, mediaId: 'att-1', caption: 'the label' });
    const localized = await fetcher.localize(messenger, message);
    expect(localized.content).toMatchObject({ type: 'image', mediaId: 'att-1', caption: 'the label', mimeType: 'image/png', size: PNG.length });
    const url = (localized.content as { url: string }).url;
    expect(url).toMatch(/^https:\/\/runner\.example\/media\/ch-fb\/[a-f0-9]{32}\.png$/);
    expect(storedBytes(dir, 'ch-fb', url)).toEqual(PNG);
    expect(await fetched()).toBe(1);
    // The rest of the event is untouched.
    expect({ ...localized, content: message.content }).toEqual(message);
  });

  it('downloads an item once when it is both the content and the first attachment, and gives documents their name', async () => {
    host.file('/cdn/a.pdf', Buffer.from('%PDF-1.7\n%…'), 'application/pdf');
    host.file('/cdn/b.ogg', OGG, 'audio/ogg');
    const { fetcher } = setup();
    const first = { type: 'file' as const, url: `${host.url}/cdn/a.pdf`, name: 'Factura 7.pdf' };
    const localized = await fetcher.localize(messenger, event({ ...first, caption: 'invoice' }, [first, { type: 'audio', url: `${host.url}/cdn/b.ogg` }]));
    expect(host.seen.map((r) => r.url)).toEqual(expect.arrayContaining(['/cdn/a.pdf', '/cdn/b.ogg']));
    expect(host.seen).toHaveLength(2);
    expect((localized.content as { url: string }).url).toMatch(/\.pdf\?name=Factura%207\.pdf$/);
    expect(localized.attachments?.[0]?.url).toBe((localized.content as { url: string }).url);
    expect(localized.attachments?.[1]).toMatchObject({ type: 'audio', mimeType: 'audio/ogg', url: expect.stringMatching(/\.ogg$/) });
  });

  it('refuses a file over the cap by its Content-Length without reading it, and keeps the platform link', async () => {
    host.file('/cdn/big', Buffer.alloc(4_000, 7), 'image/jpeg');
    const { dir, fetcher, failures, logs } = setup({ maxBytes: 1_000 });
    const message = event({ type: 'image', url: `${host.url}/cdn/big` });
    expect((await fetcher.localize(messenger, message)).content).toEqual(message.content);
    expect(await failures()).toEqual([{ channel_type: 'messenger', reason: 'too_large', count: 1 }]);
    expect(logs[0]).toMatchObject({ reason: 'too_large', eventId: message.id, err: 'the file has 4000 bytes (at most 1000)' });
    expect(leftovers(dir)).toEqual([]);
  });

  it('refuses a file over the cap by counting when no length is declared, and leaves nothing behind', async () => {
    host.routes.set('/cdn/stream', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG);
      for (let i = 0; i < 10; i++) res.write(Buffer.alloc(500, i));
      res.end();
    });
    const { dir, fetcher, failures } = setup({ maxBytes: 2_000 });
    const message = event({ type: 'image', url: `${host.url}/cdn/stream` });
    expect((await fetcher.localize(messenger, message)).content).toEqual(message.content);
    expect(await failures()).toEqual([{ channel_type: 'messenger', reason: 'too_large', count: 1 }]);
    expect(leftovers(dir)).toEqual([]);
  });

  it('gives up after the timeout and lets the message go on with the platform link', async () => {
    host.routes.set('/cdn/slow', () => undefined);
    const { fetcher, failures } = setup({ timeoutMs: 600 });
    const message = event({ type: 'video', url: `${host.url}/cdn/slow` });
    const started = Date.now();
    expect((await fetcher.localize(messenger, message)).content).toEqual(message.content);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await failures()).toEqual([{ channel_type: 'messenger', reason: 'timeout', count: 1 }]);
  });

  it('refuses an error page sent as a picture, and stores a page sent as a document as an inert download', async () => {
    const page = Buffer.from('<html><script>alert(1)</script></html>');
    host.file('/cdn/fake.jpg', page, 'image/jpeg');
    host.file('/cdn/page.html', page, 'text/html');
    const { fetcher, failures } = setup();
    const picture = event({ type: 'image', url: `${host.url}/cdn/fake.jpg` });
    expect((await fetcher.localize(messenger, picture)).content).toEqual(picture.content);
    expect(await failures()).toEqual([{ channel_type: 'messenger', reason: 'content_type', count: 1 }]);
    const document = await fetcher.localize(messenger, event({ type: 'file', url: `${host.url}/cdn/page.html`, name: 'page.html' }));
    expect((document.content as { url: string }).url).toMatch(/\.bin\?name=page\.html$/);
    expect(document.content).toMatchObject({ mimeType: 'application/octet-stream' });
  });

  it('counts an HTTP error from the platform as the reason, and fetches nothing for channels it does not copy from', async () => {
    const { fetcher, failures } = setup();
    const gone = event({ type: 'image', url: `${host.url}/cdn/expired` });
    expect((await fetcher.localize(messenger, gone)).content).toEqual(gone.content);
    expect(await failures()).toEqual([{ channel_type: 'messenger', reason: 'http', count: 1 }]);
    const webhook = event({ type: 'image', url: `${host.url}/cdn/expired` });
    expect(await fetcher.localize({ id: 'hook', type: 'webhook', config: {}, credentials: {} }, webhook)).toBe(webhook);
    expect(host.seen).toHaveLength(1);
  });

  it("follows Twilio's redirect to storage and does not carry the credentials to the other origin", async () => {
    const sid = `AC${'0'.repeat(32)}`;
    host.routes.set(`/2010-04-01/Accounts/${sid}/Messages/MM1/Media/ME1`, (_req, res) => res.writeHead(307, { location: `${storage.url}/signed/ME1?X-Amz-Signature=abc` }).end());
    storage.file('/signed/ME1', PNG, 'image/png');
    const { fetcher, logs } = setup();
    const twilio: MediaChannel = { id: 'ch-tw', type: 'twilio', config: { apiBaseUrl: host.url, accountSid: sid, from: '+15550001111' }, credentials: { authToken: 'tw-token' } };
    const message = event({ type: 'image', url: `${host.url}/2010-04-01/Accounts/${sid}/Messages/MM1/Media/ME1`, mediaId: 'ME1', mimeType: 'image/png' });
    const localized = await fetcher.localize(twilio, message);
    expect(logs).toEqual([]);
    expect(localized.content).toMatchObject({ mediaId: 'ME1', url: expect.stringMatching(/^https:\/\/runner\.example\/media\/ch-tw\//) });
    expect(host.seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`${sid}:tw-token`).toString('base64')}`);
    expect(storage.seen[0]?.headers.authorization).toBeUndefined();
  });

  it('runs the same message once even when asked again (a batch redone after a stale commit)', async () => {
    host.file('/cdn/once', PNG, 'image/png');
    const { fetcher } = setup();
    const message = event({ type: 'image', url: `${host.url}/cdn/once` });
    fetcher.prefetch(messenger, message);
    const [a, b] = await Promise.all([fetcher.localize(messenger, message), fetcher.localize(messenger, message)]);
    expect(a).toBe(b);
    expect(host.seen).toHaveLength(1);
  });
});

describe('the type a fetched file is served with', () => {
  it('keeps a declared type its bytes match, including the platforms\' audio and video', () => {
    expect(servedType('image/png', PNG)).toEqual({ mimeType: 'image/png', extension: 'png' });
    expect(servedType('audio/ogg; codecs=opus', OGG)).toEqual({ mimeType: 'audio/ogg', extension: 'ogg' });
    expect(servedType('video/mp4', Buffer.from('\0\0\0\x18ftypmp42\0\0\0\0', 'latin1'))).toEqual({ mimeType: 'video/mp4', extension: 'mp4' });
    expect(servedType('image/jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toEqual({ mimeType: 'image/jpeg', extension: 'jpg' });
  });

  it('goes by the bytes when the declared type is wrong or says nothing, and refuses what matches nothing', () => {
    expect(servedType('image/jpeg', PNG)).toEqual({ mimeType: 'image/png', extension: 'png' });
    expect(servedType(undefined, PNG)).toEqual({ mimeType: 'image/png', extension: 'png' });
    expect(servedType('image/jpeg', Buffer.from('<html>'))).toEqual({ refused: expect.stringContaining('JPEG image') });
    expect(servedType('image/svg+xml', Buffer.from('<svg onload="x()">'))).toEqual({ mimeType: 'application/octet-stream', extension: 'bin' });
    expect(servedType('application/x-msdownload', Buffer.from('MZ\x90\0'))).toEqual({ mimeType: 'application/octet-stream', extension: 'bin' });
  });
});
