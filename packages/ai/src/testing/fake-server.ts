import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TranslationError } from '../translation/errors.ts';

/**
 * A local HTTP server on port 0 that plays a provider's API for tests: it records every request, answers through
 * the provider-specific handler, and can be told to fail the next requests the way that provider documents.
 */

/** A scripted answer for one upcoming request, rendered by each fake in its provider's documented format. */
export type FakeFailure =
  | { type: 'rate_limit'; retryAfterSeconds?: number }
  | { type: 'server_error'; status?: number }
  | { type: 'quota' }
  | { type: 'auth' }
  | { type: 'bad_request'; message?: string }
  /** Waits this long before answering normally: longer than the client's timeout, it is a timeout. */
  | { type: 'slow'; delayMs: number };

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** JSON bodies parsed; form bodies as an object whose repeated fields are arrays; undefined when unreadable. */
  body: unknown;
  rawBody: string;
  /** `performance.now()` when the request arrived, for asserting waits between retries. */
  receivedAt: number;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export type FakeHandler = (request: RecordedRequest, failure: Exclude<FakeFailure, { type: 'slow' }> | undefined) => FakeResponse;

export interface FakeServer {
  /** The base URL to configure the client with. */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /** The next requests (one failure each, in order) fail this way; later ones are answered normally. */
  fail(...failures: FakeFailure[]): void;
  /** Forgets recorded requests and pending failures. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeServerOptions {
  /** Added to every answer. */
  latencyMs?: number;
  /** Appended to the server's root to form `url` (OpenAI-compatible servers live under `/v1`). */
  basePath?: string;
}

export async function startFakeServer(handle: FakeHandler, options: FakeServerOptions = {}): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const pending: FakeFailure[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://fake.local');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: parseBody(rawBody, req.headers['content-type']),
        rawBody,
        receivedAt: performance.now(),
      };
      requests.push(recorded);
      const failure = pending.shift();
      const delay = (failure?.type === 'slow' ? failure.delayMs : 0) + (options.latencyMs ?? 0);
      const answer = () => {
        if (res.destroyed || res.writableEnded) return;
        let response: FakeResponse;
        try {
          response = handle(recorded, failure?.type === 'slow' ? undefined : failure);
        } catch (error) {
          response = { status: 500, body: { fakeServerError: String(error) } };
        }
        const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
        res.writeHead(response.status, { 'content-type': typeof response.body === 'string' ? 'text/plain' : 'application/json', ...response.headers });
        res.end(body);
      };
      if (delay <= 0) return answer();
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, delay);
      timers.add(timer);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  // Listening on a TCP port, so the address is an AddressInfo (a string only for pipes).
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${options.basePath ?? ''}`,
    requests,
    fail: (...failures) => pending.push(...failures),
    reset() {
      requests.length = 0;
      pending.length = 0;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    const form: Record<string, string | string[]> = {};
    for (const [key, value] of new URLSearchParams(raw)) {
      const existing = form[key];
      form[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
    return form;
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads a field that a provider accepts as one string or a list of strings. */
export function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return undefined;
  const strings = value.filter((item): item is string => typeof item === 'string');
  return strings.length === value.length ? strings : undefined;
}

export function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null && name in body ? Reflect.get(body, name) : undefined;
}

/** For provider tests: the `TranslationError` a call failed with (any other outcome fails the test). */
export async function providerFailure(promise: Promise<unknown>): Promise<TranslationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TranslationError)) throw new Error(`expected a TranslationError, got ${String(error)}`);
  return error;
}
