import type { HttpRequest, HttpResponse } from '@signalbox/nodes';

const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * The HTTP request node's real I/O (the runner's workers, the editor's live preview): fetch with a timeout, and
 * a response size cap enforced while reading, so a huge answer is cut off instead of filling memory first.
 */
export async function httpService(request: HttpRequest): Promise<HttpResponse> {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(request.timeoutMs),
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  return { status: response.status, headers, body: await readCapped(response, MAX_RESPONSE_BYTES) };
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`response larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
