import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, SIGNATURE_HEADER } from '@signalbox/channels';
import { FakePlatform, type RecordedRequest, type ScriptedAnswer } from '@signalbox/channels/testing';
import { FakeS3 } from '../src/testing/fake-s3.ts';
import { postMeta, whatsappImage } from '../src/testing/meta.ts';
import { waitFor } from '../src/testing/harness.ts';
import { mailWithFiles, type MailFile } from '../src/testing/mail.ts';
import { startTestRunner, type TestRunner } from './setup.ts';

/**
 * A 1x1 GIF made only of bytes below 0x80, so the fake platform (which answers with text) sends exactly these
 * bytes. The runner checks the first bytes against the type, so it must really start like a GIF.
 */
const GIF = Buffer.from([
  ...Buffer.from('GIF89a', 'latin1'),
  0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, // screen 1x1, no colour table
  0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, // image descriptor
  0x02, 0x02, 0x44, 0x01, 0x00, // LZW data
  0x3b,
]);

/** The Graph API: media metadata by id, the bytes at the lookaside URL (only with the token), replies accepted. */
function graphApi(graph: FakePlatform) {
  return (request: RecordedRequest): ScriptedAnswer => {
    if (request.method === 'GET' && request.path === '/v21.0/media-gif') {
      return { status: 200, body: { messaging_product: 'whatsapp', url: `${graph.url}/lookaside/whatsapp_business/attachments/?mid=media-gif&ext=1&hash=h`, mime_type: 'image/gif', sha256: 'ab', file_size: String(GIF.length), id: 'media-gif' } };
    }
    if (request.method === 'GET' && request.path.startsWith('/lookaside/')) {
      if (request.headers.authorization !== 'Bearer wa-token') return { status: 401, body: { error: { message: 'no token' } } };
      return { status: 200, headers: { 'content-type': 'image/gif' }, body: GIF.toString('latin1') };
    }
    if (request.method === 'GET') return { status: 400, body: { error: { message: 'Unsupported get request. Object does not exist', type: 'GraphMethodException', code: 100 } } };
    return { status: 200, body: { messaging_product: 'whatsapp', messages: [{ id: `wamid.out-${graph.requests.length}` }] } };
  };
}

const WHATSAPP = { appSecret: 'app-secret', verifyToken: 'v', accessToken: 'wa-token' };

describe('inbound media through the runner', () => {
  let t: TestRunner;
  let channelId = '';
  const graph = new FakePlatform();

  const post = (body: unknown) => postMeta(t.baseUrl, channelId, body);
  const storedContent = async (externalId: string) =>
    (await t.runner.pool.query<{ content: Record<string, unknown> }>("SELECT content FROM message WHERE external_id = $1 AND direction = 'in'", [externalId])).rows[0]?.content;

  beforeAll(async () => {
    await graph.start();
    graph.otherwise(graphApi(graph));
    t = await startTestRunner();
    ({ id: channelId } = await t.addChannel('whatsapp', { config: { apiBaseUrl: `${graph.url}/v21.0`, phoneNumberId: 'pn-1' }, credentials: WHATSAPP }));
  });
  afterAll(async () => {
    await t.stop();
    await graph.stop();
  });

  it("copies a WhatsApp image before the flow runs: the stored message points at the runner's /media URL, which serves the same bytes", async () => {
    expect((await post(whatsappImage('wamid.img-1', '4915100000011', 'media-gif', 'my parcel'))).status).toBe(200);
    await waitFor(async () => (await storedContent('wamid.img-1')) !== undefined, 15_000, 'the image message to be stored');
    const content = await storedContent('wamid.img-1');
    expect(content).toMatchObject({ type: 'image', mediaId: 'media-gif', caption: 'my parcel', mimeType: 'image/gif', size: GIF.length });
    const url = String(content?.url);
    expect(url.startsWith(`${t.baseUrl}/media/${channelId}/`)).toBe(true);
    expect(url).toMatch(/\/[a-f0-9]{32}\.gif$/);

    const lookup = graph.requests.find((r) => r.path === '/v21.0/media-gif');
    expect(lookup?.headers.authorization).toBe('Bearer wa-token');
    const served = await fetch(url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/gif');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(GIF);
    // The flow ran on the message and answered it.
    await waitFor(() => graph.requests.some((r) => r.method === 'POST' && (r.json as { to?: string }).to === '4915100000011'), 10_000, 'the reply');
  });

  it("keeps the platform's reference when the media cannot be fetched, still runs the flow, and counts the failure", async () => {
    expect((await post(whatsappImage('wamid.img-2', '4915100000012', 'media-expired', 'second try'))).status).toBe(200);
    await waitFor(async () => (await storedContent('wamid.img-2')) !== undefined, 15_000, 'the image message to be stored');
    const content = await storedContent('wamid.img-2');
    expect(content).toMatchObject({ type: 'image', mediaId: 'media-expired', caption: 'second try' });
    expect(content?.url).toBeUndefined();
    await waitFor(() => graph.requests.some((r) => r.method === 'POST' && (r.json as { to?: string }).to === '4915100000012'), 10_000, 'the reply');
    const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/signalbox_media_fetch_failed_total\{channel_type="whatsapp",reason="lookup"\} 1/);
    expect(metrics).toMatch(/signalbox_media_fetched_total\{channel_type="whatsapp"\} 1/);
  });
});

