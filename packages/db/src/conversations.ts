import { randomUUID } from 'node:crypto';
import type { Party } from '@signalbox/nodes';
import { run, type Pool } from './connection.ts';
import type { PendingEvent } from './inbound.ts';
import { OUTBOX_COLUMNS, toOutboxRow, type OutboxRecord, type OutboxRow } from './outbox.ts';
import { transaction } from './connection.ts';

export interface ConversationRow {
  id: string;
  workspaceId: string;
  channelId: string;
  externalId: string;
  status: string;
  owner: string;
  language: string | null;
  tags: string[];
  flowVersionId: string | null;
  state: unknown;
  contact: { id: string; name: string | null; attributes: Record<string, unknown> };
}

const SELECT_CONVERSATION = `
  SELECT c.id, c.workspace_id, c.channel_id, c.external_id, c.status, c.owner, c.language, c.tags, c.flow_version_id, c.state,
         ct.id AS contact_id, ct.name AS contact_name, ct.attributes AS contact_attributes
  FROM conversation c JOIN contact ct ON ct.id = c.contact_id`;

interface Row {
  id: string;
  workspace_id: string;
  channel_id: string;
  external_id: string;
  status: string;
  owner: string;
  language: string | null;
  tags: string[] | null;
  flow_version_id: string | null;
  state: unknown;
  contact_id: string;
  contact_name: string | null;
  contact_attributes: Record<string, unknown> | null;
}

function toConversation(r: Row): ConversationRow {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    channelId: r.channel_id,
    externalId: r.external_id,
    status: r.status,
    owner: r.owner,
    language: r.language,
    tags: r.tags ?? [],
    flowVersionId: r.flow_version_id,
    state: r.state,
    contact: { id: r.contact_id, name: r.contact_name, attributes: r.contact_attributes ?? {} },
  };
}

export async function findConversation(pool: Pool, channelId: string, externalId: string): Promise<ConversationRow | null> {
  const { rows } = await run<Row>(pool, 'find_conversation', `${SELECT_CONVERSATION} WHERE c.channel_id = $1 AND c.external_id = $2`, [channelId, externalId]);
  return rows[0] ? toConversation(rows[0]) : null;
}

/**
 * One round trip for a worker's drain: the conversation's unprocessed events, oldest first, and the
 * conversation itself (null before its first message was processed). The key is `<channel id>:<thread id>`.
 */
export async function pendingWork(pool: Pool, conversationKey: string, limit = 50): Promise<{ events: PendingEvent[]; conversation: ConversationRow | null }> {
  const { rows } = await run<{ events: EventJson[] | null; conversation: Row | null }>(
    pool,
    'pending_work',
    `WITH ev AS (
       SELECT id, channel_id, external_id, conversation_key, kind, payload, received_at FROM inbound_event
       WHERE conversation_key = $1 AND processed_at IS NULL ORDER BY id LIMIT $2
     ), channel AS (SELECT channel_id FROM ev LIMIT 1)
     SELECT (SELECT json_agg(ev ORDER BY ev.id) FROM ev) AS events,
            (SELECT row_to_json(x) FROM (${SELECT_CONVERSATION}
               WHERE c.channel_id = (SELECT channel_id FROM channel)
                 AND c.external_id = substr($1, length((SELECT channel_id FROM channel)) + 2)) x) AS conversation`,
    [conversationKey, limit],
  );
  const row = rows[0];
  const events = (row?.events ?? []).map((e) => ({
    id: Number(e.id),
    channelId: e.channel_id,
    externalId: e.external_id,
    conversationKey: e.conversation_key,
    kind: e.kind,
    payload: e.payload,
    receivedAt: new Date(e.received_at),
  }));
  return { events, conversation: row?.conversation ? toConversation(row.conversation) : null };
}

interface EventJson {
  id: number | string;
  channel_id: string;
  external_id: string;
  conversation_key: string;
  kind: PendingEvent['kind'];
  payload: unknown;
  received_at: string;
}

export async function getConversation(pool: Pool, id: string): Promise<ConversationRow | null> {
  const { rows } = await pool.query<Row>(`${SELECT_CONVERSATION} WHERE c.id = $1`, [id]);
  return rows[0] ? toConversation(rows[0]) : null;
}

/**
 * Finds or creates the contact behind a channel identity, then the conversation, pinned to `flowVersionId`.
 * Safe when two conversations of one contact are opened at once: the identity's unique index decides.
 */
export async function openConversation(
  pool: Pool,
  input: { workspaceId: string; channelId: string; externalId: string; from: Party; flowVersionId: string | null },
): Promise<ConversationRow> {
  const contactId = await resolveContact(pool, input.workspaceId, input.channelId, input.from);
  await pool.query(
    `INSERT INTO conversation (id, workspace_id, channel_id, contact_id, external_id, flow_version_id, language)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (channel_id, external_id) DO NOTHING`,
    [randomUUID(), input.workspaceId, input.channelId, contactId, input.externalId, input.flowVersionId, input.from.locale ?? null],
  );
  const row = await findConversation(pool, input.channelId, input.externalId);
  if (!row) throw new Error(`conversation ${input.channelId}/${input.externalId} vanished after insert`);
  return row;
}

