import { createServer, type Server } from 'node:http';
import { Server as TcpServer, type AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, sign, type WebhookOutbound } from '@signalbox/channels';

export { freshDatabase } from '@signalbox/db/testing';

/** A reply as the callback server received it: the parsed body, its signature header and the raw text that was signed. */
export type Callback = Pick<WebhookOutbound, 'id' | 'conversationId' | 'inReplyTo' | 'text' | 'buttons'> & { signature: string | undefined; raw: string };

/** A local stand-in for a shop's system receiving webhook replies; answers 200 unless told otherwise. */
export async function callbackServer(respond?: (body: Callback, n: number) => { status: number; headers?: Record<string, string> }) {
  const received: Callback[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = { ...(JSON.parse(raw) as Omit<Callback, 'signature' | 'raw'>), signature: req.headers[SIGNATURE_HEADER] as string | undefined, raw };
      n += 1;
      const answer = respond?.(body, n) ?? { status: 200 };
      if (answer.status >= 200 && answer.status < 300) received.push(body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    received,
    attempts: () => n,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** POSTs a signed generic-webhook body; returns status and JSON answer. */
export async function postWebhook(baseUrl: string, channelId: string, secret: string, body: unknown, options: { signature?: string | null; raw?: string } = {}) {
  const text = options.raw ?? JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature = options.signature === undefined ? sign(text, secret) : options.signature;
  if (signature !== null) headers[SIGNATURE_HEADER] = signature;
  const response = await fetch(`${baseUrl}/hooks/${channelId}`, { method: 'POST', headers, body: text });
  const json = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  return { status: response.status, json };
}

/** A port free right now on 127.0.0.1, for a child process that must be told its port before it starts. */
export async function freePort(): Promise<number> {
  const server = new TcpServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
