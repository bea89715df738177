import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from './testing.ts';
import { createPool, type Pool } from './connection.ts';
import { migrate } from './migrate.ts';
import { conversationMessages, loadWork, openConversation, type ConversationRow } from './conversations.ts';
import { commitConversations, CommitLog, type ConversationCommit, type EventOutcome } from './commit.ts';
import { InboundLog, recordInbound } from './inbound.ts';
import { SentLog } from './outbox.ts';

describe('commitConversations', () => {
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

  const pendingEvents = async (conversationKey: string) => (await loadWork(pool, [conversationKey]))[0]?.events ?? [];

  const open = (thread: string) => openConversation(pool, { workspaceId: 'w', channelId: 'ch', externalId: thread, from: { id: `u-${thread}` }, flowVersionId: null });

  /** Stores inbound events for the thread and returns their outcomes: each answered with `replies`. */
  const outcomes = async (thread: string, externalIds: string[], replies: (id: string) => string[]): Promise<EventOutcome[]> => {
    for (const externalId of externalIds) await recordInbound(pool, { channelId: 'ch', externalId, conversationKey: `ch:${thread}`, kind: 'message', payload: {} });
    const events = await pendingEvents(`ch:${thread}`);
    return externalIds.map((externalId) => ({
      eventId: events.find((e) => e.externalId === externalId)?.id ?? -1,
      inbound: { externalId, content: { type: 'text', text: `q-${externalId}` }, raw: {} },
      outgoing: replies(externalId).map((r, i) => ({ messageId: `${externalId}-out-${i}`, content: { type: 'text', text: r }, payload: { n: i } })),
      flowVersionId: null,
      trace: [],
      failed: null,
    }));
  };

  const commitOf = (conversation: ConversationRow, events: EventOutcome[], overrides: Partial<ConversationCommit> = {}): ConversationCommit => ({
    conversationId: conversation.id,
    revision: conversation.revision,
    conversationKey: `ch:${conversation.externalId}`,
    channelId: 'ch',
    contactId: conversation.contact.id,
    events,
    state: { after: events.at(-1)?.inbound?.externalId ?? null },
    status: 'open',
    owner: 'bot',
    assignedTeam: null,
    priority: null,
    tags: [],
    flowVersionId: null,
    contactAttributes: null,
    timers: [],
    cancelTimers: [],
    sendNow: false,
    ...overrides,
  });

  const texts = async (conversationId: string) => (await conversationMessages(pool, conversationId)).map((m) => (m.content as { text: string }).text);

  it('opens a new sender\'s conversation in one go: contact, identity and the version the channel\'s binding names', async () => {
    await pool.query(`INSERT INTO channel (id, workspace_id, type, name) VALUES ('bound', 'w', 'webhook', 'b')`);
    await pool.query(`INSERT INTO flow (id, workspace_id, name) VALUES ('f', 'w', 'F')`);
    await pool.query(`INSERT INTO flow_version (id, flow_id, number, document, checksum) VALUES ('v1', 'f', 1, '{}', 'a'), ('v2', 'f', 2, '{}', 'b')`);
    await pool.query(`INSERT INTO channel_binding (channel_id, flow_id, mode) VALUES ('bound', 'f', 'latest')`);
    const first = await openConversation(pool, { workspaceId: 'w', channelId: 'bound', externalId: 't1', from: { id: 'ana', name: 'Ana', locale: 'es' } });
    expect(first).toMatchObject({ channelId: 'bound', externalId: 't1', flowVersionId: 'v2', language: 'es', revision: 0, contact: { name: 'Ana', attributes: {} } });
    // The same sender in another thread is the same contact; a pinned binding starts on its pinned version.
    await pool.query(`UPDATE channel_binding SET mode = 'pinned', version_id = 'v1' WHERE channel_id = 'bound'`);
    const second = await openConversation(pool, { workspaceId: 'w', channelId: 'bound', externalId: 't2', from: { id: 'ana' } });
    expect([second.contact.id, second.flowVersionId]).toEqual([first.contact.id, 'v1']);
    // An explicit version (or none) wins over the binding.
    expect((await openConversation(pool, { workspaceId: 'w', channelId: 'bound', externalId: 't3', from: { id: 'ana' }, flowVersionId: null })).flowVersionId).toBeNull();
    // A thread opened before is returned as it is.
    expect((await openConversation(pool, { workspaceId: 'w', channelId: 'bound', externalId: 't1', from: { id: 'ana' } })).id).toBe(first.id);
  });

  it('gives a new sender one contact when two of their threads open at once, and leaves no stray contact', async () => {
    const opened = await Promise.all(
      Array.from({ length: 6 }, (_, i) => openConversation(pool, { workspaceId: 'w', channelId: 'ch', externalId: `race-${i}`, from: { id: 'bea', name: 'Bea' } })),
    );
    expect(new Set(opened.map((c) => c.contact.id)).size).toBe(1);
    expect(new Set(opened.map((c) => c.id)).size).toBe(6);
    const stray = await pool.query(`SELECT id FROM contact c WHERE name = 'Bea' AND NOT EXISTS (SELECT 1 FROM contact_identity i WHERE i.contact_id = c.id)`);
    expect(stray.rows).toEqual([]);
  });

  it('stores each customer message before its replies, in order, within a commit and across commits', async () => {
    let conversation = await open('t');
    for (let i = 0; i < 5; i += 1) {
      const ids = [`e${i}a`, `e${i}b`];
      const [result] = await commitConversations(pool, [commitOf(conversation, await outcomes('t', ids, (id) => [`${id}.1`, `${id}.2`]))]);
      expect(result?.committed).toBe(true);
      expect(result?.revision).toBe(conversation.revision + 1);
      conversation = { ...conversation, revision: result?.revision ?? -1 };
    }
    const expected = Array.from({ length: 5 }, (_, i) => [`e${i}a`, `e${i}b`].flatMap((id) => [`q-${id}`, `${id}.1`, `${id}.2`])).flat();
    expect(await texts(conversation.id)).toEqual(expected);
    const outbox = await pool.query<{ message_id: string }>(`SELECT message_id FROM outbox WHERE conversation_id = $1 ORDER BY id`, [conversation.id]);
    expect(outbox.rows.map((r) => r.message_id)).toEqual(expected.filter((t) => !t.startsWith('q-')).map((t) => t.replace(/\.(\d)$/, (_, n: string) => `-out-${Number(n) - 1}`)));
    const state = await pool.query<{ state: unknown; processed: number }>(
      `SELECT state, (SELECT count(*) FROM inbound_event WHERE conversation_key = 'ch:t' AND processed_at IS NOT NULL)::int AS processed FROM conversation WHERE id = $1`,
      [conversation.id],
    );
    expect(state.rows[0]).toEqual({ state: { after: 'e4b' }, processed: 10 });
  });

  it('with sendNow, claims the replies for immediate sending unless older replies still wait', async () => {
    const conversation = await open('claim');
    const [first] = await commitConversations(pool, [commitOf(conversation, await outcomes('claim', ['c1'], () => ['n1', 'n2']), { sendNow: true })]);
    expect(first?.claimed.map((r) => [r.messageId, r.status, r.attempts])).toEqual([['c1-out-0', 'sending', 1], ['c1-out-1', 'sending', 1]]);
    expect(first?.pending).toBe(0);
    const [second] = await commitConversations(pool, [commitOf({ ...conversation, revision: first?.revision ?? -1 }, await outcomes('claim', ['c2'], () => ['n3']), { sendNow: true })]);
    expect(second?.claimed).toEqual([]);
    expect(second?.pending).toBe(1);
  });

  it('records the sent marks it carries, and claims new replies behind replies it records as sent', async () => {
    const conversation = await open('carry');
    const [first] = await commitConversations(pool, [commitOf(conversation, await outcomes('carry', ['k1'], () => ['n1', 'n2']), { sendNow: true })]);
    const delivered = (first?.claimed ?? []).map((r, i) => ({ id: r.id, messageId: r.messageId, externalId: i === 0 ? 'wamid.1' : null }));
    expect(delivered).toHaveLength(2);
    const next = commitOf({ ...conversation, revision: first?.revision ?? -1 }, await outcomes('carry', ['k2'], () => ['n3']), { sendNow: true });
    const [second] = await commitConversations(pool, [next], delivered);
    expect(second?.claimed.map((r) => r.messageId)).toEqual(['k2-out-0']);
    expect(second?.pending).toBe(0);
    const rows = await pool.query<{ message_id: string; outbox: string; message: string; external_id: string | null }>(
      `SELECT o.message_id, o.status AS outbox, m.status AS message, m.external_id FROM outbox o JOIN message m ON m.id = o.message_id
       WHERE o.conversation_id = $1 ORDER BY o.id`,
      [conversation.id],
    );
    expect(rows.rows).toEqual([
      { message_id: 'k1-out-0', outbox: 'sent', message: 'sent', external_id: 'wamid.1' },
      { message_id: 'k1-out-1', outbox: 'sent', message: 'sent', external_id: null },
      { message_id: 'k2-out-0', outbox: 'sending', message: 'pending', external_id: null },
    ]);
  });

  it('writes the marks of a SentLog with the next commit, or alone when no commit comes within the linger', async () => {
    const sent = new SentLog(pool, 50);
    const log = new CommitLog(pool, sent);
    const conversation = await open('linger');
    const first = await log.commit(commitOf(conversation, await outcomes('linger', ['l1'], () => ['a', 'b']), { sendNow: true }));
    const [a, b] = first.claimed;
    if (!a || !b) throw new Error('expected two claimed replies');
    const status = async (id: number) => (await pool.query<{ status: string }>('SELECT status FROM outbox WHERE id = $1', [id])).rows[0]?.status;
    // Carried: the next commit writes the mark, well before the linger is over.
    const carried = sent.record(a, null);
    const second = await log.commit(commitOf({ ...conversation, revision: first.revision }, await outcomes('linger', ['l2'], () => []), { sendNow: true }));
    expect(second.committed).toBe(true);
    await carried;
    expect(await status(a.id)).toBe('sent');
    // Alone: nothing to carry it, so it is written once the linger is over.
    const started = performance.now();
    await sent.record(b, null);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(await status(b.id)).toBe('sent');
  });

  it('writes carried marks alone when the commit carrying them fails', async () => {
    const sent = new SentLog(pool, 10_000);
    const conversation = await open('carry-fail');
    const [first] = await commitConversations(pool, [commitOf(conversation, await outcomes('carry-fail', ['cf1'], () => ['x']), { sendNow: true })]);
    const [row] = first?.claimed ?? [];
    if (!row) throw new Error('expected a claimed reply');
    const marked = sent.record(row, 'ext-1');
    const broken = new CommitLog(pool, sent);
    // A state JSON cannot hold a lone surrogate: Postgres refuses the whole statement.
    await expect(broken.commit(commitOf({ ...conversation, revision: first?.revision ?? -1 }, [], { state: { bad: '\ud800' } }))).rejects.toThrow();
    await marked;
    const rows = await pool.query<{ status: string; external_id: string | null }>(
      `SELECT o.status, m.external_id FROM outbox o JOIN message m ON m.id = o.message_id WHERE o.id = $1`,
      [row.id],
    );
    expect(rows.rows).toEqual([{ status: 'sent', external_id: 'ext-1' }]);
  });

  it('writes one conversation of a batch and nothing of another whose revision moved on', async () => {
    const fresh = await open('fresh');
    const stale = await open('stale');
    await pool.query('UPDATE conversation SET revision = revision + 1 WHERE id = $1', [stale.id]);
    const results = await commitConversations(pool, [
      commitOf(stale, await outcomes('stale', ['s1'], () => ['never']), { contactAttributes: { plan: 'gold' }, timers: [{ token: 'tk-stale', dueAt: new Date().toISOString() }] }),
      commitOf(fresh, await outcomes('fresh', ['f1'], () => ['hello']), { contactAttributes: { plan: 'silver' }, timers: [{ token: 'tk-fresh', dueAt: new Date().toISOString() }] }),
    ]);
    expect(results.map((r) => r.committed)).toEqual([false, true]);
    expect(await texts(stale.id)).toEqual([]);
    expect(await texts(fresh.id)).toEqual(['q-f1', 'hello']);
    const side = await pool.query<{ token: string }>(`SELECT token FROM timer WHERE token LIKE 'tk-%'`);
    expect(side.rows.map((r) => r.token)).toEqual(['tk-fresh']);
    const attributes = await pool.query<{ id: string; attributes: unknown }>('SELECT id, attributes FROM contact WHERE id = ANY($1)', [[stale.contact.id, fresh.contact.id]]);
    expect(Object.fromEntries(attributes.rows.map((r) => [r.id, r.attributes]))).toEqual({ [stale.contact.id]: {}, [fresh.contact.id]: { plan: 'silver' } });
    expect((await pendingEvents('ch:stale')).map((e) => e.externalId)).toEqual(['s1']);
  });

  it('writes nothing for a conversation whose events are already processed', async () => {
    const conversation = await open('again');
    const events = await outcomes('again', ['a1'], () => ['hi']);
    const [first] = await commitConversations(pool, [commitOf(conversation, events)]);
    expect(first?.committed).toBe(true);
    const again = events.map((e) => ({ ...e, outgoing: [{ messageId: 'dup', content: {}, payload: {} }] }));
    const [second] = await commitConversations(pool, [commitOf({ ...conversation, revision: first?.revision ?? -1 }, again)]);
    expect(second?.committed).toBe(false);
    const dup = await pool.query(`SELECT 1 FROM message WHERE id = 'dup' UNION ALL SELECT 1 FROM outbox WHERE message_id = 'dup'`);
    expect(dup.rowCount).toBe(0);
    expect(await texts(conversation.id)).toEqual(['q-a1', 'hi']);
  });

  it('group-commits concurrent conversations and loads many conversations\' work in one query', async () => {
    const threads = Array.from({ length: 12 }, (_, i) => `g${i}`);
    const conversations = await Promise.all(threads.map(open));
    for (const thread of threads) await recordInbound(pool, { channelId: 'ch', externalId: `${thread}-m`, conversationKey: `ch:${thread}`, kind: 'message', payload: {} });
    const work = await loadWork(pool, [...threads.map((t) => `ch:${t}`), 'ch:nobody']);
    expect(work.map((w) => w.events.map((e) => e.externalId))).toEqual([...threads.map((t) => [`${t}-m`]), []]);
    expect(work.map((w) => w.conversation?.id ?? null)).toEqual([...conversations.map((c) => c.id), null]);
    const log = new CommitLog(pool);
    const results = await Promise.all(
      conversations.map(async (conversation, i) => {
        const event = work[i]?.events[0];
        return log.commit(
          commitOf(conversation, [{ eventId: event?.id ?? -1, inbound: { externalId: `${threads[i]}-m`, content: { type: 'text', text: 'q' }, raw: {} }, outgoing: [{ messageId: `${threads[i]}-r`, content: { type: 'text', text: 'r' }, payload: {} }], flowVersionId: null, trace: [], failed: null }], { sendNow: true }),
        );
      }),
    );
    expect(results.map((r) => r.claimed.map((c) => c.messageId))).toEqual(threads.map((t) => [`${t}-r`]));
    for (const conversation of conversations) expect(await texts(conversation.id)).toEqual(['q', 'r']);
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

});
