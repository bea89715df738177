/**
 * The kinds of file customers send on messaging platforms besides what the web chat upload accepts (its table is
 * `UPLOAD_TYPES` in channels/webchat/media.ts): voice notes, audio, video, stickers, archives. Together they are
 * what `GET /media/...` serves, each under its own type; anything else is kept as an inert download
 * (`application/octet-stream`), so a page or an SVG a customer sends never runs under the runner's origin.
 */

interface FetchedType {
  extension: string;
  /** The first bytes every file of the type starts with. */
  magic: (head: Buffer) => boolean;
}

const bytesAt = (bytes: number[], at = 0) => (head: Buffer) => head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);
const ascii = (text: string, at = 0) => (head: Buffer) => head.subarray(at, at + text.length).toString('latin1') === text;
/** ISO base media files (MP4, M4A, 3GP, MOV, HEIC): a box size, then `ftyp`. */
const isoMedia = ascii('ftyp', 4);
/** Matroska / WebM: the EBML header. */
const ebml = bytesAt([0x1a, 0x45, 0xdf, 0xa3]);
const ogg = ascii('OggS');
/** MP3: an ID3 tag, or straight into an MPEG audio frame (11 sync bits). */
const mp3 = (head: Buffer) => ascii('ID3')(head) || (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0);
/** AAC in ADTS frames (12 sync bits), or an ADIF header. */
const aac = (head: Buffer) => ascii('ADIF')(head) || (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xf6) === 0xf0);

export const OCTET_STREAM = 'application/octet-stream';

export const FETCHED_TYPES: Readonly<Record<string, FetchedType>> = {
  'audio/ogg': { extension: 'ogg', magic: ogg },
  'audio/opus': { extension: 'opus', magic: ogg },
  'audio/mpeg': { extension: 'mp3', magic: mp3 },
  'audio/mp4': { extension: 'm4a', magic: isoMedia },
  'audio/aac': { extension: 'aac', magic: aac },
  'audio/amr': { extension: 'amr', magic: ascii('#!AMR') },
  'audio/wav': { extension: 'wav', magic: (head) => ascii('RIFF')(head) && ascii('WAVE', 8)(head) },
  'audio/webm': { extension: 'weba', magic: ebml },
  'video/mp4': { extension: 'mp4', magic: isoMedia },
  'video/3gpp': { extension: '3gp', magic: isoMedia },
  'video/quicktime': { extension: 'mov', magic: (head) => isoMedia(head) || ['moov', 'mdat', 'wide', 'free'].some((atom) => ascii(atom, 4)(head)) },
  'video/webm': { extension: 'webm', magic: ebml },
  'image/heic': { extension: 'heic', magic: isoMedia },
  'image/bmp': { extension: 'bmp', magic: ascii('BM') },
  // Telegram's animated stickers: gzipped Lottie JSON.
  'application/x-tgsticker': { extension: 'tgs', magic: bytesAt([0x1f, 0x8b]) },
  'application/zip': { extension: 'zip', magic: (head) => bytesAt([0x50, 0x4b, 0x03, 0x04])(head) || bytesAt([0x50, 0x4b, 0x05, 0x06])(head) },
  [OCTET_STREAM]: { extension: 'bin', magic: () => true },
};

/** Other names platforms use for the same types. */
export const TYPE_ALIASES: Readonly<Record<string, string>> = {
  'audio/mp3': 'audio/mpeg',
  'audio/x-m4a': 'audio/mp4',
  'audio/m4a': 'audio/mp4',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/aacp': 'audio/aac',
  'audio/x-aac': 'audio/aac',
  'audio/amr-nb': 'audio/amr',
  'audio/3gpp': 'video/3gpp',
  'image/jpg': 'image/jpeg',
  'image/x-ms-bmp': 'image/bmp',
  'image/heif': 'image/heic',
  'application/x-zip-compressed': 'application/zip',
  'binary/octet-stream': OCTET_STREAM,
};