async function resolveContact(pool: Pool, workspaceId: string, channelId: string, from: Party): Promise<string> {
  const existing = await pool.query<{ contact_id: string }>('SELECT contact_id FROM contact_identity WHERE channel_id = $1 AND external_id = $2', [channelId, from.id]);
  if (existing.rows[0]) return existing.rows[0].contact_id;
  return transaction(pool, async (client) => {
    const contactId = randomUUID();
    await client.query('INSERT INTO contact (id, workspace_id, name, locale) VALUES ($1, $2, $3, $4)', [contactId, workspaceId, from.name ?? null, from.locale ?? null]);
    const inserted = await client.query<{ contact_id: string }>(
      `INSERT INTO contact_identity (id, contact_id, channel_id, external_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (channel_id, external_id) DO NOTHING RETURNING contact_id`,
      [randomUUID(), contactId, channelId, from.id],
    );
    if (inserted.rows[0]) return contactId;
    await client.query('DELETE FROM contact WHERE id = $1', [contactId]);
    const winner = await client.query<{ contact_id: string }>('SELECT contact_id FROM contact_identity WHERE channel_id = $1 AND external_id = $2', [channelId, from.id]);
    if (!winner.rows[0]) throw new Error('contact identity disappeared');
    return winner.rows[0].contact_id;
  });
}

