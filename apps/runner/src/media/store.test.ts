import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeS3 } from '../testing/fake-s3.ts';
import { S3MediaStore } from './s3-store.ts';
import { LocalMediaStore, readThrough, type MediaStore } from './store.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0xff, 0x00, 0x80]);
const FILE = `${'ab'.repeat(16)}.png`;

async function bytesOf(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A file as the fetcher leaves it for the store: complete, in a scratch folder. */
function incoming(bytes: Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'signalbox-incoming-')), 'part');
  writeFileSync(path, bytes);
  return path;
}

describe('LocalMediaStore', () => {
  it('moves a saved file into <dir>/<channelId>/<file> and serves its bytes and size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signalbox-media-'));
    const store = new LocalMediaStore(dir);
    const path = incoming(PNG);
    await store.save({ channelId: 'ch-1', file: FILE }, path, { mimeType: 'image/png', size: PNG.length });
    expect(existsSync(path)).toBe(false);
    expect(existsSync(join(dir, 'ch-1', FILE))).toBe(true);
    expect(await store.stat({ channelId: 'ch-1', file: FILE })).toEqual({ size: PNG.length });
    const opened = await store.open({ channelId: 'ch-1', file: FILE });
    expect(opened?.size).toBe(PNG.length);
    expect(await bytesOf(opened!.body)).toEqual(PNG);
  });

  it('knows no file of another channel, and no folder as a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signalbox-media-'));
    const store = new LocalMediaStore(dir);
    await store.save({ channelId: 'ch-1', file: FILE }, incoming(PNG), { mimeType: 'image/png', size: PNG.length });
    expect(await store.open({ channelId: 'ch-2', file: FILE })).toBeNull();
    expect(await store.stat({ channelId: '.', file: 'ch-1' })).toBeNull();
  });
});

describe('S3MediaStore against an S3-compatible server (path-style)', () => {
  const s3 = new FakeS3();
  let store: S3MediaStore;
  beforeAll(async () => {
    await s3.start();
    store = new S3MediaStore({ bucket: 'shop-media', endpoint: s3.url, region: 'eu-central-1', accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-test', forcePathStyle: true });
  });
  afterAll(async () => {
    store.close();
    await s3.stop();
  });
  beforeEach(() => {
    s3.requests.length = 0;
  });

  it('PUTs the file as media/<channelId>/<file> with its type and exact bytes, signed, and deletes the local copy', async () => {
    const path = incoming(PNG);
    await store.save({ channelId: 'ch-1', file: FILE }, path, { mimeType: 'image/png', size: PNG.length });
    const [put] = s3.requests;
    expect(put).toMatchObject({ method: 'PUT', path: `/shop-media/media/ch-1/${FILE}` });
    expect(put?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-central-1\/s3\/aws4_request/);
    expect(put?.headers['content-length']).toBe(String(PNG.length));
    // No aws-chunked framing: the stored object is the file itself.
    expect(s3.objects.get(`/shop-media/media/ch-1/${FILE}`)).toEqual({ body: PNG, contentType: 'image/png' });
    expect(existsSync(path)).toBe(false);
  });

  it('streams an object back with its size (GET), and tells its size (HEAD)', async () => {
    s3.objects.set(`/shop-media/media/ch-1/${FILE}`, { body: PNG, contentType: 'image/png' });
    const opened = await store.open({ channelId: 'ch-1', file: FILE });
    expect(opened?.size).toBe(PNG.length);
    expect(await bytesOf(opened!.body)).toEqual(PNG);
    expect(await store.stat({ channelId: 'ch-1', file: FILE })).toEqual({ size: PNG.length });
    expect(s3.requests.map((r) => [r.method, r.path])).toEqual([
      ['GET', `/shop-media/media/ch-1/${FILE}`],
      ['HEAD', `/shop-media/media/ch-1/${FILE}`],
    ]);
  });

  it('answers null for a missing object, on GET and on HEAD', async () => {
    expect(await store.open({ channelId: 'ch-1', file: `${'cd'.repeat(16)}.jpg` })).toBeNull();
    expect(await store.stat({ channelId: 'ch-1', file: `${'cd'.repeat(16)}.jpg` })).toBeNull();
  });

  it('reads through to the local folder for what the bucket lacks (web chat uploads stay local)', async () => {
    const local = new LocalMediaStore(mkdtempSync(join(tmpdir(), 'signalbox-media-')));
    const upload = `${'ef'.repeat(16)}.pdf`;
    await local.save({ channelId: 'chat', file: upload }, incoming(Buffer.from('%PDF-1.7\n')), { mimeType: 'application/pdf', size: 9 });
    const serving: MediaStore = readThrough(store, local);
    expect(await bytesOf((await serving.open({ channelId: 'chat', file: upload }))!.body)).toEqual(Buffer.from('%PDF-1.7\n'));
    expect(await serving.open({ channelId: 'chat', file: `${'00'.repeat(16)}.pdf` })).toBeNull();
  });
});
