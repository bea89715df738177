import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { IngressDeps } from '../../ingress/server.ts';
import type { MediaStore } from '../../media/store.ts';
import {
  CHANNEL_FOLDER,
  cleanFileName,
  contentDisposition,
  contentKind,
  MAX_UPLOAD_BYTES,
  matchesSignature,
  newStoredName,
  SIGNATURE_BYTES,
  STORED_NAME,
  storedType,
  typeLabel,
  UPLOAD_TYPES,
  uploadType,
} from './media.ts';
import { Session } from './messages.ts';

/**
 * `POST /chat/:channelId/upload?session=…` takes one file as the raw body (its type in Content-Type, its
 * name URI-encoded in X-File-Name: simpler for a widget than multipart, and nothing is parsed), streams it
 * to `SIGNALBOX_DATA_DIR/media/<channelId>/<random>.<ext>`, and answers where `GET /media/<channelId>/<file>`
 * serves it. The widget runs on the shop's origin: both routes answer CORS for any origin (no cookies are
 * involved; the session id in the query is the only credential, as on the chat socket).
 */

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type, x-file-name',
  'access-control-max-age': '600',
} as const;

const UploadQuery = z.object({ session: Session });
const FileNameHeader = z
  .string()
  .max(1000)
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return undefined;
    try {
      return decodeURIComponent(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be URI-encoded (encodeURIComponent)' });
      return z.NEVER;
    }
  });
const MediaParams = z.object({ channelId: z.string().regex(CHANNEL_FOLDER), file: z.string().regex(STORED_NAME) });
const MediaQuery = z.object({ name: z.string().max(200).optional().catch(undefined) });

export interface UploadedFile {
  url: string;
  type: 'image' | 'video' | 'audio' | 'file';
  mimeType: string;
  name: string;
  size: number;
}

function fail(reply: FastifyReply, status: number, error: string, message: string, issues?: unknown) {
  return reply.code(status).send(issues ? { error, message, issues } : { error, message });
}

/** The runner's address as the customer's browser reached it: PUBLIC_URL, else the request's own host. */
export function publicBase(req: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const header = (name: string) => {
    const value = req.headers[name];
    return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
  };
  return `${header('x-forwarded-proto') ?? req.protocol}://${header('x-forwarded-host') ?? req.headers.host ?? 'localhost'}`;
}

/** Where the media route serves a stored file; documents carry the customer's file name for the download. */
export function mediaUrl(base: string, channelId: string, file: string, name?: string): string {
  const url = `${base}/media/${encodeURIComponent(channelId)}/${file}`;
  const mimeType = storedType(file);
  return name && mimeType && contentKind(mimeType) !== 'image' ? `${url}?name=${encodeURIComponent(name)}` : url;
}

/**
 * The stored upload a client's attachment URL points at, if it is one of this channel's files. Only the path
 * counts: the URL's host is the client's to say, the stored message gets the runner's own address.
 */
export async function findUpload(media: MediaStore, channelId: string, url: string): Promise<{ file: string; mimeType: string; size: number } | null> {
  let folder: string;
  let file: string;
  try {
    const match = /^\/media\/([^/]+)\/([^/]+)$/.exec(new URL(url, 'http://runner.invalid').pathname);
    if (!match) return null;
    folder = decodeURIComponent(match[1]!);
    file = match[2]!;
  } catch {
    return null;
  }
  if (folder !== channelId) return null;
  const mimeType = storedType(file);
  if (!mimeType || !CHANNEL_FOLDER.test(channelId)) return null;
  const found = await media.stat({ channelId, file });
  return found ? { file, mimeType, size: found.size } : null;
}

class Refused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Streams the body into `path`, refusing it as soon as it is too large or its first bytes are not its type.
 * A refused body is drained, not destroyed: destroying the request would reset the connection before the
 * client could read why.
 */
