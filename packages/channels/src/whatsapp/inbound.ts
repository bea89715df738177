import { formatPath, type InboundEvent } from '@signalbox/nodes';
import { epochToIso, readJson, type InboundAdapter, type Normalized } from '../adapter.ts';
import { metaHandshake, verifyMetaSignature } from '../meta/webhook.ts';
import { echoesFieldEvents, hashOf, messagesFieldEvents, valueScope } from './messages-field.ts';
import { Change, CloudEnvelope, MessagesValue, type Entry } from './payload.ts';

/**
 * WhatsApp Cloud API through Meta's webhook: the `hub.challenge` handshake, X-Hub-Signature-256 with the app
 * secret, and `{ object: "whatsapp_business_account", entry: [{ changes: [{ field, value }] }] }` bodies.
 * Secrets: `appSecret`, `verifyToken`.
 *
 * Meta retries an unanswered webhook for up to 7 days and then stops sending, so every body that parses is
 * accepted: webhook fields other than `messages` and `smb_message_echoes` (template reviews, account updates,
 * quality changes) become `unsupported` events. Bodies of the On-Premises API (as 360dialog's v1 relay still
 * posts them), the bare `{ contacts, messages, statuses }` value without an envelope, are read the same way.
 */
export const whatsappInbound: InboundAdapter = {
  type: 'whatsapp',
  handshake: metaHandshake,
  verify: verifyMetaSignature,
  normalize: ({ body, now }) => Promise.resolve(normalizeWhatsapp(body, now)),
};

export function normalizeWhatsapp(body: Buffer, now: Date): Normalized {
  const json = readJson(body);
  if (!json.ok) return { ok: false, error: 'malformed_body', issues: json.issues };
  if (isOnPremisesBody(json.value)) {
    const value = MessagesValue.safeParse(json.value);
    if (!value.success) return { ok: false, error: 'invalid_body', issues: value.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
    return { ok: true, events: messagesFieldEvents(value.data, valueScope(value.data.metadata, value.data.contacts, 'whatsapp', now)) };
  }
  const envelope = CloudEnvelope.safeParse(json.value);
  if (!envelope.success) {
    return { ok: false, error: 'invalid_body', issues: envelope.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  }
  return { ok: true, events: envelope.data.entry.flatMap((entry) => entryEvents(entry, now)) };
}

/** No `object`, but the arrays of a `messages` value at the top: the On-Premises API's body. */
function isOnPremisesBody(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'object' in value) return false;
  return ('messages' in value && Array.isArray(value.messages)) || ('statuses' in value && Array.isArray(value.statuses));
}

function entryEvents(entry: Entry, now: Date): InboundEvent[] {
  const changes = entry.changes ?? [];
  if (changes.length === 0) return [unsupportedChange(entry, 'entry', 'an entry without changes', entry, now)];
  return changes.flatMap((raw) => changeEvents(raw, entry, now));
}

function changeEvents(raw: unknown, entry: Entry, now: Date): InboundEvent[] {
  const change = Change.safeParse(raw);
  const field = change.success ? (change.data.field ?? 'changes') : 'changes';
  const fallback = entry.id ?? 'whatsapp';
  if (change.success && field === 'messages') {
    const value = MessagesValue.safeParse(change.data.value);
    if (value.success) return messagesFieldEvents(value.data, valueScope(value.data.metadata, value.data.contacts, fallback, now));
    return [unsupportedChange(raw, field, `unreadable messages value: ${value.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`, entry, now)];
  }
  if (change.success && field === 'smb_message_echoes') return echoesFieldEvents(change.data.value, fallback, now);
  return [unsupportedChange(raw, field, `"${field}" is a WhatsApp Business Account notification, not a conversation event`, entry, now)];
}

function unsupportedChange(raw: unknown, rawType: string, reason: string, entry: Entry, now: Date): InboundEvent {
  return {
    kind: 'unsupported',
    id: `${rawType}:${hashOf(raw)}`,
    channelType: 'whatsapp',
    timestamp: epochToIso(entry.time, now),
    thread: { id: entry.id ?? rawType, kind: 'direct' },
    raw,
    rawType,
    reason,
  };
}
