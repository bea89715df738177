import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpService } from './http-service.ts';

describe('the HTTP request node’s real I/O', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/huge') {
        // 4 MB in 64 kB chunks: the cap must cut it off while reading.
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(64 * 1024, 97);
        let sent = 0;
        const pump = () => {
          while (sent < 64 && res.write(chunk)) sent += 1;
          if (sent >= 64) res.end();
          else res.once('drain', pump);
        };
        pump();
        return;
      }
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => res.writeHead(201, { 'x-echo': req.method ?? '' }).end(JSON.stringify({ got: body })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('returns status, headers and body', async () => {
    const response = await httpService({ method: 'POST', url: `${base}/echo`, headers: { 'content-type': 'application/json' }, body: '{"a":1}', timeoutMs: 5000 });
    expect(response.status).toBe(201);
    expect(response.headers['x-echo']).toBe('POST');
    expect(JSON.parse(response.body)).toEqual({ got: '{"a":1}' });
  });

  it('refuses a response over 1 MB', async () => {
    await expect(httpService({ method: 'GET', url: `${base}/huge`, headers: {}, timeoutMs: 5000 })).rejects.toThrow('response larger than 1048576 bytes');
  });
});
