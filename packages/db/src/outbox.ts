import { run, type Pool } from './connection.ts';
import { GroupCommit } from './group-commit.ts';
import { insertDeliveryFailedEvents } from './inbound.ts';

export interface OutboxRow {
  id: number;
  conversationId: string;
  channelId: string;
  messageId: string;
  conversationKey: string;
  payload: unknown;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: Date;
}

/** An outbox row as Postgres returns it, directly or as JSON (`json_agg` turns ids and times into text). */
export interface OutboxRecord {
  id: number | string;
  conversation_id: string;
  channel_id: string;
  message_id: string;
  conversation_key: string;
  payload: unknown;
  status: OutboxRow['status'];
  attempts: number;
  next_attempt_at: Date | string;
}

export const OUTBOX_COLUMNS = 'id, conversation_id, channel_id, message_id, conversation_key, payload, status, attempts, next_attempt_at';

export function toOutboxRow(r: OutboxRecord): OutboxRow {
  return {
    id: Number(r.id),
    conversationId: r.conversation_id,
    channelId: r.channel_id,
    messageId: r.message_id,
    conversationKey: r.conversation_key,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: new Date(r.next_attempt_at),
  };
}

/** The oldest unsent rows of one conversation, in order; the sender sends them one by one to keep order. */
export async function unsentForConversation(pool: Pool, conversationKey: string, limit = 20): Promise<OutboxRow[]> {
  const { rows } = await run<OutboxRecord>(
    pool,
    'unsent_outbox',
    `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE conversation_key = $1 AND status IN ('pending', 'sending') ORDER BY id LIMIT $2`,
    [conversationKey, limit],
  );
  return rows.map(toOutboxRow);
}

/** Marks a row as being sent right now. A row found in this state later was cut off mid-send. */
export async function markSending(pool: Pool, id: number): Promise<void> {
  await run(pool, 'mark_sending', `UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE id = $1`, [id]);
}

/**
 * Marks outbox rows (and their messages) sent. Concurrent calls share one UPDATE (group commit); each still resolves
 * only once its row is recorded as sent.
 */
export class SentLog {
  private readonly group: GroupCommit<{ id: number; messageId: string; externalId: string | null }, null>;

  constructor(pool: Pool) {
    this.group = new GroupCommit(async (rows) => {
      // Lookups by primary key through = ANY(...): a join against an unnested array let the planner choose a
      // hash join over the whole message table (1.5 ms a call on the benchmark).
      await run(
        pool,
        'mark_sent_batch',
        `WITH o AS (UPDATE outbox SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = ANY($1::bigint[]))
         UPDATE message SET status = 'sent', updated_at = now(),
           external_id = COALESCE((SELECT e.external_id FROM unnest($2::text[], $3::text[]) AS e(message_id, external_id) WHERE e.message_id = message.id), external_id)
         WHERE id = ANY($2::text[])`,
        [rows.map((r) => r.id), rows.map((r) => r.messageId), rows.map((r) => r.externalId)],
      );
      return rows.map(() => null);
    }, 256, 2);
  }

  async record(row: OutboxRow, externalId: string | null): Promise<void> {
    await this.group.submit({ id: row.id, messageId: row.messageId, externalId });
  }
}


export async function markRetry(pool: Pool, row: OutboxRow, error: string, delayMs: number): Promise<void> {
  await pool.query(`UPDATE outbox SET status = 'pending', last_error = $2, next_attempt_at = now() + ($3::int * interval '1 millisecond') WHERE id = $1`, [
    row.id,
    error,
    Math.round(delayMs),
  ]);
}

/**
 * Marks a row and its message failed for good, and in the same statement tells the conversation's flow (a
 * `delivery-failed` event, see inbound.ts). Returns whether that event was written: the worker must be told.
 */
export async function markFailed(pool: Pool, row: OutboxRow, error: string): Promise<boolean> {
  const { rows } = await pool.query<{ conversation_key: string }>(
    `WITH o AS (
       UPDATE outbox SET status = 'failed', last_error = $2 WHERE id = $1
       RETURNING message_id, conversation_id, channel_id, conversation_key, payload, $2::text AS error
     ), m AS (
       UPDATE message SET status = 'failed', error = $2, updated_at = now() WHERE id = (SELECT message_id FROM o)
     )
     ${insertDeliveryFailedEvents('o')}`,
    [row.id, error],
  );
  return rows.length > 0;
}

/** Gives claimed rows back to the sender: they were never sent because an earlier reply must be retried first. */
export async function unclaim(pool: Pool, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await pool.query(`UPDATE outbox SET status = 'pending', attempts = attempts - 1 WHERE id = ANY($1::bigint[]) AND status = 'sending'`, [ids]);
}

/** Records that a send was interrupted after it may have reached the platform. */
export async function markAmbiguous(pool: Pool, id: number): Promise<void> {
  await pool.query('UPDATE outbox SET ambiguous = true WHERE id = $1', [id]);
}

/** Conversations with messages waiting to go out, for the sender's sweep after a restart. */
export async function conversationsWithUnsent(pool: Pool, limit = 1000): Promise<{ key: string; dueInMs: number }[]> {
  const { rows } = await pool.query<{ conversation_key: string; due_in_ms: number }>(
    `SELECT conversation_key, GREATEST(0, EXTRACT(EPOCH FROM (min(next_attempt_at) - now())) * 1000)::int AS due_in_ms
     FROM outbox WHERE status IN ('pending', 'sending') GROUP BY conversation_key LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ key: r.conversation_key, dueInMs: r.due_in_ms }));
}

export async function queueDepths(pool: Pool): Promise<{ inbound: number; outbox: number; timers: number }> {
  const { rows } = await pool.query<{ inbound: number; outbox: number; timers: number }>(
    `SELECT (SELECT count(*) FROM inbound_event WHERE processed_at IS NULL)::int AS inbound,
            (SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending'))::int AS outbox,
            (SELECT count(*) FROM timer WHERE status = 'pending')::int AS timers`,
  );
  return rows[0] ?? { inbound: 0, outbox: 0, timers: 0 };
}
