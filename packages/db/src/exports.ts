import type { Pool } from './connection.ts';

/** One message of a conversation export, with its conversation's context. */
export interface ExportedMessage {
  conversationId: string;
  /** The platform's thread id: a phone number on WhatsApp and SMS, an address for email. */
  thread: string;
  channel: { id: string; type: string; name: string };
  contact: { id: string; name: string | null };
  language: string | null;
  direction: 'in' | 'out';
  status: string;
  at: Date;
  /** The normalized content (`{ type: 'text', text }`, media, …), as stored. */
  content: unknown;
}

export interface ExportFilter {
  workspaceId: string;
  since?: Date;
  until?: Date;
  channelId?: string;
}

interface Row {
  seq: string;
  conversation_id: string;
  thread: string;
  channel_id: string;
  channel_type: string;
  channel_name: string;
  contact_id: string;
  contact_name: string | null;
  language: string | null;
  direction: 'in' | 'out';
  status: string;
  created_at: Date;
  content: unknown;
}

/**
 * A workspace's messages, oldest first, a page at a time so an export of any size holds one page in memory.
 * Platform payloads (`raw`) are left out: an export carries what was said, not the platforms' envelopes.
 */
export async function* messagesForExport(pool: Pool, filter: ExportFilter, pageSize = 1000): AsyncGenerator<ExportedMessage> {
  let after = '0';
  for (;;) {
    const { rows } = await pool.query<Row>(
      `SELECT m.seq::text AS seq, c.id AS conversation_id, c.external_id AS thread, ch.id AS channel_id, ch.type AS channel_type, ch.name AS channel_name,
              ct.id AS contact_id, ct.name AS contact_name, c.language, m.direction, m.status, m.created_at, m.content
       FROM message m JOIN conversation c ON c.id = m.conversation_id JOIN channel ch ON ch.id = c.channel_id JOIN contact ct ON ct.id = c.contact_id
       WHERE c.workspace_id = $1 AND m.seq > $2::bigint AND ($3::timestamptz IS NULL OR m.created_at >= $3) AND ($4::timestamptz IS NULL OR m.created_at < $4)
         AND ($5::text IS NULL OR c.channel_id = $5)
       ORDER BY m.seq LIMIT $6`,
      [filter.workspaceId, after, filter.since ?? null, filter.until ?? null, filter.channelId ?? null, pageSize],
    );
    for (const r of rows) {
      yield {
        conversationId: r.conversation_id,
        thread: r.thread,
        channel: { id: r.channel_id, type: r.channel_type, name: r.channel_name },
        contact: { id: r.contact_id, name: r.contact_name },
        language: r.language,
        direction: r.direction,
        status: r.status,
        at: r.created_at,
        content: r.content,
      };
    }
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.seq;
  }
}
