import { request } from 'undici';
import type { z } from 'zod';
import type { MessageContent } from '@signalbox/nodes';
import type { ChannelSecrets } from '../adapter.ts';

/** A message content that names a file kept by the platform. */
export type MediaContent = Extract<MessageContent, { type: 'image' | 'audio' | 'video' | 'file' | 'sticker' }>;

/**
 * Where the bytes of one media item can be downloaded, and the headers the GET needs. The headers carry the
 * channel's credentials: never log them, nor a Telegram URL (the bot token is part of its path).
 */
export interface MediaSource {
  url: string;
  headers: Record<string, string>;
  /** What the platform said about the file before the download (WhatsApp's `mime_type`, Telegram's `file_size`). */
  mimeType?: string;
  size?: number;
}

export interface MediaContext {
  /** The channel's stored settings; each resolver parses them with its platform's schema (defaults included). */
  config: Readonly<Record<string, unknown>>;
  secrets: ChannelSecrets;
  /** Ends the platform lookups when the time the caller allows for the item is over. */
  signal?: AbortSignal;
}

/** The platform would not say where a file is (unknown id, expired, not ready, wrong credentials). */
export class MediaLookupError extends Error {}

export type MediaResolver = (content: MediaContent, context: MediaContext) => Promise<MediaSource | null>;

export interface LookupAnswer {
  status: number;
  json: unknown;
  text: string;
}

const LOOKUP_TIMEOUT_MS = 15_000;

/**
 * One GET to a platform's API for a file's whereabouts. Network failures become a `MediaLookupError` naming
 * `platform`, not the URL (which may hold a token).
 */
export async function lookup(platform: string, url: string, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<LookupAnswer> {
  try {
    const response = await request(url, { method: 'GET', headers: { accept: 'application/json', ...headers }, signal, headersTimeout: LOOKUP_TIMEOUT_MS, bodyTimeout: LOOKUP_TIMEOUT_MS });
    const text = await response.body.text();
    let json: unknown = null;
    try {
      json = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      json = null;
    }
    return { status: response.statusCode, json, text };
  } catch (error) {
    throw new MediaLookupError(`${platform} unreachable: ${(error as Error).message}`);
  }
}

/** The channel's settings through the platform's schema, or a lookup error naming the fields at fault. */
export function settings<T extends z.ZodType>(schema: T, config: unknown, platform: string): z.infer<T> {
  const parsed = schema.safeParse(config);
  if (parsed.success) return parsed.data;
  throw new MediaLookupError(`${platform} settings: ${parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')}`);
}

/** Only web addresses are fetched: a payload must not make the runner read `file:` or other schemes. */
export function webUrl(value: string, platform: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new MediaLookupError(`${platform}: the media URL is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new MediaLookupError(`${platform}: the media URL is not http(s)`);
  return url;
}

/**
 * Whether a media URL points at the platform's own API, so its credentials may go with the request: a URL a
 * payload names on some other host gets none.
 */
export function platformHost(url: URL, apiBaseUrl: string, domain: string): boolean {
  const base = new URL(apiBaseUrl);
  return url.origin === base.origin || (url.protocol === 'https:' && (url.hostname === domain || url.hostname.endsWith(`.${domain}`)));
}

/** A short reason from a platform's error body: its own message when it has one, else the start of the text. */
export function reasonOf(answer: LookupAnswer, message: string | undefined): string {
  return message ?? (answer.text.slice(0, 200) || 'no body');
}
