import type { HttpRequest, HttpResponse } from '@signalbox/nodes';

const MAX_RESPONSE_BYTES = 1024 * 1024;

/** The HTTP request node's real I/O (the runner's workers, the editor's live preview): fetch with a timeout and a response size cap. */
export async function httpService(request: HttpRequest): Promise<HttpResponse> {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(request.timeoutMs),
  });
  const buffer = Buffer.from(await response.arrayBuffer());
  if (buffer.length > MAX_RESPONSE_BYTES) throw new Error(`response larger than ${MAX_RESPONSE_BYTES} bytes`);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  return { status: response.status, headers, body: buffer.toString('utf8') };
}
