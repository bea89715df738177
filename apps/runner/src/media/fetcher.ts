import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { MessageEvent } from '@signalbox/nodes';
import { fetchesMedia, isMediaContent, mediaDownload, MediaLookupError, type MediaContent, type MediaSource } from '@signalbox/channels';
import { matchesSignature, mimeEssence, newStoredName, SIGNATURE_BYTES, typeLabel, UPLOAD_TYPES } from '../channels/webchat/media.ts';
import { mediaUrl } from '../channels/webchat/uploads.ts';
import { FETCHED_TYPES, OCTET_STREAM, TYPE_ALIASES } from './media-types.ts';
import type { InboundFiles } from './inbound-files.ts';

/** The largest file copied from a platform (WhatsApp documents go to 100 MB; such a file keeps the platform's reference). */
export const MAX_MEDIA_BYTES = 25 * 1024 * 1024;

/** The channel as the fetcher needs it: its type picks the platform, its settings and credentials authorize the GET. */
export interface MediaChannel {
  id: string;
  type: string;
  config: Readonly<Record<string, unknown>>;
  credentials: Readonly<Record<string, string | undefined>>;
}

/** Where copies go, as for files that come inside a request, plus the limits of downloading them. */
export interface MediaFetcherOptions extends InboundFiles {
  /** For all the media of one message: lookups, downloads and storing. */
  timeoutMs: number;
  maxBytes?: number;
}

/** Why a media item was not copied: the `reason` label of `signalbox_media_fetch_failed_total`. */
type FailureReason = 'lookup' | 'http' | 'too_large' | 'content_type' | 'timeout' | 'network' | 'store';

class FetchFailed extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
  }
}

interface Fetched {
  url: string;
  mimeType: string;
  size: number;
}

/** How many recent messages' results are kept, so a batch redone after a stale commit does not download again. */
const RECENT = 512;

/**
 * Copies the media of inbound messages from their platform into the media store, so agents and flows can use
 * them after the platform's link expires (WhatsApp's download URLs last minutes; Telegram's need the bot token).
 * `localize` answers the message with each copied item's `url` pointing at the runner's `/media/...` (its
 * `mediaId` kept); an item that could not be copied keeps the platform's reference, is logged with the reason and
 * counted, and never holds the message back longer than `timeoutMs`.
 */
export class MediaFetcher {
  private readonly maxBytes: number;
  private readonly recent = new Map<string, Promise<MessageEvent>>();
  /** Follows redirects (Twilio's media URLs answer 307 to signed storage); undici drops Authorization across origins. */
  private readonly agent: Dispatcher = new Agent({ connections: 16, keepAliveTimeout: 10_000 }).compose(interceptors.redirect({ maxRedirections: 5 }));

  constructor(private readonly options: MediaFetcherOptions) {
    this.maxBytes = options.maxBytes ?? MAX_MEDIA_BYTES;
  }

  /** The message with its media pointing at the runner's copies where they could be made. Never throws. */
  localize(channel: MediaChannel, message: MessageEvent): Promise<MessageEvent> {
    if (!fetchesMedia(channel.type) || message.echo) return Promise.resolve(message);
    const items = [message.content, ...(message.attachments ?? [])].filter(isMediaContent);
    if (items.length === 0) return Promise.resolve(message);
    const key = `${channel.id}:${message.id}`;
    let localized = this.recent.get(key);
    if (!localized) {
      localized = this.copyAll(channel, message);
      this.recent.set(key, localized);
      if (this.recent.size > RECENT) this.recent.delete(this.recent.keys().next().value as string);
    }
    return localized;
  }

  /**
   * Starts copying the media of a stored event (as the ingress stored it) before its turn comes, so the media of
   * a batch download together: an album of ten pictures costs one wait, not ten. `localize` picks the result up.
   */
  prefetch(channel: MediaChannel, payload: unknown): void {
    if (!fetchesMedia(channel.type) || !mayCarryMedia(payload)) return;
    const parsed = MessageEvent.safeParse(payload);
    if (parsed.success) void this.localize(channel, parsed.data);
  }

