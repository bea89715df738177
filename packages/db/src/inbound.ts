import { z } from 'zod';
import { run, type Pool } from './connection.ts';
import { GroupCommit } from './group-commit.ts';

export interface InboundRecord {
  channelId: string;
  externalId: string;
  conversationKey: string;
  /** The normalized event kinds, and two the runner writes itself: `timer` (timers.ts) and `delivery-failed`. */
  kind: 'message' | 'status' | 'edit' | 'delete' | 'reaction' | 'identity-change' | 'unsupported' | 'timer' | 'delivery-failed';
  payload: unknown;
}

/**
 * The payload of a `delivery-failed` event: a platform refused one of the conversation's messages for good. Written
 * with the failure itself (`markFailed`, `applyDeliveryStatus`), so the flow hears of it once, in order with the
 * conversation's other events. The external id is `delivery-failed:<message id>`: one event per message.
 */
export const DeliveryFailedPayload = z.object({
  conversationId: z.string(),
  messageId: z.string(),
  /** The flow node that sent the message. */
  nodeId: z.string(),
  /** The jumped-to flow the node belongs to; null for the conversation's own flow. */
  flowId: z.string().nullable(),
  error: z.string(),
});
export type DeliveryFailedPayload = z.infer<typeof DeliveryFailedPayload>;

/**
 * SQL that turns rows of `source` (columns message_id, conversation_id, channel_id, conversation_key, payload: the
 * outbox payload, error) into `delivery-failed` events. Rows whose message no flow node sent get none.
 */
export function insertDeliveryFailedEvents(source: string): string {
  return `INSERT INTO inbound_event (channel_id, external_id, conversation_key, kind, payload)
    SELECT channel_id, 'delivery-failed:' || message_id, conversation_key, 'delivery-failed',
           jsonb_build_object('conversationId', conversation_id, 'messageId', message_id, 'nodeId', payload->>'nodeId',
                              'flowId', payload->>'flowId', 'error', error)
    FROM ${source} WHERE jsonb_typeof(payload->'nodeId') = 'string'
    ON CONFLICT (channel_id, external_id) DO NOTHING
    RETURNING conversation_key`;
}

export interface PendingEvent {
  id: number;
  channelId: string;
  externalId: string;
  conversationKey: string;
  kind: InboundRecord['kind'];
  payload: unknown;
  receivedAt: Date;
}

/**
 * Persists an accepted event before the ingress answers; the unique (channel, external id) index is the
 * dedupe. Returns false for a duplicate.
 */
export async function recordInbound(pool: Pool, event: InboundRecord): Promise<boolean> {
  const [stored] = await recordInboundBatch(pool, [event]);
  return stored ?? false;
}

/**
 * `recordInbound` for a busy ingress: concurrent calls share one multi-row INSERT (group commit). Same answer
 * per event: true when stored, false for a duplicate (also of an event earlier in the same batch).
 */
export class InboundLog {
  private readonly group: GroupCommit<InboundRecord, boolean>;

  constructor(pool: Pool) {
    // Batches run side by side, but never two with events of one conversation: a conversation's events keep
    // their arrival order in the id sequence, and of two copies of an event (same conversation) the first one
    // is the one stored. One batch at a time made every answer wait for the INSERT before it as well.
    this.group = new GroupCommit((events) => recordInboundBatch(pool, events), 256, 3, (event) => event.conversationKey);
  }

  record(event: InboundRecord): Promise<boolean> {
    return this.group.submit(event);
  }
}

/** One INSERT for any number of events, in their order. */
async function recordInboundBatch(pool: Pool, events: InboundRecord[]): Promise<boolean[]> {
  const { rows } = await run<{ channel_id: string; external_id: string }>(
    pool,
    'record_inbound_batch',
    `INSERT INTO inbound_event (channel_id, external_id, conversation_key, kind, payload)
     SELECT e.channel_id, e.external_id, e.conversation_key, e.kind, e.payload
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) WITH ORDINALITY AS e(channel_id, external_id, conversation_key, kind, payload, n)
     ORDER BY e.n
     ON CONFLICT (channel_id, external_id) DO NOTHING
     RETURNING channel_id, external_id`,
    [
      events.map((e) => e.channelId),
      events.map((e) => e.externalId),
      events.map((e) => e.conversationKey),
      events.map((e) => e.kind),
      events.map((e) => JSON.stringify(e.payload)),
    ],
  );
  // Only the first of repeated events in one batch can have been stored.
  const stored = new Set(rows.map((r) => `${r.channel_id}\u0000${r.external_id}`));
  return events.map((e) => stored.delete(`${e.channelId}\u0000${e.externalId}`));
}


/** Conversations with events nobody has handled (after a crash, or a lost queue notification). */
export async function conversationsWithPendingEvents(pool: Pool, olderThanMs = 0, limit = 1000): Promise<string[]> {
  const { rows } = await pool.query<{ conversation_key: string }>(
    `SELECT conversation_key FROM inbound_event WHERE processed_at IS NULL AND received_at <= now() - ($1::int * interval '1 millisecond')
     GROUP BY conversation_key ORDER BY min(id) LIMIT $2`,
    [olderThanMs, limit],
  );
  return rows.map((r) => r.conversation_key);
}

/**
 * Marks events handled without flow work (ignored kinds, or a permanent failure recorded in `error`), in one
 * statement; `storedPayload` replaces what was received (personal data masked).
 */
export async function markEventsDone(pool: Pool, events: { id: number; error: string | null; storedPayload?: unknown }[]): Promise<void> {
  if (events.length === 0) return;
  await pool.query(
    `UPDATE inbound_event e SET processed_at = now(), error = d.error, payload = COALESCE(d.payload, e.payload)
     FROM unnest($1::bigint[], $2::text[], $3::jsonb[]) AS d(id, error, payload) WHERE e.id = d.id AND e.processed_at IS NULL`,
    [events.map((e) => e.id), events.map((e) => e.error), events.map((e) => (e.storedPayload === undefined ? null : JSON.stringify(e.storedPayload)))],
  );
}