describe('inbound media in an S3 bucket', () => {
  let t: TestRunner;
  const graph = new FakePlatform();
  const s3 = new FakeS3();

  beforeAll(async () => {
    await graph.start();
    await s3.start();
    graph.otherwise(graphApi(graph));
    t = await startTestRunner({
      env: { S3_BUCKET: 'shop-media', S3_ENDPOINT: s3.url, S3_FORCE_PATH_STYLE: 'true', S3_ACCESS_KEY_ID: 'AKIDTEST', S3_SECRET_ACCESS_KEY: 'secret-test' },
    });
  });
  afterAll(async () => {
    await t.stop();
    await graph.stop();
    await s3.stop();
  });

  it('stores the copy in the bucket, and the same /media URL streams it from there', async () => {
    const { id: channelId } = await t.addChannel('whatsapp', { config: { apiBaseUrl: `${graph.url}/v21.0`, phoneNumberId: 'pn-1' }, credentials: WHATSAPP });
    const answer = await postMeta(t.baseUrl, channelId, whatsappImage('wamid.s3-1', '4915100000021', 'media-gif', 'in the bucket'));
    expect(answer.status).toBe(200);
    let content: Record<string, unknown> | undefined;
    await waitFor(async () => {
      content = (await t.runner.pool.query<{ content: Record<string, unknown> }>("SELECT content FROM message WHERE external_id = 'wamid.s3-1'")).rows[0]?.content;
      return content !== undefined;
    }, 15_000, 'the image message to be stored');
    const url = String(content?.url);
    const file = url.split('/').pop() ?? '';
    expect(url).toBe(`${t.baseUrl}/media/${channelId}/${file}`);
    expect(s3.objects.get(`/shop-media/media/${channelId}/${file}`)).toEqual({ body: GIF, contentType: 'image/gif' });
    const served = await fetch(url);
    expect(served.headers.get('content-type')).toBe('image/gif');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(GIF);
    expect(s3.requests.at(-1)).toMatchObject({ method: 'GET', path: `/shop-media/media/${channelId}/${file}` });
    expect((await fetch(`${t.baseUrl}/media/${channelId}/${'0'.repeat(32)}.gif`)).status).toBe(404);
  });

  it('puts web chat uploads in the bucket too, so every ingress process serves them', async () => {
    const chat = await t.addChannel('webchat', {});
    const uploaded = await fetch(`${t.baseUrl}/chat/${chat.id}/upload?session=s3-session-1`, { method: 'POST', headers: { 'content-type': 'image/gif', 'x-file-name': 'label.gif' }, body: GIF });
    expect(uploaded.status).toBe(201);
    const { url } = (await uploaded.json()) as { url: string };
    const file = new URL(url).pathname.split('/').pop() ?? '';
    expect(s3.objects.get(`/shop-media/media/${chat.id}/${file}`)).toEqual({ body: GIF, contentType: 'image/gif' });
    const served = await fetch(url);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(GIF);
  });
});

describe('email attachments through the webhook', () => {
  let t: TestRunner;
  let channelId = '';
  const SECRET = 'mail-hook-secret';
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

  beforeAll(async () => {
    t = await startTestRunner();
    ({ id: channelId } = await t.addChannel('email', { config: { smtpHost: '127.0.0.1', smtpPort: 2525, fromAddress: 'care@shop.example' }, credentials: { webhookSecret: SECRET } }));
  });
  afterAll(() => t.stop());

  const mimeWith = (id: string, files: MailFile[]) => mailWithFiles({ id, subject: 'Photos', text: 'The parcel arrived like this.', files });

  const post = (body: string) =>
    fetch(`${t.baseUrl}/hooks/${channelId}`, { method: 'POST', headers: { 'content-type': 'message/rfc822', [SIGNATURE_HEADER]: sign(body, SECRET) }, body });

  it('stores each attachment before the event, links it from the stored message, and keeps one whose bytes lie about their type as a description', async () => {
    const fake = Buffer.from('<html>not a picture</html>');
    const answer = await post(mimeWith('photos@example.com', [{ name: 'box.png', type: 'image/png', bytes: png }, { name: 'label.png', type: 'image/png', bytes: fake }]));
    expect(answer.status).toBe(200);
    const event = (await t.runner.pool.query<{ payload: { attachments: { url?: string; name: string }[] } }>("SELECT payload FROM inbound_event WHERE external_id = 'photos@example.com'")).rows[0]?.payload;
    const [box, label] = event?.attachments ?? [];
    expect(box?.url).toMatch(new RegExp(`^${t.baseUrl}/media/${channelId}/[a-f0-9]{32}\\.png$`));
    expect(label).toMatchObject({ type: 'image', name: 'label.png', mimeType: 'image/png' });
    expect(label?.url).toBeUndefined();
    const served = await fetch(box!.url!);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(png);
    await waitFor(async () => (await t.runner.pool.query("SELECT 1 FROM message WHERE external_id = 'photos@example.com'")).rowCount === 1, 15_000, 'the stored message');
    const stored = (await t.runner.pool.query<{ attachments: unknown[] }>("SELECT attachments FROM message WHERE external_id = 'photos@example.com'")).rows[0];
    expect(stored?.attachments).toEqual(event?.attachments);
    const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/signalbox_media_fetched_total\{channel_type="email"\} 1/);
    expect(metrics).toMatch(/signalbox_media_fetch_failed_total\{channel_type="email",reason="content_type"\} 1/);
  });
});