function receive(body: Readable, path: string, mimeType: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const out = createWriteStream(path, { flags: 'wx' });
    let size = 0;
    let head = Buffer.alloc(0);
    let checked = false;
    let settled = false;
    const stop = (error: Error) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      body.resume();
      out.destroy();
      reject(error);
    };
    const check = () => {
      checked = true;
      if (!matchesSignature(mimeType, head)) throw new Refused(415, 'unsupported_media_type', `the file's content is not a ${typeLabel(mimeType)}`);
    };
    const onData = (chunk: Buffer) => {
      try {
        size += chunk.length;
        if (size > MAX_UPLOAD_BYTES) throw new Refused(413, 'payload_too_large', `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
        if (!checked) {
          head = Buffer.concat([head, chunk]).subarray(0, SIGNATURE_BYTES);
          if (head.length >= SIGNATURE_BYTES) check();
        }
        if (!out.write(chunk)) {
          body.pause();
          out.once('drain', () => body.resume());
        }
      } catch (error) {
        stop(error as Error);
      }
    };
    body.on('data', onData);
    body.once('error', stop);
    body.once('close', () => {
      if (!body.readableEnded) stop(new Refused(400, 'upload_aborted', 'the upload was interrupted'));
    });
    body.once('end', () => {
      try {
        if (size === 0) throw new Refused(400, 'empty_file', 'the file is empty');
        if (!checked) check();
      } catch (error) {
        stop(error as Error);
        return;
      }
      out.end(() => {
        if (settled) return;
        settled = true;
        resolve(size);
      });
    });
    out.once('error', stop);
  });
}

export function registerUploads(app: FastifyInstance, deps: IngressDeps): void {
  const allowed = Object.keys(UPLOAD_TYPES).join(', ');

  void app.register(async (scope) => {
    // The body stays a stream here: a 10 MB file is written as it arrives, never held in memory.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    scope.options('/chat/:channelId/upload', async (_req, reply) => reply.code(204).headers(CORS).send());

    scope.post<{ Params: { channelId: string }; Querystring: Record<string, unknown> }>('/chat/:channelId/upload', async (req, reply) => {
      reply.headers(CORS);
      const channel = await deps.channels.get(req.params.channelId);
      if (!channel || channel.type !== 'webchat' || !channel.enabled || !CHANNEL_FOLDER.test(channel.id)) {
        return fail(reply, 404, 'unknown_channel', `no web chat channel "${req.params.channelId}"`);
      }
      const query = UploadQuery.safeParse(req.query);
      if (!query.success) {
        return fail(reply, 400, 'invalid_session', 'the session query parameter is missing or invalid', query.error.issues.map((i) => ({ path: `session`, message: i.message })));
      }
      const type = uploadType(req.headers['content-type']);
      if (!type) return fail(reply, 415, 'unsupported_media_type', `"${req.headers['content-type'] ?? '(none)'}" is not allowed; allowed: ${allowed}`);
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > MAX_UPLOAD_BYTES) return fail(reply, 413, 'payload_too_large', `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
      const fileName = FileNameHeader.safeParse(req.headers['x-file-name']);
      if (!fileName.success) return fail(reply, 400, 'invalid_file_name', `X-File-Name ${fileName.error.issues[0]?.message ?? 'is invalid'}`);
      const body = req.body as Readable | undefined;
      if (!body || typeof body.on !== 'function') return fail(reply, 400, 'empty_file', 'the file is empty');

      const folder = join(deps.mediaDir, channel.id);
      await mkdir(folder, { recursive: true });
      const file = newStoredName(type.extension);
      const part = join(folder, `${file}.part`);
      let size: number;
      try {
        size = await receive(body, part, type.mimeType);
      } catch (error) {
        await unlink(part).catch(() => undefined);
        if (error instanceof Refused) {
          // A refused body is still arriving: close the connection after the answer instead of reading it all.
          if (!req.raw.readableEnded) reply.header('connection', 'close');
          return fail(reply, error.status, error.code, error.message);
        }
        throw error;
      }
      // The media store takes the file: moved into place locally, or uploaded to the bucket when S3 is set, so
      // every ingress process serves it.
      await deps.media.save({ channelId: channel.id, file }, part, { mimeType: type.mimeType, size });
      const name = cleanFileName(fileName.data, type.extension);
      const uploaded: UploadedFile = { url: mediaUrl(publicBase(req, deps.publicUrl), channel.id, file, name), type: contentKind(type.mimeType), mimeType: type.mimeType, name, size };
      deps.log.info({ channelId: channel.id, file, size, mimeType: type.mimeType }, 'web chat upload stored');
      return reply.code(201).send(uploaded);
    });
  });

  app.get<{ Params: { channelId: string; file: string }; Querystring: Record<string, unknown> }>('/media/:channelId/:file', async (req, reply) => {
    reply.header('access-control-allow-origin', '*');
    const params = MediaParams.safeParse(req.params);
    const mimeType = params.success ? storedType(params.data.file) : null;
    if (!params.success || !mimeType) return fail(reply, 404, 'not_found', 'no such file');
    // The local folder or the S3 bucket (src/media/store.ts): the URL is the same either way.
    const stored = await deps.media.open({ channelId: params.data.channelId, file: params.data.file });
    if (!stored) return fail(reply, 404, 'not_found', 'no such file');
    const { name } = MediaQuery.parse(req.query);
    return reply
      .headers({
        'content-type': mimeType,
        'content-length': String(stored.size),
        'content-disposition': contentDisposition(mimeType, name),
        'x-content-type-options': 'nosniff',
        // Opened on its own, a file is inert: no scripts, no plugins, no same-origin access.
        'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        'cross-origin-resource-policy': 'cross-origin',
        // Names are random and never reused: a file never changes.
        'cache-control': 'public, max-age=31536000, immutable',
      })
      .send(stored.body);
  });
}
