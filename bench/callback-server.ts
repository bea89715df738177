import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, verifySignature } from '@signalbox/channels';

/**
 * The platform side of the generic webhook channel (DESIGN.md section 5): receives the runner's replies,
 * checks their signature, and notes when the reply to each inbound event id (`inReplyTo`) arrived.
 */
export class CallbackServer {
  /** inReplyTo -> performance.now() of the first reply. */
  readonly arrivals = new Map<string, number>();
  duplicates = 0;
  badSignatures = 0;
  malformed = 0;
  secret = '';
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const at = performance.now();
        const body = Buffer.concat(chunks);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        const signature = req.headers[SIGNATURE_HEADER];
        if (this.secret && !verifySignature(body, this.secret, typeof signature === 'string' ? signature : undefined)) {
          this.badSignatures++;
          return;
        }
        let inReplyTo: unknown;
        try {
          inReplyTo = (JSON.parse(body.toString('utf8')) as { inReplyTo?: unknown }).inReplyTo;
        } catch {
          inReplyTo = undefined;
        }
        if (typeof inReplyTo !== 'string') {
          this.malformed++;
          return;
        }
        if (this.arrivals.has(inReplyTo)) this.duplicates++;
        else this.arrivals.set(inReplyTo, at);
      });
    });
    // The runner's fetch keeps connections alive; let it, so the callback path is not dominated by handshakes.
    this.server.keepAliveTimeout = 30_000;
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
