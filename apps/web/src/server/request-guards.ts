/**
 * Checks every state-changing request passes before any work: it comes from this site (a page elsewhere cannot
 * sign a visitor in or out, or post on their behalf), and its body is not larger than the route takes.
 */

/** Null when the request may proceed; otherwise the response to send. */
export function guardRequest(request: Request, maxBytes: number): Response | null {
  if (request.method !== 'GET' && request.method !== 'HEAD' && !fromThisSite(request)) {
    return Response.json({ error: { message: 'cross-site request refused' } }, { status: 403 });
  }
  const length = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(length) && length > maxBytes) {
    return Response.json({ error: { message: `request body larger than ${Math.round(maxBytes / 1000)} kB` } }, { status: 413 });
  }
  return null;
}

function fromThisSite(request: Request): boolean {
  // Browsers send Sec-Fetch-Site on every request; Origin on every POST. Scripts and curl send neither.
  const site = request.headers.get('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const origin = request.headers.get('origin');
  if (!origin) return true;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The client's address as the server saw it (Next.js sets x-forwarded-for; a proxy in front adds its hop). */
export function clientAddress(request: Request): string {
  return request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || 'unknown';
}
