import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { MediaKey, MediaStore, StoredMedia } from './store.ts';

export interface S3Settings {
  bucket: string;
  /** An S3-compatible store (MinIO, R2, B2, Ceph …); AWS when absent. */
  endpoint?: string;
  region: string;
  /** Without them the SDK's default chain applies (environment, shared files, instance or task role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `bucket` in the path rather than the host name: most self-hosted stores need it. */
  forcePathStyle: boolean;
}

/** Objects are `media/<channelId>/<file>`, the local folder's layout, so a bucket can be filled from a folder copy. */
function objectKey(key: MediaKey): string {
  return `media/${key.channelId}/${key.file}`;
}

function notFound(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const name = (error as { name?: string }).name;
  return status === 404 || name === 'NoSuchKey' || name === 'NotFound';
}

export class S3MediaStore implements MediaStore {
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials: settings.accessKeyId && settings.secretAccessKey ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } : undefined,
      // Checksums only where S3 requires them: the SDK's default (a CRC32 trailer in aws-chunked uploads) is
      // refused by several S3-compatible stores; the body length is known and TLS protects it.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async save(key: MediaKey, path: string, info: { mimeType: string; size: number }): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.settings.bucket,
          Key: objectKey(key),
          Body: createReadStream(path),
          ContentLength: info.size,
          ContentType: info.mimeType,
        }),
      );
    } finally {
      await unlink(path).catch(() => undefined);
    }
  }

  async stat(key: MediaKey): Promise<{ size: number } | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: objectKey(key) }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (notFound(error)) return null;
      throw error;
    }
  }

  async open(key: MediaKey): Promise<StoredMedia | null> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: objectKey(key) }));
      // In Node the body is an IncomingMessage (a Readable) with the SDK's helpers mixed in.
      const body = object.Body;
      if (!(body instanceof Readable)) throw new Error('the S3 client returned a body that is not a Node stream');
      return { body, size: object.ContentLength ?? 0 };
    } catch (error) {
      if (notFound(error)) return null;
      throw error;
    }
  }

  close(): void {
    this.client.destroy();
  }
}