  private async copyAll(channel: MediaChannel, message: MessageEvent): Promise<MessageEvent> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    // The first of several attachments is also the content (Twilio, Bandwidth): one download serves both.
    const started = new Map<string, Promise<Fetched | null>>();
    const copy = (item: MediaContent) => {
      const id = `${item.mediaId ?? ''}\n${item.url ?? ''}`;
      let fetched = started.get(id);
      if (!fetched) {
        fetched = this.copy(channel, message, item, signal);
        started.set(id, fetched);
      }
      return fetched;
    };
    const first = message.content;
    const content = isMediaContent(first) ? copy(first).then((fetched) => pointAt(first, fetched)) : Promise.resolve(first);
    const attachments = (message.attachments ?? []).map((item) => copy(item).then((fetched) => pointAt(item, fetched)));
    return { ...message, content: await content, ...(message.attachments ? { attachments: await Promise.all(attachments) } : {}) };
  }

  private async copy(channel: MediaChannel, message: MessageEvent, item: MediaContent, signal: AbortSignal): Promise<Fetched | null> {
    const incoming = join(this.options.incomingDir, randomBytes(16).toString('hex'));
    try {
      let source: MediaSource | null;
      try {
        source = await mediaDownload(channel.type, item, { config: channel.config, secrets: channel.credentials, signal });
      } catch (error) {
        if (error instanceof MediaLookupError && !signal.aborted) throw new FetchFailed('lookup', error.message);
        throw error;
      }
      if (!source) return null;
      if (source.size !== undefined && source.size > this.maxBytes) throw new FetchFailed('too_large', `the platform says the file has ${source.size} bytes`);
      const { size, head, contentType } = await this.download(source, incoming, signal);
      // The type the file is served with: the download's, unless it says nothing useful, then the platform's.
      const said = mimeEssence(contentType);
      const declared = said === '' || said === OCTET_STREAM || said === 'binary/octet-stream' ? (source.mimeType ?? item.mimeType) : said;
      const type = servedType(declared, head);
      if ('refused' in type) throw new FetchFailed('content_type', type.refused);
      const file = newStoredName(type.extension);
      try {
        await this.options.store.save({ channelId: channel.id, file }, incoming, { mimeType: type.mimeType, size });
      } catch (error) {
        throw new FetchFailed('store', (error as Error).message);
      }
      this.options.metrics.mediaFetched.inc({ channel_type: channel.type });
      return { url: mediaUrl(this.options.publicBase(), channel.id, file, item.name), mimeType: type.mimeType, size };
    } catch (error) {
      const failure = signal.aborted
        ? new FetchFailed('timeout', `not fetched within ${this.options.timeoutMs} ms`)
        : error instanceof FetchFailed
          ? error
          : new FetchFailed('network', (error as Error).message);
      this.options.metrics.mediaFailed.inc({ channel_type: channel.type, reason: failure.reason });
      // Never the source URL or its headers: they can carry a token.
      this.options.log.warn(
        { channelId: channel.id, eventId: message.id, mediaId: item.mediaId, reason: failure.reason, err: failure.message },
        "inbound media not fetched; the message keeps the platform's reference",
      );
      return null;
    } finally {
      // Gone already when the store took it.
      await unlink(incoming).catch(() => undefined);
    }
  }

  /** Streams the file to `path`, refusing it as soon as it is known to be too large (by Content-Length, then by counting). */
  private async download(source: MediaSource, path: string, signal: AbortSignal): Promise<{ size: number; head: Buffer; contentType: string | undefined }> {
    const response = await request(source.url, { method: 'GET', headers: source.headers, dispatcher: this.agent, signal });
    if (response.statusCode !== 200) {
      await response.body.dump().catch(() => undefined);
      throw new FetchFailed('http', `the download answered HTTP ${response.statusCode}`);
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      // Closes the connection without reading the body (dump past its limit destroys the stream quietly).
      await response.body.dump({ limit: 0 }).catch(() => undefined);
      throw new FetchFailed('too_large', `the file has ${declared} bytes (at most ${this.maxBytes})`);
    }
    await mkdir(this.options.incomingDir, { recursive: true });
    let size = 0;
    let head = Buffer.alloc(0);
    const maxBytes = this.maxBytes;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new FetchFailed('too_large', `the file is larger than ${maxBytes} bytes`));
        if (head.length < SIGNATURE_BYTES) head = Buffer.concat([head, chunk]).subarray(0, SIGNATURE_BYTES);
        done(null, chunk);
      },
    });
    await pipeline(response.body, count, createWriteStream(path, { flags: 'wx' }));
    if (size === 0) throw new FetchFailed('http', 'the download was empty');
    const contentType = response.headers['content-type'];
    return { size, head, contentType: Array.isArray(contentType) ? contentType[0] : contentType };
  }

  /** Ends downloads still running (their messages keep the platform's reference). */
  close(): Promise<void> {
    return this.agent.destroy();
  }
}

