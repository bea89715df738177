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

/** A reply the platform accepted, to be recorded as sent (outbox row and message). */
export interface SentMark {
  id: number;
  messageId: string;
  externalId: string | null;
}

/** Marks handed to a statement that writes them along with its own work; `settle` reports how that went. */
export interface CarriedMarks {
  marks: SentMark[];
  /** Without an error the marks are written; with one they are written on their own instead. */
  settle(error?: unknown): void;
}

/**
 * The two UPDATEs that record replies as sent, reading the given parameters (ids, message ids, external
 * ids, as arrays): the sender's own statement, and the worker's commit when it carries marks (commit.ts).
 */
export function markSentUpdates(ids: string, messageIds: string, externalIds: string): { outbox: string; message: string } {
  return {
    outbox: `UPDATE outbox SET status = 'sent', sent_at = now(), last_error = NULL, payload = COALESCE(stored_payload, payload), stored_payload = NULL
      WHERE id = ANY(${ids}::bigint[])`,
    message: `UPDATE message SET status = 'sent', updated_at = now(),
      external_id = COALESCE((SELECT e.external_id FROM unnest(${messageIds}::text[], ${externalIds}::text[]) AS e(message_id, external_id) WHERE e.message_id = message.id), external_id)
      WHERE id = ANY(${messageIds}::text[])`,
  };
}

/** The three array parameters of the mark statements, in the order ids, message ids, external ids. */
export function markParameters(marks: SentMark[]): [number[], string[], (string | null)[]] {
  return [marks.map((m) => m.id), marks.map((m) => m.messageId), marks.map((m) => m.externalId)];
}

/**
 * Records outbox rows (and their messages) as sent. Concurrent calls share one UPDATE (group commit); each
 * still resolves only once its row is recorded as sent.
 *
 * With `lingerMs`, a mark first waits up to that long for the worker's next commit to carry it (`take`, when
 * every role is in one process): under load a commit comes along within a few milliseconds, and the mark
 * costs no statement of its own. Nothing depends on the mark being quick: a row still `sending` after a
 * crash is resent with its idempotency key, whether the crash came before or after the platform answered.
 */
export class SentLog {
  private readonly group: GroupCommit<SentMark, null>;
  private waiting: { mark: SentMark; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    pool: Pool,
    private readonly lingerMs = 0,
  ) {
    this.group = new GroupCommit(async (marks) => {
      const [ids, messages, external] = markParameters(marks);
      // Lookups by primary key through = ANY(...): a join against an unnested array let the planner choose a
      // hash join over the whole message table (1.5 ms a call on the benchmark). Planned on every call, never
      // a named statement: a generic plan made while the outbox was small scans it whole for as long as the
      // connection lives (8 ms a call, the largest share of Postgres' time on the benchmark).
      const updates = markSentUpdates('$1', '$2', '$3');
      await pool.query(`WITH o AS (${updates.outbox}) ${updates.message}`, [ids, messages, external]);
      return marks.map(() => null);
    }, 256, 2);
  }

  record(row: OutboxRow, externalId: string | null): Promise<void> {
    const mark = { id: row.id, messageId: row.messageId, externalId };
    if (this.lingerMs <= 0) return this.group.submit(mark).then(() => undefined);
    return new Promise((resolve, reject) => {
      this.waiting.push({ mark, resolve, reject });
      this.timer ??= setTimeout(() => this.writeAlone(this.takeWaiting()), this.lingerMs);
    });
  }

  /** The marks waiting for a statement to carry them, or null. The caller must `settle` them. */
  take(): CarriedMarks | null {
    const taken = this.takeWaiting();
    if (taken.length === 0) return null;
    return {
      marks: taken.map((t) => t.mark),
      settle: (error?: unknown) => {
        if (error === undefined) taken.forEach((t) => t.resolve());
        else this.writeAlone(taken);
      },
    };
  }

  private takeWaiting() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const taken = this.waiting;
    this.waiting = [];
    return taken;
  }

  private writeAlone(taken: typeof this.waiting) {
    for (const t of taken) this.group.submit(t.mark).then(() => t.resolve(), t.reject);
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
       UPDATE outbox SET status = 'failed', last_error = $2, payload = COALESCE(stored_payload, payload), stored_payload = NULL WHERE id = $1
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
