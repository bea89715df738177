import { createHmac, timingSafeEqual } from 'node:crypto';
import type { InboundEvent } from '@signalbox/nodes';

/**
 * The inbound half of a channel adapter: answer the platform's setup handshake, check the request's signature,
 * and turn the body into normalized events. Functions of the request and the channel's secrets alone (no I/O;
 * `normalize` is async because MIME parsing is), so the runner, the CLI (`signalbox normalize`) and the tests
 * all run the same code.
 */

/** One HTTP request from a platform, as the ingress received it. */
export interface InboundRequest {
  method: string;
  /** The full URL the platform called, as the platform saw it (Twilio signs it): scheme, host, path, query. */
  url: string;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The exact bytes of the body: signatures are computed over them. */
  body: Buffer;
}

/** A channel's decrypted credentials (tokens, app secrets), by name. Never logged. */
export type ChannelSecrets = Readonly<Record<string, string | undefined>>;

export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * Bytes that came inside the request itself (an email's attachments), for the ingress to store before the
 * events: a media item of an event names its file by `mediaId`. Events never carry binaries.
 */
export interface InboundFile {
  mediaId: string;
  bytes: Buffer;
  mimeType: string;
  name?: string;
}

export type Normalized =
  | { ok: true; events: InboundEvent[]; files?: InboundFile[] }
  /** `malformed_body`: not JSON / form / MIME at all; `invalid_body`: readable, but not the platform's envelope. */
  | { ok: false; error: 'malformed_body' | 'invalid_body'; issues: FieldIssue[] };

export type Verification = { ok: true } | { ok: false; reason: string };

export interface HandshakeReply {
  status: number;
  contentType: string;
  body: string;
}

export interface NormalizeInput {
  body: Buffer;
  /** The request's Content-Type; adapters that take more than one body format (Twilio: form or JSON) read it. */
  contentType?: string;
  /** Stands in for a missing platform timestamp. */
  now: Date;
}

export interface InboundAdapter {
  /** The channel type this adapter serves (`channel.type`). */
  type: string;
  /** The largest body this platform sends, when above the ingress's BODY_LIMIT_BYTES (email with attachments). */
  maxBodyBytes?: number;
  /**
   * Answers a platform's setup request (Meta's `GET ?hub.mode=subscribe&hub.challenge=…`), or null when the
   * request is not one. Runs before `verify`: handshakes are not signed.
   */
  handshake?(request: InboundRequest, secrets: ChannelSecrets): HandshakeReply | null;
  /** Checks the request came from the platform (signature header, secret token). */
  verify(request: InboundRequest, secrets: ChannelSecrets): Verification;
  /**
   * Every event in the body, in the platform's order. Never throws: what cannot be understood becomes an
   * `unsupported` event that keeps its raw payload; only a body that is not the platform's format is refused.
   */
  normalize(input: NormalizeInput): Promise<Normalized>;
}

/** Constant-time comparison of two strings (different lengths compare unequal, without a timing signal on content). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** HMAC of the raw body, as hex or base64, for the signature schemes of most platforms. */
export function hmac(algorithm: 'sha1' | 'sha256', secret: string, data: string | Buffer, encoding: 'hex' | 'base64'): string {
  return createHmac(algorithm, secret).update(data).digest(encoding);
}

/** Reads a JSON body, or says where it broke. */
export function readJson(body: Buffer): { ok: true; value: unknown } | { ok: false; issues: FieldIssue[] } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, issues: [{ path: '$', message: `not JSON: ${(error as Error).message}` }] };
  }
}

/** Seconds (or milliseconds, when the value is that large) since the epoch as an ISO timestamp; `now` when unreadable. */
export function epochToIso(value: unknown, now: Date): string {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : typeof value === 'number' ? value : NaN;
  if (!Number.isFinite(number) || number <= 0) return now.toISOString();
  const millis = number > 1e12 ? number : number * 1000;
  const date = new Date(millis);
  return Number.isNaN(date.getTime()) ? now.toISOString() : date.toISOString();
}