/** A cheap look at a stored payload before parsing it: only messages with media content or attachments. */
function mayCarryMedia(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null) return false;
  const event = payload as { kind?: unknown; echo?: unknown; content?: { type?: unknown }; attachments?: unknown };
  if (event.kind !== 'message' || event.echo === true) return false;
  const type = event.content?.type;
  return type === 'image' || type === 'audio' || type === 'video' || type === 'file' || type === 'sticker' || Array.isArray(event.attachments);
}

function pointAt<T extends MediaContent>(item: T, fetched: Fetched | null): T {
  if (!fetched) return item;
  return { ...item, url: fetched.url, mimeType: item.mimeType ?? fetched.mimeType, size: fetched.size };
}

/**
 * The type a fetched file is served with, by the same rule as web chat uploads: a declared type the runner
 * knows must match the file's first bytes. A file that does not is stored as what its bytes say it is, or
 * refused (an error page sent as `image/jpeg`); a type the runner does not serve (a page, an SVG, an
 * executable) is stored as an inert download, or as what its bytes say when they name a known format.
 */
export function servedType(declared: string | undefined, head: Buffer): { mimeType: string; extension: string } | { refused: string } {
  const essence = mimeEssence(declared);
  const mimeType = TYPE_ALIASES[essence] ?? essence;
  const known = UPLOAD_TYPES[mimeType] ?? (mimeType !== OCTET_STREAM ? FETCHED_TYPES[mimeType] : undefined);
  if (known) {
    const matches = UPLOAD_TYPES[mimeType] ? matchesSignature(mimeType, head) : FETCHED_TYPES[mimeType]!.magic(head);
    if (matches) return { mimeType, extension: known.extension };
    return sniff(head) ?? { refused: `the content is not what its type says (${typeLabel(mimeType)})` };
  }
  return sniff(head) ?? { mimeType: OCTET_STREAM, extension: FETCHED_TYPES[OCTET_STREAM]!.extension };
}

/** Formats recognised by their first bytes alone. Containers that several types share (ZIP, OLE) are not guessed. */
const SNIFFED = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'audio/ogg', 'audio/mpeg', 'audio/amr', 'audio/wav', 'video/mp4', 'video/webm'];

function sniff(head: Buffer): { mimeType: string; extension: string } | null {
  for (const mimeType of SNIFFED) {
    const upload = UPLOAD_TYPES[mimeType];
    if (upload?.magic?.(head)) return { mimeType, extension: upload.extension };
    const fetched = FETCHED_TYPES[mimeType];
    if (fetched?.magic(head)) return { mimeType, extension: fetched.extension };
  }
  return null;
}

