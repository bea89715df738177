import { randomUUID } from 'node:crypto';
import { run, type Pool } from './connection.ts';
import { GroupCommit } from './group-commit.ts';
import { markParameters, markSentUpdates, OUTBOX_COLUMNS, toOutboxRow, type OutboxRecord, type OutboxRow, type SentLog, type SentMark } from './outbox.ts';

export interface OutgoingMessage {
  messageId: string;
  payload: unknown;
  content: unknown;
  /** Replaces the outbox row's payload once it is sent or failed (personal data masked); absent: kept as sent. */
  storedPayload?: unknown;
}

/** What one event produced: the customer's message (if it was one), the replies, and the trace of the run. */
export interface EventOutcome {
  eventId: number;
  inbound: { externalId: string; content: unknown; attachments?: unknown; raw: unknown } | null;
  outgoing: OutgoingMessage[];
  flowVersionId: string | null;
  trace: unknown;
  failed: string | null;
  /** Replaces the inbound event's stored payload once processed (personal data masked); absent: kept as received. */
  storedPayload?: unknown;
}

/**
 * Everything a worker's drain of one conversation produced, to be written at once: the events' outcomes in
 * order, and the conversation as the last of them left it. It applies only if the conversation's revision is
 * still `revision` (the one the worker read).
 */
export interface ConversationCommit {
  conversationId: string;
  revision: number;
  conversationKey: string;
  channelId: string;
  contactId: string;
  events: EventOutcome[];
  state: unknown;
  status: string;
  owner: string;
  assignedTeam: string | null;
  priority: string | null;
  tags: string[];
  /** The customer's language as a flow detected it (ISO 639-1); null keeps the stored one. */
  language?: string | null;
  flowVersionId: string | null;
  /** Merged into the contact's attributes. */
  contactAttributes: Record<string, unknown> | null;
  timers: { token: string; dueAt: string }[];
  cancelTimers: string[];
  /** Store the replies as already being sent by the caller (attempt 1) when no older reply of the conversation waits. */
  sendNow: boolean;
}

export interface CommitResult {
  /** False when the conversation changed since the worker read it: nothing was written. */
  committed: boolean;
  /** The conversation's revision after the commit. */
  revision: number;
  /** Outbox rows marked as being sent by the caller right away (`sendNow`), in order. */
  claimed: OutboxRow[];
  /** Outbox rows left for the sender (older replies were still waiting, or `sendNow` was off). */
  pending: number;
}

/**
 * Writes the work of many conversations in one statement (one round trip, one WAL flush): each
 * conversation's new state, the customer messages and replies in order, outbox rows, timers, contact
 * attributes and traces, and marks the events processed. Each conversation's part is all or nothing, and
 * everything in it hangs on its conversation row being updated: that happens only if the revision is still
 * the one the worker read and none of its events is processed yet. (Joining every row to the small set of
 * updated conversations, rather than to the updated events, keeps the statement linear in its size.)
 */
