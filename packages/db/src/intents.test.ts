import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from './connection.ts';
import { IntentRepository, type SeedIntent } from './intents.ts';
import { migrate } from './migrate.ts';
import { freshDatabase } from './testing.ts';

const SEED: SeedIntent[] = [
  { name: 'order_status', title: 'Order status', phrases: [{ text: 'Where is my order?', language: 'en' }, { text: '¿Dónde está mi pedido?', language: 'es' }] },
  { name: 'complaint', title: 'Complaint', phrases: [{ text: 'This is unacceptable', language: 'en' }] },
];

describe('workspace intents on Postgres', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  let intents: IntentRepository;
  beforeAll(async () => {
    database = await freshDatabase('sbx_intents');
    pool = createPool(database.url, 4);
    await migrate(pool);
    await pool.query(`INSERT INTO workspace (id, name) VALUES ('w1', 'One'), ('w2', 'Two'), ('w3', 'Three'), ('w4', 'Four'), ('w5', 'Five')`);
    intents = new IntentRepository(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('seeds a workspace once: deleting every intent does not bring the defaults back', async () => {
    expect(await intents.modelState('w1')).toBeNull();
    expect(await intents.ensureSeeded('w1', SEED)).toBe(true);
    expect(await intents.ensureSeeded('w1', SEED)).toBe(false);
    const list = await intents.list('w1');
    expect(list.map((i) => [i.name, i.phraseCount, i.languages])).toEqual([
      ['complaint', 1, ['en']],
      ['order_status', 2, ['en', 'es']],
    ]);
    expect(await intents.modelState('w1')).toMatchObject({ revision: 1, status: 'training', trainedRevision: null });
    expect(await intents.list('w2')).toEqual([]);

    for (const intent of list) expect(await intents.delete('w1', intent.id)).toBe(true);
    expect(await intents.ensureSeeded('w1', SEED)).toBe(false);
    expect(await intents.list('w1')).toEqual([]);
  });

  it('rejects bad names and phrases by field, and a name the workspace already has', async () => {
    await intents.ensureSeeded('w2', SEED);
    const bad = await intents.create('w2', { name: 'Size Exchange', colour: 'red' }, [{ text: '  ' }, { text: 'ok', language: 'spanish' }]);
    expect(bad.ok).toBe(false);
    if (bad.ok || bad.reason !== 'invalid') throw new Error('expected problems');
    expect(bad.problems.map((p) => p.field).sort()).toEqual(['colour', 'name']);

    const badPhrases = await intents.create('w2', { name: 'size_exchange' }, [{ text: '  ' }, { text: 'ok', language: 'spanish' }]);
    if (badPhrases.ok || badPhrases.reason !== 'invalid') throw new Error('expected problems');
    expect(Object.fromEntries(badPhrases.problems.map((p) => [p.field, p.message]))).toEqual({
      'phrases.0.text': 'a training phrase cannot be empty',
      'phrases.1.language': 'expected an ISO 639-1 language code such as "es"',
    });

    const taken = await intents.create('w2', { name: 'complaint' });
    expect(taken).toMatchObject({ ok: false, reason: 'name_taken', problems: [{ field: 'name' }] });
  });

  it('creates, renames (keeping phrases), edits phrases and deletes, bumping the revision for what the model sees', async () => {
    await intents.ensureSeeded('w3', SEED);
    const start = (await intents.modelState('w3'))?.revision ?? 0;
    const created = await intents.create('w3', { name: 'size_exchange', title: 'Size exchange' }, [
      { text: 'Quiero cambiar la talla', language: 'ES' },
      { text: 'Quiero cambiar la talla' },
      { text: '¿Puedo cambiarlo por una talla más grande?', language: 'es' },
    ]);
    if (!created.ok) throw new Error(JSON.stringify(created));
    expect(created.intent.phrases.map((p) => [p.text, p.language])).toEqual([
      ['Quiero cambiar la talla', 'es'],
      ['¿Puedo cambiarlo por una talla más grande?', 'es'],
    ]);
    expect((await intents.modelState('w3'))?.revision).toBe(start + 1);

    const retitled = await intents.update('w3', created.intent.id, { title: 'Exchanges' });
    expect(retitled.ok && retitled.intent.title).toBe('Exchanges');
    expect((await intents.modelState('w3'))?.revision).toBe(start + 1);

    const renamed = await intents.update('w3', created.intent.id, { name: 'exchange' });
    expect(renamed.ok && [renamed.intent.name, renamed.intent.phraseCount]).toEqual(['exchange', 2]);
    expect((await intents.modelState('w3'))?.revision).toBe(start + 2);
    expect(await intents.update('w3', created.intent.id, { name: 'complaint' })).toMatchObject({ reason: 'name_taken' });
    expect(await intents.update('w2', created.intent.id, { title: 'stolen' })).toEqual({ ok: false, reason: 'not_found' });

    const more = await intents.addPhrases('w3', created.intent.id, [{ text: 'Me queda pequeño', language: 'es' }, { text: 'Quiero cambiar la talla' }]);
    expect(more.ok && [more.added, more.duplicates, more.intent.phraseCount]).toEqual([1, 1, 3]);
    expect(await intents.addPhrases('w2', created.intent.id, [{ text: 'x' }])).toEqual({ ok: false, reason: 'not_found' });

    const phrase = more.ok ? more.intent.phrases[2] : undefined;
    if (!phrase) throw new Error('no phrase');
    const edited = await intents.updatePhrase('w3', phrase.id, { text: 'Me queda grande', language: null });
    expect(edited.ok && edited.intent.phrases[2]).toEqual({ id: phrase.id, text: 'Me queda grande', language: null });
    expect(await intents.updatePhrase('w3', phrase.id, { text: 'Quiero cambiar la talla' })).toMatchObject({ reason: 'invalid', problems: [{ field: 'text' }] });
    expect(await intents.removePhrase('w2', phrase.id)).toBe(false);
    expect(await intents.removePhrase('w3', phrase.id)).toBe(true);
    expect((await intents.get('w3', created.intent.id))?.phraseCount).toBe(2);

    expect(await intents.delete('w2', created.intent.id)).toBe(false);
    expect(await intents.delete('w3', created.intent.id)).toBe(true);
    expect(await intents.get('w3', created.intent.id)).toBeNull();
  });

  it("renames the intent in the drafts that route on it, and names the published flows still on the old name", async () => {
    await pool.query(`INSERT INTO workspace (id, name) VALUES ('w6', 'Six')`);
    await intents.ensureSeeded('w6', SEED);
    const orderStatus = (await intents.list('w6')).find((i) => i.name === 'order_status');
    if (!orderStatus) throw new Error('seeded intent missing');
    const routing = (intent: string) => ({
      schemaVersion: 1,
      nodes: [
        { id: 'start', type: 'start', data: {} },
        { id: 'classify', type: 'classify-intent', data: { intents: [intent, 'complaint'] } },
        { id: 'status', type: 'send-message', data: { text: 'Looking it up' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'classify' },
        { id: 'e2', source: 'classify', sourceHandle: intent, target: 'status' },
      ],
    });
    await pool.query(`INSERT INTO flow (id, workspace_id, name) VALUES ('live', 'w6', 'Live flow'), ('other', 'w6', 'Other flow'), ('elsewhere', 'w5', 'Another workspace')`);
    await pool.query(`INSERT INTO flow_draft (flow_id, document, revision) VALUES ('live', $1, 3), ('other', $2, 1), ('elsewhere', $1, 1)`, [
      JSON.stringify(routing('order_status')),
      JSON.stringify(routing('returns')),
    ]);
    await pool.query(`INSERT INTO flow_version (id, flow_id, number, document, checksum) VALUES ('v1', 'live', 1, $1, 'x')`, [JSON.stringify(routing('order_status'))]);
    expect(await intents.usedBy('w6', 'order_status')).toEqual([{ id: 'live', name: 'Live flow', draft: true, published: true }]);

    const result = await intents.update('w6', orderStatus.id, { name: 'where_is_my_order' }, null);
    expect(result.ok && result.renamed).toEqual({ draftsUpdated: [{ id: 'live', name: 'Live flow' }], publishedOnOldName: [{ id: 'live', name: 'Live flow' }] });
    const drafts = await pool.query<{ flow_id: string; revision: number; document: ReturnType<typeof routing> }>(`SELECT flow_id, revision, document FROM flow_draft ORDER BY flow_id`);
    const byFlow = new Map(drafts.rows.map((r) => [r.flow_id, r]));
    expect(byFlow.get('live')?.revision).toBe(4);
    expect(byFlow.get('live')?.document.nodes[1]?.data).toEqual({ intents: ['where_is_my_order', 'complaint'] });
    expect(byFlow.get('live')?.document.edges[1]?.sourceHandle).toBe('where_is_my_order');
    // Another workspace's flow with the same intent name, and a flow routing on other intents, stay as they were.
    expect(byFlow.get('elsewhere')?.document).toEqual(routing('order_status'));
    expect(byFlow.get('other')).toMatchObject({ revision: 1, document: routing('returns') });
    expect(await intents.usedBy('w6', 'where_is_my_order')).toEqual([{ id: 'live', name: 'Live flow', draft: true, published: false }]);
    // A title change renames nothing.
    const retitled = await intents.update('w6', orderStatus.id, { title: 'Where is my order' });
    expect(retitled.ok && retitled.renamed).toBeUndefined();
  });

  it('stores a trained model only for the revision it was trained from', async () => {
    await intents.ensureSeeded('w4', SEED);
    const set = await intents.trainingSet('w4');
    expect(set).toEqual({
      revision: 1,
      intents: [
        { name: 'complaint', phrases: ['This is unacceptable'] },
        { name: 'order_status', phrases: ['Where is my order?', '¿Dónde está mi pedido?'] },
      ],
    });
    const [orderStatus] = (await intents.list('w4')).filter((i) => i.name === 'order_status');
    if (!orderStatus) throw new Error('seeded intent missing');
    // A change lands while that run trains: its model is stale and must not be stored as current.
    await intents.addPhrases('w4', orderStatus.id, [{ text: 'Has my parcel shipped?', language: 'en' }]);
    expect(await intents.saveTrained('w4', 1, { model: 'old' }, { intents: 2, phrases: 3 })).toBe(false);
    expect(await intents.saveFailed('w4', 1, 'too late')).toBe(false);
    expect(await intents.storedModel('w4')).toBeNull();

    expect(await intents.saveTrained('w4', 2, { model: 'new' }, { intents: 2, phrases: 4 })).toBe(true);
    expect(await intents.storedModel('w4')).toEqual({ trainedRevision: 2, model: { model: 'new' } });
    expect(await intents.modelState('w4')).toMatchObject({ revision: 2, trainedRevision: 2, status: 'ready', phraseCount: 4, error: null });
    expect((await intents.modelState('w4'))?.trainedAt).toBeInstanceOf(Date);

    await intents.removePhrase('w4', (await intents.get('w4', orderStatus.id))?.phrases[0]?.id ?? 'none');
    expect(await intents.saveFailed('w4', 3, 'intent "x": needs phrases')).toBe(true);
    // A failure keeps the last good model for the runner.
    expect(await intents.modelState('w4')).toMatchObject({ revision: 3, trainedRevision: 2, status: 'failed', error: 'intent "x": needs phrases' });
    expect(await intents.storedModel('w4')).toEqual({ trainedRevision: 2, model: { model: 'new' } });
  });

  it('plans and imports CSV rows: merge adds, replace makes the intents exactly the file’s', async () => {
    await intents.ensureSeeded('w5', SEED);
    const rows = [
      { intent: 'order_status', text: 'Where is my order?', language: null },
      { intent: 'order_status', text: 'Track my parcel', language: 'en' },
      { intent: 'size_exchange', text: 'Quiero otra talla', language: 'es' },
    ];
    const plan = await intents.planImport('w5', rows, 'merge');
    expect(plan).toEqual({
      intents: [
        { name: 'order_status', isNew: false, added: 1, removed: 0, kept: 1 },
        { name: 'size_exchange', isNew: true, added: 1, removed: 0, kept: 0 },
      ],
      deleted: [],
    });
    expect(await intents.importRows('w5', rows, 'merge')).toEqual(plan);
    expect((await intents.list('w5')).map((i) => [i.name, i.phraseCount])).toEqual([
      ['complaint', 1],
      ['order_status', 3],
      ['size_exchange', 1],
    ]);

    const replace = [
      { intent: 'order_status', text: 'Track my parcel', language: 'en' },
      { intent: 'size_exchange', text: 'Me queda pequeño', language: 'es' },
    ];
    expect(await intents.planImport('w5', replace, 'replace')).toEqual({
      intents: [
        { name: 'order_status', isNew: false, added: 0, removed: 2, kept: 1 },
        { name: 'size_exchange', isNew: false, added: 1, removed: 1, kept: 0 },
      ],
      deleted: ['complaint'],
    });
    await intents.importRows('w5', replace, 'replace');
    expect(await intents.rows('w5')).toEqual(replace);
    expect((await intents.list('w5')).find((i) => i.name === 'order_status')?.title).toBe('Order status');
  });
});
