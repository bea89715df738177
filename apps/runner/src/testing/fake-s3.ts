import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for S3 with path-style addressing: PUT, GET and HEAD of objects at `/<bucket>/<key>`, with S3's
 * 404 answers (an XML `NoSuchKey` error for GET, no body for HEAD). Signatures are recorded, not checked.
 */
export class FakeS3 {
  readonly objects = new Map<string, { body: Buffer; contentType: string | undefined }>();
  readonly requests: { method: string; path: string; headers: IncomingHttpHeaders }[] = [];
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = decodeURIComponent(new URL(req.url ?? '/', 'http://s3.invalid').pathname);
        this.requests.push({ method: req.method ?? '', path, headers: req.headers });
        if (req.method === 'PUT') {
          this.objects.set(path, { body: Buffer.concat(chunks), contentType: req.headers['content-type'] });
          res.writeHead(200, { etag: '"fake-etag"' }).end();
          return;
        }
        const object = this.objects.get(path);
        if (!object) {
          if (req.method === 'HEAD') return void res.writeHead(404).end();
          res.writeHead(404, { 'content-type': 'application/xml' });
          res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${path}</Key></Error>`);
          return;
        }
        res.writeHead(200, {
          'content-type': object.contentType ?? 'application/octet-stream',
          'content-length': String(object.body.length),
          etag: '"fake-etag"',
          'last-modified': new Date(0).toUTCString(),
        });
        res.end(req.method === 'HEAD' ? undefined : object.body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
