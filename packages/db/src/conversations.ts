import { randomUUID } from 'node:crypto';
import type { Party } from '@signalbox/nodes';
import { run, type Pool } from './connection.ts';
import { insertDeliveryFailedEvents, type PendingEvent } from './inbound.ts';
import { GroupCommit } from './group-commit.ts';
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
  /** Bumped by every commit of flow work (see commit.ts). */
  revision: number;
  contact: { id: string; name: string | null; attributes: Record<string, unknown> };
}

const SELECT_CONVERSATION = `
  SELECT c.id, c.workspace_id, c.channel_id, c.external_id, c.status, c.owner, c.language, c.tags, c.flow_version_id, c.state, c.revision,
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
  revision: number;
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
    revision: r.revision,
    contact: { id: r.contact_id, name: r.contact_name, attributes: r.contact_attributes ?? {} },
  };
}

export async function findConversation(pool: Pool, channelId: string, externalId: string): Promise<ConversationRow | null> {
  const { rows } = await run<Row>(pool, 'find_conversation', `${SELECT_CONVERSATION} WHERE c.channel_id = $1 AND c.external_id = $2`, [channelId, externalId]);
  return rows[0] ? toConversation(rows[0]) : null;
}

export interface PendingWork {
  events: PendingEvent[];
  /** Null before the conversation's first message was processed. */
  conversation: ConversationRow | null;
}

/**
 * One round trip for the start of many drains: each conversation's unprocessed events, oldest first (at most
 * `limit`), and the conversation itself. A key is `<channel id>:<thread id>`.
 */
export async function loadWork(pool: Pool, conversationKeys: string[], limit = 50): Promise<PendingWork[]> {
  const { rows } = await run<{ n: number; events: EventJson[] | null; conversation: Row | null }>(
    pool,
    'load_work',
    `SELECT k.n, e.events,
            (SELECT row_to_json(x) FROM (${SELECT_CONVERSATION}
               WHERE c.channel_id = e.channel_id AND c.external_id = substr(k.key, length(e.channel_id) + 2)) x) AS conversation
     FROM unnest($1::text[]) WITH ORDINALITY AS k(key, n)
     CROSS JOIN LATERAL (
       SELECT json_agg(ev ORDER BY ev.id) AS events, min(ev.channel_id) AS channel_id FROM (
         SELECT id, channel_id, external_id, conversation_key, kind, payload, received_at FROM inbound_event
         WHERE conversation_key = k.key AND processed_at IS NULL ORDER BY id LIMIT $2
       ) ev
     ) e`,
    [conversationKeys, limit],
  );
  const byIndex = new Map(rows.map((r) => [Number(r.n), r]));
  return conversationKeys.map((_, i) => {
    const row = byIndex.get(i + 1);
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
  });
}

/** `loadWork` for concurrent drains: keys asked for while a query is in flight go together in the next one. */
export class WorkLog {
  private readonly group: GroupCommit<string, PendingWork>;

  constructor(pool: Pool, limit = 50) {
    // Up to 128 drains per statement: above the runner's default of 96, so one statement can carry them all.
    this.group = new GroupCommit((keys) => loadWork(pool, keys, limit), 128, 2);
  }

  load(conversationKey: string): Promise<PendingWork> {
    return this.group.submit(conversationKey);
  }
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
 * Opens the conversation of a thread seen for the first time, with its contact (found by the sender's identity
 * on the channel, or created). `flowVersionId` undefined: the version the channel's binding names (pinned, or
 * the flow's latest). One statement in the common case; when two conversations of one new sender race to
 * create the contact (their identity insert conflicts), the loser falls back to the step-by-step path.
 */
export async function openConversation(
  pool: Pool,
  input: { workspaceId: string; channelId: string; externalId: string; from: Party; flowVersionId?: string | null },
): Promise<ConversationRow> {
  const contactId = randomUUID();
  const { rows } = await run<Row>(
    pool,
    'open_conversation',
    `WITH known AS (
       SELECT contact_id FROM contact_identity WHERE channel_id = $2 AND external_id = $4
     ), new_contact AS (
       INSERT INTO contact (id, workspace_id, name, locale) SELECT $5, $1, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM known)
       RETURNING id, name, attributes
     ), new_identity AS (
       INSERT INTO contact_identity (id, contact_id, channel_id, external_id) SELECT $8, id, $2, $4 FROM new_contact
       ON CONFLICT (channel_id, external_id) DO NOTHING RETURNING contact_id
     ), chosen AS (
       SELECT ct.id, ct.name, ct.attributes FROM contact ct JOIN known ON ct.id = known.contact_id
       UNION ALL
       SELECT n.id, n.name, n.attributes FROM new_contact n JOIN new_identity i ON i.contact_id = n.id
     ), bound AS (
       ${boundVersionSql('$2')}
     ), opened AS (
       INSERT INTO conversation (id, workspace_id, channel_id, contact_id, external_id, flow_version_id, language)
       SELECT $9, $1, $2, chosen.id, $3, CASE WHEN $11::boolean THEN (SELECT id FROM bound) ELSE $10 END, $7 FROM chosen
       ON CONFLICT (channel_id, external_id) DO NOTHING
       RETURNING *
     )
     SELECT c.id, c.workspace_id, c.channel_id, c.external_id, c.status, c.owner, c.language, c.tags, c.flow_version_id, c.state, c.revision,
            chosen.id AS contact_id, chosen.name AS contact_name, chosen.attributes AS contact_attributes
     FROM opened c JOIN chosen ON chosen.id = c.contact_id`,
    [
      input.workspaceId,
      input.channelId,
      input.externalId,
      input.from.id,
      contactId,
      input.from.name ?? null,
      input.from.locale ?? null,
      randomUUID(),
      randomUUID(),
      input.flowVersionId ?? null,
      input.flowVersionId === undefined,
    ],
  );
  if (rows[0]) return toConversation(rows[0]);
  // Lost a race: the contact this statement created has no identity; the step-by-step path finds the winner's.
  await pool.query('DELETE FROM contact WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM contact_identity WHERE contact_id = $1)', [contactId]);
  return openStepByStep(pool, { ...input, flowVersionId: input.flowVersionId === undefined ? await boundVersionId(pool, input.channelId) : input.flowVersionId });
}

/**
 * Finds or creates the contact behind a channel identity, then the conversation, pinned to `flowVersionId`.
 * Safe when two conversations of one contact are opened at once: the identity's unique index decides.
 */
async function openStepByStep(
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
  const { rows } = await pool.query<{ id: string }>(boundVersionSql('$1'), [channelId]);
  return rows[0]?.id ?? null;
}

/** SQL: the version (column `id`) the binding of the channel in parameter `channel` names; no row without a binding. */
function boundVersionSql(channel: string): string {
  return `SELECT CASE WHEN b.mode = 'pinned' AND b.version_id IS NOT NULL THEN b.version_id
                 ELSE (SELECT v.id FROM flow_version v WHERE v.flow_id = b.flow_id ORDER BY v.number DESC LIMIT 1) END AS id
     FROM channel_binding b WHERE b.channel_id = ${channel}`;
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

export interface StoredMessage {
  id: string;
  direction: 'in' | 'out';
  /** The platform's message id (a web chat client's own id for the message it sent). */
  externalId: string | null;
  content: unknown;
  status: string;
  createdAt: string;
}

/** A conversation's messages, oldest first (web chat history). */
export async function conversationMessages(pool: Pool, conversationId: string, limit = 200): Promise<StoredMessage[]> {
  const { rows } = await pool.query<{ id: string; direction: 'in' | 'out'; external_id: string | null; content: unknown; status: string; created_at: Date }>(
    `SELECT id, direction, external_id, content, status, created_at FROM (
       SELECT id, seq, direction, external_id, content, status, created_at FROM message WHERE conversation_id = $1 ORDER BY seq DESC LIMIT $2
     ) m ORDER BY seq`,
    [conversationId, limit],
  );
  return rows.map((r) => ({ id: r.id, direction: r.direction, externalId: r.external_id, content: r.content, status: r.status, createdAt: r.created_at.toISOString() }));
}

/**
 * A platform's receipt for a message we sent: sent < delivered < read, never backwards (receipts arrive out of
 * order); failed replaces anything but read, with the platform's reason, and in the same statement tells the flow
 * (a `delivery-failed` event in the message's conversation, see inbound.ts). Returns whether a message changed,
 * and the conversation keys that got such an event (their worker must be told).
 */
export async function applyDeliveryStatus(
  pool: Pool,
  update: { channelId: string; externalId: string; status: 'sent' | 'delivered' | 'read' | 'failed'; error: string | null },
): Promise<{ changed: boolean; failureEvents: string[] }> {
  const { rows } = await pool.query<{ changed: number; keys: string[] | null }>(
    `WITH m AS (
       UPDATE message m SET status = $3, error = COALESCE($4, m.error), updated_at = now()
       FROM conversation c
       WHERE m.conversation_id = c.id AND c.channel_id = $1 AND m.external_id = $2 AND m.direction = 'out'
         AND CASE $3
               WHEN 'failed' THEN m.status NOT IN ('read', 'failed')
               ELSE (CASE $3 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 ELSE 3 END)
                  > (CASE m.status WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 ELSE 0 END)
                    AND m.status <> 'failed'
             END
       RETURNING m.id, m.conversation_id, m.error, c.channel_id, c.channel_id || ':' || c.external_id AS conversation_key
     ), failed AS (
       -- The outbox row says which node sent the message; read by conversation key, which is indexed.
       SELECT m.id AS message_id, m.conversation_id, m.channel_id, m.conversation_key, o.payload, COALESCE(m.error, 'the platform reported the message failed') AS error
       FROM m JOIN outbox o ON o.conversation_key = m.conversation_key AND o.message_id = m.id
       WHERE $3 = 'failed'
     ), events AS (
       ${insertDeliveryFailedEvents('failed')}
     )
     SELECT (SELECT count(*) FROM m)::int AS changed, (SELECT array_agg(DISTINCT conversation_key) FROM events) AS keys`,
    [update.channelId, update.externalId, update.status, update.error],
  );
  return { changed: (rows[0]?.changed ?? 0) > 0, failureEvents: rows[0]?.keys ?? [] };
}

/**
 * A watermark receipt (Messenger): every reply sent on the thread up to `upTo` is delivered or read. Only sent
 * replies move, and only forwards; failed and unsent ones stay as they are. Returns how many changed.
 */
export async function applyWatermarkStatus(
  pool: Pool,
  update: { channelId: string; thread: string; upTo: string; status: 'delivered' | 'read' },
): Promise<number> {
  const { rowCount } = await pool.query(
    `UPDATE message m SET status = $4, updated_at = now()
     FROM conversation c
     WHERE m.conversation_id = c.id AND c.channel_id = $1 AND c.external_id = $2 AND m.direction = 'out'
       AND m.created_at <= $3::timestamptz
       AND m.status IN ('sent', 'delivered') AND m.status <> $4`,
    [update.channelId, update.thread, update.upTo, update.status],
  );
  return rowCount ?? 0;
}
