import { randomBytes } from 'node:crypto';
import { FETCHED_TYPES } from '../../media/media-types.ts';

/** What a web chat customer may upload: 10 MB of an image, a PDF or a common office document. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP = [0x50, 0x4b, 0x03, 0x04];

interface UploadType {
  extension: string;
  /** The first bytes every file of the type starts with (`null`: text, nothing to check). */
  magic: ((head: Buffer) => boolean) | null;
  label: string;
}

const startsWith = (bytes: number[]) => (head: Buffer) => head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
const ascii = (text: string, at = 0) => (head: Buffer) => head.subarray(at, at + text.length).toString('latin1') === text;

/**
 * The allowed types, by the Content-Type the browser sends (`File.type`). SVG is left out on purpose: it is a
 * document that runs scripts, not a picture. The bytes must match the type, so a page cannot be uploaded
 * as `image/png` and served back under the runner's origin.
 */
export const UPLOAD_TYPES: Record<string, UploadType> = {
  'image/png': { extension: 'png', magic: startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), label: 'PNG image' },
  'image/jpeg': { extension: 'jpg', magic: startsWith([0xff, 0xd8, 0xff]), label: 'JPEG image' },
  'image/gif': { extension: 'gif', magic: (head) => ascii('GIF87a')(head) || ascii('GIF89a')(head), label: 'GIF image' },
  'image/webp': { extension: 'webp', magic: (head) => ascii('RIFF')(head) && ascii('WEBP', 8)(head), label: 'WebP image' },
  'application/pdf': { extension: 'pdf', magic: ascii('%PDF-'), label: 'PDF document' },
  'application/msword': { extension: 'doc', magic: startsWith(OLE), label: 'Word document' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { extension: 'docx', magic: startsWith(ZIP), label: 'Word document' },
  'application/vnd.ms-excel': { extension: 'xls', magic: startsWith(OLE), label: 'Excel workbook' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { extension: 'xlsx', magic: startsWith(ZIP), label: 'Excel workbook' },
  'application/vnd.ms-powerpoint': { extension: 'ppt', magic: startsWith(OLE), label: 'PowerPoint presentation' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { extension: 'pptx', magic: startsWith(ZIP), label: 'PowerPoint presentation' },
  'application/vnd.oasis.opendocument.text': { extension: 'odt', magic: startsWith(ZIP), label: 'OpenDocument text' },
  'application/vnd.oasis.opendocument.spreadsheet': { extension: 'ods', magic: startsWith(ZIP), label: 'OpenDocument spreadsheet' },
  'text/plain': { extension: 'txt', magic: null, label: 'text file' },
  'text/csv': { extension: 'csv', magic: null, label: 'CSV file' },
};

/** How many leading bytes the signature checks need. */
export const SIGNATURE_BYTES = 16;

/** Served types by extension: uploads, and the media fetched from platforms (voice notes, video, stickers …). */
const BY_EXTENSION = new Map([...Object.entries(UPLOAD_TYPES), ...Object.entries(FETCHED_TYPES)].map(([mimeType, t]) => [t.extension, mimeType]));

/** `<32 hex>.<extension>`: the only file names the media route serves, so no path ever leaves the folder. */
export const STORED_NAME = /^[a-f0-9]{32}\.([a-z0-9]{3,4})$/;
/** Channel ids as folder names: uuids and seeded ids like `demo-webchat`. */
export const CHANNEL_FOLDER = /^[A-Za-z0-9_-]{1,100}$/;

/** The type's essence: `Text/Plain; charset=utf-8` -> `text/plain`. */
export function mimeEssence(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function uploadType(contentType: string | undefined): { mimeType: string; extension: string } | null {
  const mimeType = mimeEssence(contentType);
  const type = UPLOAD_TYPES[mimeType];
  return type ? { mimeType, extension: type.extension } : null;
}

/** Whether a file's first bytes are what its declared type starts with. */
export function matchesSignature(mimeType: string, head: Buffer): boolean {
  const type = UPLOAD_TYPES[mimeType];
  if (!type) return false;
  if (!type.magic) return !head.includes(0);
  return type.magic(head);
}

export function typeLabel(mimeType: string): string {
  return UPLOAD_TYPES[mimeType]?.label ?? mimeType;
}

export function newStoredName(extension: string): string {
  return `${randomBytes(16).toString('hex')}.${extension}`;
}

/** The Content-Type a stored file is served with, from its extension; null for a name the route never made. */
export function storedType(file: string): string | null {
  const match = STORED_NAME.exec(file);
  return match ? (BY_EXTENSION.get(match[1]!) ?? null) : null;
}

/** The normalized content type of a message carrying a file of this type. */
export function contentKind(mimeType: string): 'image' | 'video' | 'audio' | 'file' {
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType.startsWith('video/')) return 'video';
  if (mimeType.startsWith('audio/')) return 'audio';
  return 'file';
}

/** A file name as a customer's browser reports it, made safe to store and show: no paths, no control characters. */
export function cleanFileName(name: string | undefined, extension: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  return cleaned || `file.${extension}`;
}

/**
 * Pictures are shown inline; anything else is downloaded, under the customer's file name when the link carries
 * it (RFC 6266 with the RFC 8187 form for non-ASCII names).
 */
export function contentDisposition(mimeType: string, name: string | undefined): string {
  if (contentKind(mimeType) === 'image') return 'inline';
  if (!name) return 'attachment';
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
