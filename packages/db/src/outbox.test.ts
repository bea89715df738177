import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from './testing.ts';
import { createPool, type Pool } from './connection.ts';
import { migrate } from './migrate.ts';
import { applyDeliveryStatus, openConversation } from './conversations.ts';
import { markFailed, unsentForConversation, type OutboxRow } from './outbox.ts';

describe('permanent delivery failures reach the conversation as one delivery-failed event', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  beforeAll(async () => {
    database = await freshDatabase('sbx_outbox');
    pool = createPool(database.url);
    await migrate(pool);
    await pool.query(`INSERT INTO workspace (id, name) VALUES ('w', 'W'); INSERT INTO channel (id, workspace_id, type, name) VALUES ('ch', 'w', 'whatsapp', 'c')`);
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  /**
   * A conversation with one reply from the flow node named in `payload`: waiting in the outbox, or already accepted
   * by the platform as `externalId`. Returns the conversation id and the outbox row of a waiting reply.
   */
  const reply = async (thread: string, payload: Record<string, unknown>, externalId: string | null = null): Promise<{ conversationId: string; row: OutboxRow | undefined }> => {
    const conversation = await openConversation(pool, { workspaceId: 'w', channelId: 'ch', externalId: thread, from: { id: `u-${thread}` }, flowVersionId: null });
    const messageId = `m-${thread}`;
    const status = externalId ? 'sent' : 'pending';
    await pool.query(`INSERT INTO message (id, conversation_id, direction, external_id, content, status) VALUES ($1, $2, 'out', $3, '{}', $4)`, [messageId, conversation.id, externalId, status]);
    await pool.query(`INSERT INTO outbox (conversation_id, channel_id, message_id, conversation_key, payload, status) VALUES ($1, 'ch', $2, $3, $4, $5)`, [
      conversation.id,
      messageId,
      `ch:${thread}`,
      JSON.stringify({ thread, ...payload }),
      status,
    ]);
    const [row] = await unsentForConversation(pool, `ch:${thread}`);
    return { conversationId: conversation.id, row };
  };
  const waiting = async (thread: string, payload: Record<string, unknown>) => {
    const { conversationId, row } = await reply(thread, payload);
    if (!row) throw new Error(`no outbox row for ${thread}`);
    return { conversationId, row };
  };

  const events = async (thread: string) =>
    (
      await pool.query<{ external_id: string; kind: string; payload: unknown; processed_at: Date | null }>(
        `SELECT external_id, kind, payload, processed_at FROM inbound_event WHERE conversation_key = $1 ORDER BY id`,
        [`ch:${thread}`],
      )
    ).rows;
  const messageOf = async (thread: string) =>
    (await pool.query<{ status: string; error: string | null }>(`SELECT status, error FROM message WHERE id = $1`, [`m-${thread}`])).rows[0];

  it('writes the event with the failure when the sender gives up, once per message', async () => {
    const { conversationId, row } = await waiting('give-up', { nodeId: 'shipped' });
    expect(await markFailed(pool, row, 'HTTP 400: bad recipient')).toBe(true);
    expect(await messageOf('give-up')).toEqual({ status: 'failed', error: 'HTTP 400: bad recipient' });
    expect(await events('give-up')).toEqual([
      {
        external_id: 'delivery-failed:m-give-up',
        kind: 'delivery-failed',
        payload: { conversationId, messageId: 'm-give-up', nodeId: 'shipped', flowId: null, error: 'HTTP 400: bad recipient' },
        processed_at: null,
      },
    ]);
    expect(await markFailed(pool, row, 'HTTP 400: again')).toBe(false);
    expect(await events('give-up')).toHaveLength(1);
  });

  it('keeps only the masked copy of a failed reply (MASK_STORED_PII), and still tells its node', async () => {
    const { row } = await waiting('masked', { nodeId: 'ask', text: 'write to ada@example.com' });
    await pool.query(`UPDATE outbox SET stored_payload = $2 WHERE id = $1`, [row.id, JSON.stringify({ thread: 'masked', nodeId: 'ask', text: 'write to [EMAIL]' })]);
    expect(await markFailed(pool, row, 'HTTP 400')).toBe(true);
    const stored = await pool.query<{ payload: unknown; stored_payload: unknown }>('SELECT payload, stored_payload FROM outbox WHERE id = $1', [row.id]);
    expect(stored.rows).toEqual([{ payload: { thread: 'masked', nodeId: 'ask', text: 'write to [EMAIL]' }, stored_payload: null }]);
    expect((await events('masked'))[0]?.payload).toMatchObject({ nodeId: 'ask' });
  });

  it('names the jumped-to flow that sent it, and writes no event for a message no node sent', async () => {
    const jumped = await waiting('jumped', { nodeId: 'hi', flowId: 'support' });
    await markFailed(pool, jumped.row, 'refused');
    expect((await events('jumped'))[0]?.payload).toMatchObject({ nodeId: 'hi', flowId: 'support' });

    const orphan = await waiting('orphan', {});
    expect(await markFailed(pool, orphan.row, 'refused')).toBe(false);
    expect(await messageOf('orphan')).toEqual({ status: 'failed', error: 'refused' });
    expect(await events('orphan')).toEqual([]);
  });

  it("writes the event when a receipt says a sent message failed, once, with the platform's reason", async () => {
    const { conversationId } = await reply('receipt', { nodeId: 'shipped' }, 'wamid.1');
    expect(await applyDeliveryStatus(pool, { channelId: 'ch', externalId: 'wamid.1', status: 'delivered', error: null })).toEqual({ changed: true, failureEvents: [] });
    expect(await events('receipt')).toEqual([]);

    const failed = await applyDeliveryStatus(pool, { channelId: 'ch', externalId: 'wamid.1', status: 'failed', error: '131026: Message undeliverable' });
    expect(failed).toEqual({ changed: true, failureEvents: ['ch:receipt'] });
    expect(await messageOf('receipt')).toEqual({ status: 'failed', error: '131026: Message undeliverable' });
    expect((await events('receipt')).map((e) => e.payload)).toEqual([
      { conversationId, messageId: 'm-receipt', nodeId: 'shipped', flowId: null, error: '131026: Message undeliverable' },
    ]);

    // Platforms repeat receipts: the second one changes nothing and tells the flow nothing.
    expect(await applyDeliveryStatus(pool, { channelId: 'ch', externalId: 'wamid.1', status: 'failed', error: '131026: Message undeliverable' })).toEqual({ changed: false, failureEvents: [] });
    expect(await events('receipt')).toHaveLength(1);
  });
});
