import { createHash } from 'node:crypto';

/**
 * LINE's `X-Line-Retry-Key` must be a hexadecimal UUID, and a retry must carry the key of the first attempt
 * (Messaging API, "Retry failed API requests"): a request whose key LINE already accepted answers 409 instead
 * of sending twice. Signalbox's idempotency key (the outbox row id) is no UUID, so the retry key is a name-based
 * UUID (RFC 9562 version 5: SHA-1 of a namespace and the name) of it: the same outbox row always gives the same
 * key, on any sender process, without storing anything.
 */
const SIGNALBOX_LINE_NAMESPACE = '3e13469d-1973-46c7-b111-d9ffffcfc222';

export function nameBasedUuid(name: string, namespace: string = SIGNALBOX_LINE_NAMESPACE): string {
  const bytes = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The retry key of the `index`-th push request of one outbound message (a message needs more than one request
 * only when it takes more than 5 message objects). Each request gets its own key, since LINE would refuse the
 * second with 409 as a repeat of the first.
 */
export function lineRetryKey(idempotencyKey: string, index: number): string {
  return nameBasedUuid(index === 0 ? idempotencyKey : `${idempotencyKey}#${index}`);
}