export async function commitConversations(pool: Pool, commits: ConversationCommit[], sent: SentMark[] = []): Promise<CommitResult[]> {
  if (commits.length === 0) return [];
  const marks = markSentUpdates('$9', '$10', '$11');
  const groups = commits.map((c, g) => ({
    g,
    conversation_id: c.conversationId,
    revision: c.revision,
    conversation_key: c.conversationKey,
    channel_id: c.channelId,
    state: c.state,
    status: c.status,
    owner: c.owner,
    assigned_team: c.assignedTeam,
    priority: c.priority,
    tags: c.tags,
    language: c.language ?? null,
    flow_version_id: c.flowVersionId,
    send_now: c.sendNow,
    event_ids: c.events.map((e) => e.eventId),
  }));
  const events = commits.flatMap((c, g) =>
    c.events.map((e, k) => ({
      g,
      k,
      event_id: e.eventId,
      message_id: e.inbound ? randomUUID() : null,
      external_id: e.inbound?.externalId ?? null,
      content: e.inbound?.content ?? null,
      attachments: e.inbound?.attachments ?? null,
      raw: e.inbound ? (e.inbound.raw ?? null) : null,
      flow_version_id: e.flowVersionId,
      trace: e.trace ?? null,
      failed: e.failed,
      stored_payload: e.storedPayload ?? null,
    })),
  );
  const outgoing = commits.flatMap((c, g) =>
    c.events.flatMap((e, k) => e.outgoing.map((o, j) => ({ g, k, j: j + 1, message_id: o.messageId, content: o.content, payload: o.payload, stored_payload: o.storedPayload ?? null }))),
  );
  const timers = commits.flatMap((c, g) => c.timers.map((t) => ({ g, token: t.token, due_at: t.dueAt })));
  const cancels = commits.flatMap((c, g) => c.cancelTimers.map((token) => ({ g, token })));
  // A contact can be in two conversations of one batch (two channels): one UPDATE per row, attributes merged.
  const attributes = new Map<string, { contact_id: string; attributes: Record<string, unknown>; groups: number[] }>();
  commits.forEach((c, g) => {
    if (!c.contactAttributes) return;
    const entry = attributes.get(c.contactId) ?? { contact_id: c.contactId, attributes: {}, groups: [] };
    Object.assign(entry.attributes, c.contactAttributes);
    entry.groups.push(g);
    attributes.set(c.contactId, entry);
  });

  const { rows } = await run<{ committed: { g: number; revision: number }[] | null; outbox: (OutboxRecord & { g: number })[] | null }>(
    pool,
    'commit_conversations',
    `WITH g AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS g(g int, conversation_id text, revision int, conversation_key text, channel_id text,
         state jsonb, status text, owner text, assigned_team text, priority text, tags text[], language text, flow_version_id text, send_now boolean,
         event_ids bigint[])
     ), conv AS (
       UPDATE conversation c SET state = g.state, status = g.status, owner = g.owner, tags = g.tags, flow_version_id = g.flow_version_id,
         language = COALESCE(g.language, c.language),
         assigned_team = COALESCE(g.assigned_team, c.assigned_team), priority = COALESCE(g.priority, c.priority),
         closed_at = CASE WHEN g.status = 'closed' THEN now() ELSE NULL END, updated_at = now(), revision = c.revision + 1
       FROM g WHERE c.id = ANY($7::text[]) AND c.id = g.conversation_id AND c.revision = g.revision
         AND NOT EXISTS (SELECT 1 FROM inbound_event e WHERE e.id = ANY(g.event_ids) AND e.processed_at IS NOT NULL)
       RETURNING g.g, c.id AS conversation_id, c.revision
     ), ev AS (
       SELECT * FROM jsonb_to_recordset($2::jsonb) AS e(g int, k int, event_id bigint, message_id text, external_id text, content jsonb, attachments jsonb, raw jsonb,
         flow_version_id text, trace jsonb, failed text, stored_payload jsonb)
     ), claimed AS (
       UPDATE inbound_event i SET processed_at = now(), payload = COALESCE(ev.stored_payload, i.payload) FROM ev JOIN conv ON conv.g = ev.g
       WHERE i.id = ev.event_id AND i.processed_at IS NULL
     ), out AS (
       SELECT o.*, conv.conversation_id FROM jsonb_to_recordset($3::jsonb) AS o(g int, k int, j int, message_id text, content jsonb, payload jsonb, stored_payload jsonb)
       JOIN conv ON conv.g = o.g
     ), messages AS (
       -- Each customer message before its replies, in one ordered insert: message.seq is the history order.
       SELECT ev.g, ev.k, 0 AS j, ev.message_id AS id, conv.conversation_id, 'in' AS direction, ev.external_id, ev.content, ev.attachments, ev.raw, 'received' AS status
       FROM ev JOIN conv ON conv.g = ev.g WHERE ev.message_id IS NOT NULL
       UNION ALL
       SELECT o.g, o.k, o.j, o.message_id, o.conversation_id, 'out', NULL, o.content, NULL, NULL, 'pending' FROM out o
     ), stored AS (
       INSERT INTO message (id, conversation_id, direction, external_id, content, attachments, raw, status)
       SELECT m.id, m.conversation_id, m.direction, m.external_id, m.content, m.attachments, m.raw, m.status FROM messages m ORDER BY m.g, m.k, m.j
     ), older AS (
       -- Replies still waiting from before: new ones must queue behind them, never overtake. One probe per
       -- conversation (LATERAL ... LIMIT 1 on its key): read by status instead, the statement walked every
       -- outbox row sent since the last vacuum (their old index entries stay until then), 14,000 on the
       -- benchmark, and that took most of the commit's time.
       -- Rows this statement records as sent (below) are not waiting any more.
       SELECT k.conversation_key FROM unnest($8::text[]) AS k(conversation_key)
       CROSS JOIN LATERAL (
         SELECT 1 FROM outbox o WHERE o.conversation_key = k.conversation_key AND o.status IN ('pending', 'sending') AND NOT (o.id = ANY($9::bigint[])) LIMIT 1
       ) waiting
     ), sent_rows AS (
       -- Replies delivered since the last commit, recorded here instead of in a statement of their own (SentLog).
       ${marks.outbox}
     ), sent_messages AS (
       ${marks.message}
     ), out_rows AS (
       INSERT INTO outbox (conversation_id, channel_id, message_id, conversation_key, payload, stored_payload, status, attempts)
       SELECT o.conversation_id, g.channel_id, o.message_id, g.conversation_key, o.payload, o.stored_payload,
              CASE WHEN g.send_now AND g.conversation_key NOT IN (SELECT conversation_key FROM older) THEN 'sending' ELSE 'pending' END,
              CASE WHEN g.send_now AND g.conversation_key NOT IN (SELECT conversation_key FROM older) THEN 1 ELSE 0 END
       FROM out o JOIN g ON g.g = o.g ORDER BY o.g, o.k, o.j
       RETURNING ${OUTBOX_COLUMNS}
     ), new_timers AS (
       INSERT INTO timer (id, conversation_id, token, due_at)
       SELECT gen_random_uuid()::text, conv.conversation_id, t.token, t.due_at
       FROM jsonb_to_recordset($4::jsonb) AS t(g int, token text, due_at timestamptz) JOIN conv ON conv.g = t.g
       ON CONFLICT (token) DO NOTHING
     ), cancelled AS (
       UPDATE timer SET status = 'cancelled' FROM jsonb_to_recordset($5::jsonb) AS x(g int, token text) JOIN conv ON conv.g = x.g
       WHERE timer.token = x.token AND timer.status = 'pending'
     ), attrs AS (
       UPDATE contact SET attributes = contact.attributes || a.attributes
       FROM jsonb_to_recordset($6::jsonb) AS a(contact_id text, attributes jsonb, groups int[])
       WHERE contact.id = a.contact_id AND EXISTS (SELECT 1 FROM conv WHERE conv.g = ANY(a.groups))
     ), traced AS (
       INSERT INTO execution_trace (conversation_id, flow_version_id, inbound_event_id, trace, failed)
       SELECT conv.conversation_id, ev.flow_version_id, ev.event_id, ev.trace, ev.failed
       FROM ev JOIN conv ON conv.g = ev.g ORDER BY ev.g, ev.k
     )
     SELECT (SELECT json_agg(json_build_object('g', conv.g, 'revision', conv.revision)) FROM conv) AS committed,
            (SELECT json_agg(r ORDER BY r.id) FROM (SELECT out_rows.*, g.g FROM out_rows JOIN g ON g.conversation_key = out_rows.conversation_key) r) AS outbox`,
    [
      JSON.stringify(groups),
      JSON.stringify(events),
      JSON.stringify(outgoing),
      JSON.stringify(timers),
      JSON.stringify(cancels),
      JSON.stringify([...attributes.values()]),
      // The ids and keys again as arrays: with them the planner reads conversation and outbox by index
      // (it cannot see how few rows jsonb_to_recordset returns).
      commits.map((c) => c.conversationId),
      commits.map((c) => c.conversationKey),
      ...markParameters(sent),
    ],
  );
  const row = rows[0];
  const revisions = new Map((row?.committed ?? []).map((c) => [c.g, c.revision]));
  const outbox = row?.outbox ?? [];
  return commits.map((c, g) => {
    const revision = revisions.get(g);
    if (revision === undefined) return { committed: false, revision: c.revision, claimed: [], pending: 0 };
    const mine = outbox.filter((r) => r.g === g).map(toOutboxRow);
    return { committed: true, revision, claimed: mine.filter((r) => r.status === 'sending'), pending: mine.filter((r) => r.status === 'pending').length };
  });
}

/**
 * `commitConversations` for concurrent drains: commits submitted while others are being written go
 * together in the next statement (group commit). Two drains of one conversation never run at once (the
 * queue's per-key lock), so a batch holds each conversation at most once.
 */
export class CommitLog {
  private readonly group: GroupCommit<ConversationCommit, CommitResult>;

  /** With `sent`, each statement also records the replies delivered since the last one (SentLog.take). */
  constructor(pool: Pool, sent: SentLog | null = null) {
    this.group = new GroupCommit(async (commits) => {
      const carried = sent?.take() ?? null;
      try {
        const results = await commitConversations(pool, commits, carried?.marks);
        carried?.settle();
        return results;
      } catch (error) {
        carried?.settle(error);
        throw error;
      }
    }, 128, 2); // 128: above the runner's default of 96 drains, so one statement can carry them all
  }

  commit(commit: ConversationCommit): Promise<CommitResult> {
    return this.group.submit(commit);
  }
}
