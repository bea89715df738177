import type { Pool } from './connection.ts';
import { transaction } from './connection.ts';

export interface FiredTimer {
  id: string;
  token: string;
  conversationId: string;
  conversationKey: string;
  channelId: string;
}

/**
 * Fires due timers: each becomes an inbound 'timer' event in its conversation's stream (so it is ordered with
 * the conversation's messages and handled exactly once), in the same transaction that marks it fired.
 */
export async function fireDueTimers(pool: Pool, limit = 200): Promise<FiredTimer[]> {
  return transaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string; token: string; conversation_id: string; channel_id: string; external_id: string }>(
      `UPDATE timer t SET status = 'fired'
       FROM conversation c
       WHERE t.id IN (SELECT id FROM timer WHERE status = 'pending' AND due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         AND c.id = t.conversation_id
       RETURNING t.id, t.token, t.conversation_id, c.channel_id, c.external_id`,
      [limit],
    );
    const fired = rows.map((r) => ({
      id: r.id,
      token: r.token,
      conversationId: r.conversation_id,
      channelId: r.channel_id,
      conversationKey: conversationKeyOf(r.channel_id, r.external_id),
    }));
    for (const t of fired) {
      await client.query(
        `INSERT INTO inbound_event (channel_id, external_id, conversation_key, kind, payload) VALUES ($1, $2, $3, 'timer', $4)
         ON CONFLICT (channel_id, external_id) DO NOTHING`,
        [t.channelId, `timer:${t.id}`, t.conversationKey, JSON.stringify({ token: t.token, conversationId: t.conversationId })],
      );
    }
    return fired;
  });
}


export function conversationKeyOf(channelId: string, threadId: string): string {
  return `${channelId}:${threadId}`;
}
