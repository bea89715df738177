import type { Pool } from './connection.ts';

export interface FiredTimer {
  id: string;
  token: string;
  conversationId: string;
  conversationKey: string;
  channelId: string;
}

/**
 * Fires due timers: each becomes an inbound 'timer' event in its conversation's stream (so it is ordered with
 * the conversation's messages and handled exactly once), in the same statement that marks it fired.
 */
export async function fireDueTimers(pool: Pool, limit = 200): Promise<FiredTimer[]> {
  const { rows } = await pool.query<{ id: string; token: string; conversation_id: string; channel_id: string; conversation_key: string }>(
    `WITH fired AS (
       UPDATE timer t SET status = 'fired'
       FROM conversation c
       WHERE t.id IN (SELECT id FROM timer WHERE status = 'pending' AND due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         AND c.id = t.conversation_id
       RETURNING t.id, t.token, t.conversation_id, t.due_at, c.channel_id, c.channel_id || ':' || c.external_id AS conversation_key
     ), events AS (
       INSERT INTO inbound_event (channel_id, external_id, conversation_key, kind, payload)
       SELECT channel_id, 'timer:' || id, conversation_key, 'timer', jsonb_build_object('token', token, 'conversationId', conversation_id)
       FROM fired ORDER BY due_at, id
       ON CONFLICT (channel_id, external_id) DO NOTHING
     )
     SELECT id, token, conversation_id, channel_id, conversation_key FROM fired`,
    [limit],
  );
  return rows.map((r) => ({ id: r.id, token: r.token, conversationId: r.conversation_id, channelId: r.channel_id, conversationKey: r.conversation_key }));
}

/** The queue key of a conversation (see `loadWork`, which splits it again). */
export function conversationKeyOf(channelId: string, threadId: string): string {
  return `${channelId}:${threadId}`;
}
