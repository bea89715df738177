import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where the runner keeps its copies of media: the files customers upload to the web chat and the files
 * fetched from platforms. A file is named by its channel and a random name (`<32 hex>.<ext>`), and served at
 * `GET /media/<channelId>/<file>` whatever keeps it, so stored URLs do not change with the backend.
 */
export interface MediaKey {
  channelId: string;
  file: string;
}

export interface StoredMedia {
  body: Readable;
  size: number;
}

export interface MediaStore {
  /** Takes a complete file from local disk: the store owns it afterwards (moved, or uploaded and deleted). */
  save(key: MediaKey, path: string, info: { mimeType: string; size: number }): Promise<void>;
  /** The file's bytes, or null when there is no such file. */
  open(key: MediaKey): Promise<StoredMedia | null>;
  /** The file's size, or null when there is no such file. */
  stat(key: MediaKey): Promise<{ size: number } | null>;
}

/** `SIGNALBOX_DATA_DIR/media/<channelId>/<file>`: the default store (and where uploads arrive before the store takes them). */
export class LocalMediaStore implements MediaStore {
  constructor(readonly dir: string) {}

  async save(key: MediaKey, path: string, _info?: { mimeType: string; size: number }): Promise<void> {
    const folder = join(this.dir, key.channelId);
    await mkdir(folder, { recursive: true });
    try {
      await rename(path, join(folder, key.file));
    } catch (error) {
      await unlink(path).catch(() => undefined);
      throw error;
    }
  }

  async stat(key: MediaKey): Promise<{ size: number } | null> {
    try {
      const info = await stat(join(this.dir, key.channelId, key.file));
      return info.isFile() ? { size: info.size } : null;
    } catch {
      return null;
    }
  }

  async open(key: MediaKey): Promise<StoredMedia | null> {
    const found = await this.stat(key);
    return found ? { body: createReadStream(join(this.dir, key.channelId, key.file)), size: found.size } : null;
  }
}

/**
 * Reads from `primary`, then from `fallback`: with S3 configured, new media live in the bucket while files stored
 * before it was configured stay in the local folder, and the one media route serves both.
 */
export function readThrough(primary: MediaStore, fallback: MediaStore): MediaStore {
  return {
    save: (key, path, info) => primary.save(key, path, info),
    open: async (key) => (await primary.open(key)) ?? fallback.open(key),
    stat: async (key) => (await primary.stat(key)) ?? fallback.stat(key),
  };
}
