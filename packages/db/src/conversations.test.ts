import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from './testing.ts';
import { createPool, type Pool } from './connection.ts';
import { migrate } from './migrate.ts';
import { commitStep, conversationMessages, openConversation, pendingWork, type StepCommit } from './conversations.ts';
import { InboundLog, recordInbound } from './inbound.ts';

describe('commitStep', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  beforeAll(async () => {
    database = await freshDatabase('sbx_commit');
    pool = createPool(database.url);
    await migrate(pool);
    await pool.query(`INSERT INTO workspace (id, name) VALUES ('w', 'W'); INSERT INTO channel (id, workspace_id, type, name) VALUES ('ch', 'w', 'webhook', 'c')`);
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  const commit = async (externalId: string, text: string, replies: string[]) => {
    await recordInbound(pool, { channelId: 'ch', externalId, conversationKey: 'ch:t', kind: 'message', payload: {} });
    const event = (await pendingWork(pool, 'ch:t')).events.find((e) => e.externalId === externalId);
    const conversation = await openConversation(pool, { workspaceId: 'w', channelId: 'ch', externalId: 't', from: { id: 'u' }, flowVersionId: null });
    const c: StepCommit = {
      eventId: event?.id ?? -1,
      conversation,
      conversationKey: 'ch:t',
      inbound: { externalId, content: { type: 'text', text }, raw: {} },
      outgoing: replies.map((r, i) => ({ messageId: `${externalId}-out-${i}`, content: { type: 'text', text: r }, payload: { n: i } })),
      state: { step: externalId },
      status: 'open',
      owner: 'bot',
      tags: [],
      contactAttributes: null,
      timers: [],
      cancelTimers: [],
      flowVersionId: null,
      trace: [],
      failed: null,
    };
    return { c, first: (await commitStep(pool, c)).committed };
  };

  it('stores the customer message before its replies, and replies in order, across many steps', async () => {
    for (let i = 0; i < 10; i += 1) await commit(`e${i}`, `q${i}`, [`a${i}.1`, `a${i}.2`, `a${i}.3`]);
    const conversation = await openConversation(pool, { workspaceId: 'w', channelId: 'ch', externalId: 't', from: { id: 'u' }, flowVersionId: null });
    const history = await conversationMessages(pool, conversation.id);
    const texts = history.map((m) => (m.content as { text: string }).text);
    expect(texts).toEqual(Array.from({ length: 10 }, (_, i) => [`q${i}`, `a${i}.1`, `a${i}.2`, `a${i}.3`]).flat());
    const outbox = await pool.query<{ message_id: string }>('SELECT message_id FROM outbox ORDER BY id');
    expect(outbox.rows.map((r) => r.message_id)).toEqual(Array.from({ length: 10 }, (_, i) => [0, 1, 2].map((k) => `e${i}-out-${k}`)).flat());
  });

  it('with sendNow, claims the replies for immediate sending unless older replies still wait', async () => {
    await pool.query(`UPDATE outbox SET status = 'sent'`);
    const c = (await commit('claim-1', 'x', [])).c;
    await recordInbound(pool, { channelId: 'ch', externalId: 'claim-2', conversationKey: 'ch:t', kind: 'message', payload: {} });
    const event2 = (await pendingWork(pool, 'ch:t')).events.find((e) => e.externalId === 'claim-2');
    const first = await commitStep(pool, { ...c, eventId: event2?.id ?? -1, outgoing: [{ messageId: 'n1', content: {}, payload: {} }, { messageId: 'n2', content: {}, payload: {} }] }, true);
    expect(first.claimed.map((r) => [r.messageId, r.status, r.attempts])).toEqual([['n1', 'sending', 1], ['n2', 'sending', 1]]);
    expect(first.pending).toBe(0);
    await recordInbound(pool, { channelId: 'ch', externalId: 'claim-3', conversationKey: 'ch:t', kind: 'message', payload: {} });
    const event3 = (await pendingWork(pool, 'ch:t')).events.find((e) => e.externalId === 'claim-3');
    const second = await commitStep(pool, { ...c, eventId: event3?.id ?? -1, outgoing: [{ messageId: 'n3', content: {}, payload: {} }] }, true);
    expect(second.claimed).toEqual([]);
    expect(second.pending).toBe(1);
  });

  it('stores concurrent inbound events once each and answers repeats as duplicates, within and across batches', async () => {
    const log = new InboundLog(pool);
    const ids = ['a', 'b', 'a', 'c', 'b', 'd', 'd'];
    const results = await Promise.all(ids.map((id) => log.record({ channelId: 'ch', externalId: `batch-${id}`, conversationKey: 'ch:b', kind: 'message', payload: { id } })));
    expect(results).toEqual([true, true, false, true, false, true, false]);
    expect(await log.record({ channelId: 'ch', externalId: 'batch-c', conversationKey: 'ch:b', kind: 'message', payload: {} })).toBe(false);
    const stored = await pool.query<{ external_id: string }>(`SELECT external_id FROM inbound_event WHERE conversation_key = 'ch:b' ORDER BY id`);
    expect(stored.rows.map((r) => r.external_id)).toEqual(['batch-a', 'batch-b', 'batch-c', 'batch-d']);
  });

  it('writes nothing the second time the same event is committed', async () => {
    const { c, first } = await commit('again', 'hello', ['hi']);
    expect(first).toBe(true);
    expect((await commitStep(pool, { ...c, outgoing: [{ messageId: 'dup', content: {}, payload: {} }] })).committed).toBe(false);
    const dup = await pool.query(`SELECT 1 FROM message WHERE id = 'dup' UNION ALL SELECT 1 FROM outbox WHERE message_id = 'dup'`);
    expect(dup.rowCount).toBe(0);
  });
});
