import { createHash } from 'node:crypto';
import { hmac, safeEqual, type ChannelSecrets, type InboundRequest, type Verification } from '../adapter.ts';

/**
 * Twilio's `X-Twilio-Signature`: base64 HMAC-SHA1 with the account's auth token over the URL Twilio called
 * followed, for form bodies, by every POST parameter as name + value, sorted by name. JSON bodies carry the
 * hex SHA-256 of the body in the URL's `bodySHA256` query parameter, and the signature covers the URL alone.
 */
export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/** The signature Twilio sends for a URL and its POST parameters (pairs, so repeated names keep every value). */
export function twilioSignature(url: string, params: readonly (readonly [string, string])[], authToken: string): string {
  const sorted = [...params].sort(([a, av], [b, bv]) => compare(a, b) || compare(av, bv));
  const data = sorted.reduce((text, [name, value]) => text + name + value, url);
  return hmac('sha1', authToken, data, 'base64');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function bodySha256(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}

export function verifyTwilioSignature(request: InboundRequest, secrets: ChannelSecrets): Verification {
  const authToken = secrets.authToken;
  if (!authToken) return { ok: false, reason: 'the channel has no authToken to check X-Twilio-Signature with' };
  const header = request.headers[TWILIO_SIGNATURE_HEADER];
  if (!header) return { ok: false, reason: 'missing X-Twilio-Signature header' };
  const bodyHash = bodyHashParam(request.url);
  if (bodyHash !== null) return verifyJsonBody(request, header.trim(), bodyHash, authToken);
  const params = [...new URLSearchParams(request.body.toString('utf8')).entries()];
  const matches = urlVariants(request.url).some((url) => safeEqual(header.trim(), twilioSignature(url, params, authToken)));
  return matches ? { ok: true } : { ok: false, reason: 'X-Twilio-Signature does not match the URL and parameters' };
}

function verifyJsonBody(request: InboundRequest, header: string, bodyHash: string, authToken: string): Verification {
  const signed = urlVariants(request.url).some((url) => safeEqual(header, twilioSignature(url, [], authToken)));
  if (!signed) return { ok: false, reason: 'X-Twilio-Signature does not match the URL' };
  return safeEqual(bodyHash.toLowerCase(), bodySha256(request.body)) ? { ok: true } : { ok: false, reason: 'bodySHA256 does not match the body' };
}

function bodyHashParam(url: string): string | null {
  try {
    return new URL(url).searchParams.get('bodySHA256');
  } catch {
    return null;
  }
}

/**
 * The URL as called, and the same URL with its default port written out or left out: Twilio has signed both
 * forms over the years (its own helper libraries try both), and proxies differ in which one they pass on.
 * Worked on the string, not a parsed URL, so the path and query keep their exact encoding.
 */
function urlVariants(url: string): string[] {
  const scheme = /^(https?):\/\//i.exec(url);
  if (!scheme) return [url];
  const start = scheme[0].length;
  const pathAt = url.slice(start).search(/[/?#]/);
  const authorityEnd = pathAt === -1 ? url.length : start + pathAt;
  const authority = url.slice(start, authorityEnd);
  const port = /:(\d+)$/.exec(authority.slice(authority.lastIndexOf('@') + 1));
  const defaultPort = scheme[1]?.toLowerCase() === 'https' ? '443' : '80';
  if (!port) return [url, `${url.slice(0, authorityEnd)}:${defaultPort}${url.slice(authorityEnd)}`];
  if (port[1] !== defaultPort) return [url];
  return [url, url.slice(0, authorityEnd - port[0].length) + url.slice(authorityEnd)];
}