/** The published version a new conversation on this channel starts on: the binding's pinned or latest version. */
export async function boundVersionId(pool: Pool, channelId: string): Promise<string | null> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT CASE WHEN b.mode = 'pinned' AND b.version_id IS NOT NULL THEN b.version_id
                 ELSE (SELECT v.id FROM flow_version v WHERE v.flow_id = b.flow_id ORDER BY v.number DESC LIMIT 1) END AS id
     FROM channel_binding b WHERE b.channel_id = $1`,
    [channelId],
  );
  return rows[0]?.id ?? null;
}

export async function loadVersionDocument(pool: Pool, versionId: string): Promise<{ flowId: string; document: unknown } | null> {
  const { rows } = await pool.query<{ flow_id: string; document: unknown }>('SELECT flow_id, document FROM flow_version WHERE id = $1', [versionId]);
  return rows[0] ? { flowId: rows[0].flow_id, document: rows[0].document } : null;
}

export async function latestVersionOfFlow(pool: Pool, flowId: string): Promise<{ id: string; document: unknown } | null> {
  const { rows } = await pool.query<{ id: string; document: unknown }>(
    'SELECT id, document FROM flow_version WHERE flow_id = $1 ORDER BY number DESC LIMIT 1',
    [flowId],
  );
  return rows[0] ?? null;
}

export interface OutgoingMessage {
  messageId: string;
  payload: unknown;
  content: unknown;
}

export interface StepCommit {
  eventId: number;
  conversation: ConversationRow;
  conversationKey: string;
  inbound: { externalId: string; content: unknown; raw: unknown } | null;
  outgoing: OutgoingMessage[];
  state: unknown;
  status: string;
  owner: string;
  assignedTeam?: string | null;
  priority?: string | null;
  tags: string[];
  contactAttributes: Record<string, unknown> | null;
  timers: { token: string; dueAt: string }[];
  cancelTimers: string[];
  flowVersionId: string | null;
  trace: unknown;
  failed: string | null;
}

/**
 * Writes everything one event produced, atomically, in one statement (one round trip on the hot path): the
 * inbound message, the conversation's new state, outgoing messages with their outbox rows (in order), timers
 * and the trace, and marks the event processed. Every part depends on claiming the event
 * (`processed_at IS NULL`), so when another worker already processed it nothing is written.
 * With `sendNow` the replies are stored as already being sent (attempt 1) when no older reply of the
 * conversation is still waiting, and returned, so the caller delivers them without another query; a crash
 * before they are marked sent leaves them in 'sending', which the sender treats as an interrupted send.
 */
export async function commitStep(pool: Pool, c: StepCommit, sendNow = false): Promise<CommitResult> {
  const outgoing = c.outgoing.map((o) => ({ id: o.messageId, content: o.content, payload: o.payload }));
  const { rows } = await run<{ claimed: number; outbox: OutboxRecord[] | null }>(
    pool,
    'commit_step',
    `WITH claimed AS (
       UPDATE inbound_event SET processed_at = now() WHERE id = $1 AND processed_at IS NULL RETURNING id
     ), conv AS (
       UPDATE conversation SET state = $7::jsonb, status = $8, owner = $9, tags = $10::text[], flow_version_id = $11, updated_at = now(),
         assigned_team = COALESCE($12, assigned_team), priority = COALESCE($13, priority),
         closed_at = CASE WHEN $8 = 'closed' THEN now() ELSE NULL END
       WHERE id = $2 AND EXISTS (SELECT 1 FROM claimed)
     ), attrs AS (
       UPDATE contact SET attributes = attributes || $15::jsonb
       WHERE id = $14 AND $15::jsonb IS NOT NULL AND EXISTS (SELECT 1 FROM claimed)
     ), outgoing AS (
       SELECT e.value, e.n FROM jsonb_array_elements($16::jsonb) WITH ORDINALITY AS e(value, n) WHERE EXISTS (SELECT 1 FROM claimed)
     ), messages AS (
       -- The customer's message first, then the replies, in one ordered insert: message.seq is the history order.
       SELECT 0::bigint AS n, $3::text AS id, 'in' AS direction, $4::text AS external_id, $5::jsonb AS content, $6::jsonb AS raw, 'received' AS status
       FROM claimed WHERE $5::jsonb IS NOT NULL
       UNION ALL
       SELECT o.n, o.value->>'id', 'out', NULL, o.value->'content', NULL, 'pending' FROM outgoing o
     ), stored AS (
       INSERT INTO message (id, conversation_id, direction, external_id, content, raw, status)
       SELECT m.id, $2, m.direction, m.external_id, m.content, m.raw, m.status FROM messages m ORDER BY m.n
     ), older AS (
       -- Replies still waiting from before: new ones must queue behind them, never overtake.
       SELECT 1 FROM outbox WHERE conversation_key = $18 AND status IN ('pending', 'sending') LIMIT 1
     ), out_rows AS (
       INSERT INTO outbox (conversation_id, channel_id, message_id, conversation_key, payload, status, attempts)
       SELECT $2, $17, o.value->>'id', $18, o.value->'payload',
              CASE WHEN $23::boolean AND NOT EXISTS (SELECT 1 FROM older) THEN 'sending' ELSE 'pending' END,
              CASE WHEN $23::boolean AND NOT EXISTS (SELECT 1 FROM older) THEN 1 ELSE 0 END
       FROM outgoing o ORDER BY o.n
       RETURNING ${OUTBOX_COLUMNS}
     ), new_timers AS (
       INSERT INTO timer (id, conversation_id, token, due_at)
       SELECT gen_random_uuid()::text, $2, t.value->>'token', (t.value->>'dueAt')::timestamptz
       FROM jsonb_array_elements($19::jsonb) AS t(value) WHERE EXISTS (SELECT 1 FROM claimed)
       ON CONFLICT (token) DO NOTHING
     ), cancelled AS (
       UPDATE timer SET status = 'cancelled' WHERE token = ANY($20::text[]) AND status = 'pending' AND EXISTS (SELECT 1 FROM claimed)
     ), traced AS (
       INSERT INTO execution_trace (conversation_id, flow_version_id, inbound_event_id, trace, failed)
       SELECT $2, $11, $1, $21::jsonb, $22 FROM claimed
     )
     SELECT (SELECT count(*) FROM claimed)::int AS claimed,
            (SELECT json_agg(r ORDER BY r.id) FROM out_rows r) AS outbox`,
    [
      c.eventId,
      c.conversation.id,
      randomUUID(),
      c.inbound?.externalId ?? null,
      c.inbound ? JSON.stringify(c.inbound.content) : null,
      c.inbound ? JSON.stringify(c.inbound.raw ?? null) : null,
      JSON.stringify(c.state),
      c.status,
      c.owner,
      c.tags,
      c.flowVersionId,
      c.assignedTeam ?? null,
      c.priority ?? null,
      c.conversation.contact.id,
      c.contactAttributes ? JSON.stringify(c.contactAttributes) : null,
      JSON.stringify(outgoing),
      c.conversation.channelId,
      c.conversationKey,
      JSON.stringify(c.timers),
      c.cancelTimers,
      JSON.stringify(c.trace),
      c.failed,
      sendNow,
    ],
  );
  const row = rows[0];
  if (row?.claimed !== 1) return { committed: false, claimed: [], pending: 0 };
  const outbox = (row.outbox ?? []).map(toOutboxRow);
  return { committed: true, claimed: outbox.filter((r) => r.status === 'sending'), pending: outbox.filter((r) => r.status === 'pending').length };
}

export interface CommitResult {
  committed: boolean;
  /** Outbox rows this commit marked as being sent by the caller right away (`sendNow`), in order. */
  claimed: OutboxRow[];
  /** Outbox rows left for the sender (older replies were still waiting, or `sendNow` was off). */
  pending: number;
}

export interface StoredMessage {
  id: string;
  direction: 'in' | 'out';
  content: unknown;
  status: string;
  createdAt: string;
}

/** A conversation's messages, oldest first (web chat history). */
export async function conversationMessages(pool: Pool, conversationId: string, limit = 200): Promise<StoredMessage[]> {
  const { rows } = await pool.query<{ id: string; direction: 'in' | 'out'; content: unknown; status: string; created_at: Date }>(
    `SELECT id, direction, content, status, created_at FROM (
       SELECT id, seq, direction, content, status, created_at FROM message WHERE conversation_id = $1 ORDER BY seq DESC LIMIT $2
     ) m ORDER BY seq`,
    [conversationId, limit],
  );
  return rows.map((r) => ({ id: r.id, direction: r.direction, content: r.content, status: r.status, createdAt: r.created_at.toISOString() }));
}
