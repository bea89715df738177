import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server standing in for a platform's send API in tests. It records every request and answers
 * from a script: `reply(...)` queues answers used in order, after which `fallback` answers (200 by default).
 * Platform test files script the platform's documented bodies (success ids, error objects, 429s).
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
  at: number;
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type Responder = (request: RecordedRequest) => ScriptedAnswer;

export class FakePlatform {
  readonly requests: RecordedRequest[] = [];
  private readonly queued: (ScriptedAnswer | Responder)[] = [];
  private server: Server | null = null;
  url = '';

  constructor(private fallback: Responder = () => ({ status: 200, body: {} })) {}

  /** Queues answers for the next requests, in order. */
  reply(...answers: (ScriptedAnswer | Responder)[]): this {
    this.queued.push(...answers);
    return this;
  }

  /** Answers every request after the queued ones. */
  otherwise(responder: Responder): this {
    this.fallback = responder;
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try {
          json = body ? (JSON.parse(body) as unknown) : null;
        } catch {
          json = null;
        }
        const recorded: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body, json, at: performance.now() };
        this.requests.push(recorded);
        const next = this.queued.shift() ?? this.fallback;
        const answer = typeof next === 'function' ? next(recorded) : next;
        const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status, { 'content-type': typeof answer.body === 'string' ? 'text/plain' : 'application/json', ...answer.headers });
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
