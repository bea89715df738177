import { randomBytes } from 'node:crypto';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { InboundEvent } from '@signalbox/nodes';
import { isMediaContent, type InboundFile, type MediaContent } from '@signalbox/channels';
import { newStoredName, SIGNATURE_BYTES } from '../channels/webchat/media.ts';
import { mediaUrl } from '../channels/webchat/uploads.ts';
import type { Metrics } from '../metrics.ts';
import { servedType } from './fetcher.ts';
import type { MediaStore } from './store.ts';

/** What storing the files that arrive inside a request needs (the email channel's attachments). */
export interface InboundFiles {
  store: MediaStore;
  /** A folder on the same disk as a local store (a file is moved, not copied), for files on their way in. */
  incomingDir: string;
  /** The runner's public address, which stored media URLs start with (PUBLIC_URL, else where it listens). */
  publicBase: () => string;
  metrics: Pick<Metrics, 'mediaFetched' | 'mediaFailed'>;
  log: Logger;
}

/**
 * The events with each media item that names a file of the request (`mediaId`) pointing at the runner's copy.
 * The files are stored first, so the event a flow or an agent sees already links to them. A file that cannot
 * be stored, or whose bytes are not what it claims to be, leaves its item as the metadata the mail gave
 * (logged and counted): the message is never refused for an attachment. A redelivered request stores its
 * files again under new names; the event's dedupe keeps the first copy in use.
 */
export async function storeInboundFiles(deps: InboundFiles, channel: { id: string; type: string }, events: InboundEvent[], files: readonly InboundFile[]): Promise<InboundEvent[]> {
  if (files.length === 0) return events;
  const urls = new Map<string, Promise<string | null>>();
  for (const file of files) urls.set(file.mediaId, storeOne(deps, channel, file));
  const point = async <T extends MediaContent>(item: T): Promise<T> => {
    const url = item.mediaId ? await urls.get(item.mediaId) : null;
    return url ? { ...item, url } : item;
  };
  return Promise.all(
    events.map(async (event) => {
      if (event.kind !== 'message') return event;
      const content = isMediaContent(event.content) ? await point(event.content) : event.content;
      const attachments = event.attachments ? await Promise.all(event.attachments.map(point)) : undefined;
      return { ...event, content, ...(attachments ? { attachments } : {}) };
    }),
  );
}

async function storeOne(deps: InboundFiles, channel: { id: string; type: string }, file: InboundFile): Promise<string | null> {
  const type = servedType(file.mimeType, file.bytes.subarray(0, SIGNATURE_BYTES));
  if ('refused' in type) {
    deps.metrics.mediaFailed.inc({ channel_type: channel.type, reason: 'content_type' });
    deps.log.warn({ channelId: channel.id, mediaId: file.mediaId, err: type.refused }, 'attachment not stored; the message keeps its description');
    return null;
  }
  const incoming = join(deps.incomingDir, randomBytes(16).toString('hex'));
  try {
    await mkdir(deps.incomingDir, { recursive: true });
    await writeFile(incoming, file.bytes, { flag: 'wx' });
    const stored = newStoredName(type.extension);
    await deps.store.save({ channelId: channel.id, file: stored }, incoming, { mimeType: type.mimeType, size: file.bytes.length });
    deps.metrics.mediaFetched.inc({ channel_type: channel.type });
    return mediaUrl(deps.publicBase(), channel.id, stored, file.name);
  } catch (error) {
    deps.metrics.mediaFailed.inc({ channel_type: channel.type, reason: 'store' });
    deps.log.warn({ channelId: channel.id, mediaId: file.mediaId, err: (error as Error).message }, 'attachment not stored; the message keeps its description');
    return null;
  } finally {
    await unlink(incoming).catch(() => undefined);
  }
}
