import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultIntentNames } from '@signalbox/ai';
import { apiHarness, fieldsOf, type ApiHarness, type Caller } from './api-testing.ts';
import { intentTrainer } from './intent-models.ts';
import { failure } from './test-failure.ts';

const SPANISH = ['Quiero cambiar la talla de las zapatillas', 'Me quedan pequeñas, ¿puedo cambiarlas por otra talla?', 'Necesito una talla más grande del pantalón', 'Cambio de talla, por favor'];

describe('intents editing (tRPC over the real database)', () => {
  let api: ApiHarness;
  let workspaceId: string;
  const caller = (who: Caller) => api.as(who);

  beforeAll(async () => {
    api = await apiHarness('sbx_web_intents');
    workspaceId = api.workspaceId;
  });
  afterAll(async () => {
    if (api) await intentTrainer().settled(workspaceId);
    await api?.close();
  });

  it('starts a workspace with the default intents, trains them in the background, and shows the status', async () => {
    const viewer = await caller('viewer');
    const first = await viewer.intents.list();
    expect(first.intents.map((i) => i.name).sort()).toEqual([...defaultIntentNames].sort());
    expect(first.intents.every((i) => i.phraseCount > 50 && i.languages.length === 8)).toBe(true);
    expect(first.status.state).toBe('training');
    await intentTrainer().settled(workspaceId);
    const status = await viewer.intents.status();
    expect(status).toMatchObject({ state: 'ready', error: null, intentCount: defaultIntentNames.length });
    expect(status.trainedAt).toBeInstanceOf(Date);
  });

  it('renames an intent in the flow drafts that route on it and names the published flows still on the old name', async () => {
    const editor = await caller('editor');
    const { id: flowId } = await editor.flows.create({ name: 'Sizes' });
    const opened = await editor.flows.open({ id: flowId });
    const start = opened.draft.document.nodes.find((n) => n.type === 'start');
    if (!start) throw new Error('a new flow has a start node');
    const document = {
      ...opened.draft.document,
      nodes: [
        start,
        { id: 'classify', type: 'classify-intent', typeVersion: 1, position: { x: 0, y: 150 }, data: { text: '{{message.text}}', intents: ['returns_refunds'], saveAs: 'intent' } },
        { id: 'refund', type: 'send-message', typeVersion: 1, position: { x: 0, y: 300 }, data: { text: 'Refunds take 5 days' } },
      ],
      edges: [
        { id: 'e1', source: start.id, sourceHandle: 'next', target: 'classify' },
        { id: 'e2', source: 'classify', sourceHandle: 'returns_refunds', target: 'refund' },
      ],
    };
    const saved = await editor.flows.save({ id: flowId, baseRevision: opened.draft.revision, document });
    if (saved.status !== 'saved') throw new Error(`save: ${saved.status}`);
    await editor.versions.publish({ id: flowId, revision: saved.revision });

    const intent = (await editor.intents.list()).intents.find((i) => i.name === 'returns_refunds');
    if (!intent) throw new Error('default intent missing');
    expect(await editor.intents.usedBy({ id: intent.id })).toEqual([{ id: flowId, name: 'Sizes', draft: true, published: true }]);
    const renamed = await editor.intents.update({ id: intent.id, name: 'refunds' });
    expect(renamed.renamed).toEqual({ draftsUpdated: [{ id: flowId, name: 'Sizes' }], publishedOnOldName: [{ id: flowId, name: 'Sizes' }] });
    const after = await editor.flows.open({ id: flowId });
    expect(after.draft.revision).toBe(saved.revision + 1);
    expect(after.draft.document.nodes.find((n) => n.id === 'classify')?.data.intents).toEqual(['refunds']);
    expect(after.draft.document.edges.find((e) => e.id === 'e2')?.sourceHandle).toBe('refunds');
    // Published again, the live version routes on the new name too.
    await editor.versions.publish({ id: flowId, revision: after.draft.revision });
    expect(await editor.intents.usedBy({ id: intent.id })).toEqual([{ id: flowId, name: 'Sizes', draft: true, published: true }]);
    expect((await editor.intents.update({ id: intent.id, name: 'returns_refunds' })).renamed?.publishedOnOldName).toEqual([{ id: flowId, name: 'Sizes' }]);
    await intentTrainer().settled(workspaceId);
  });

  it('names each field at fault and keeps intent names unique', async () => {
    const editor = await caller('editor');
    const bad = await failure(editor.intents.create({ name: 'Size Exchange', title: 't'.repeat(201), lines: ['ok', 'x'.repeat(1001)], language: 'xx' }));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(fieldsOf(bad)).toEqual({
      name: expect.stringContaining('lowercase letters, digits and _'),
      title: 'at most 200 characters',
      'lines.1': 'at most 1,000 characters',
      language: expect.stringContaining('"xx" is not a supported language'),
    });
    expect(fieldsOf(await failure(editor.intents.create({} as never)))).toMatchObject({ name: 'required' });
    const taken = await failure(editor.intents.create({ name: 'complaint', lines: [] }));
    expect(fieldsOf(taken)).toEqual({ name: 'the workspace already has an intent named "complaint"' });
    expect(fieldsOf(await failure(editor.intents.addPhrases({ intentId: 'x', lines: ['  ', ''] })))).toEqual({ lines: 'type or paste at least one phrase' });
  });

  it('creates an intent from pasted lines with their languages detected, renames it keeping them, and the try box finds it', async () => {
    const editor = await caller('editor');
    const created = await editor.intents.create({ name: 'size_exchange', title: 'Size exchange', lines: [...SPANISH, '', '  '], language: null });
    expect(created.phrases.map((p) => p.language)).toEqual(['es', 'es', 'es', 'es']);
    const added = await editor.intents.addPhrases({ intentId: created.id, lines: ['La talla S me queda grande', SPANISH[0] ?? ''], language: 'es' });
    expect([added.added, added.duplicates]).toEqual([1, 1]);

    await intentTrainer().settled(workspaceId);
    expect((await editor.intents.status()).state).toBe('ready');
    const tried = await editor.intents.tryIt({ text: 'Hola, quiero cambiar la talla de mis zapatillas' });
    expect(tried.intent).toBe('size_exchange');
    expect(tried.runnersUp.length).toBeGreaterThan(0);
    expect(fieldsOf(await failure(editor.intents.tryIt({ text: ' ' })))).toEqual({ text: 'type a customer message' });

    const renamed = await editor.intents.update({ id: created.id, name: 'talla' });
    expect([renamed.name, renamed.phraseCount]).toEqual(['talla', 5]);
    await intentTrainer().settled(workspaceId);
    expect((await editor.intents.tryIt({ text: 'Hola, quiero cambiar la talla de mis zapatillas' })).intent).toBe('talla');

    const phrase = renamed.phrases[4];
    if (!phrase) throw new Error('missing phrase');
    expect((await editor.intents.updatePhrase({ id: phrase.id, text: 'La talla L me queda grande', language: 'es' })).phrases[4]?.text).toBe('La talla L me queda grande');
    expect(await editor.intents.removePhrase({ id: phrase.id })).toEqual({ removed: phrase.id });
    expect(await editor.intents.delete({ id: created.id })).toEqual({ deleted: created.id });
    expect((await failure(editor.intents.get({ id: created.id }))).code).toBe('NOT_FOUND');
  });

  it('reports every bad CSV row by row and column and imports nothing; a good file is previewed, then merged', async () => {
    const editor = await caller('editor');
    const before = await editor.intents.exportCsv();
    const bad = await failure(editor.intents.importCsv({ csv: 'text,intent\nQuiero otra talla,size_exchange\n,size_exchange\nWhere is it,order_status\n', mode: 'merge' }));
    expect(bad.message).toContain('nothing was imported');
    expect(fieldsOf(bad)).toEqual({ 'csv.3.text': 'row 3: column "text" is empty' });
    const badName = await failure(editor.intents.importCsv({ csv: 'text,intent\nQuiero otra talla,size_exchange\nWhere is it,Order Status\n', mode: 'merge' }));
    expect(fieldsOf(badName)).toEqual({ 'csv.3.intent': expect.stringContaining('"Order Status": use lowercase letters') });
    expect(fieldsOf(await failure(editor.intents.importCsv({ csv: 'phrase,label\na,b\n' })))).toMatchObject({ 'csv.1.text': expect.stringContaining('no "text" column') });
    expect((await editor.intents.exportCsv()).csv).toBe(before.csv);

    const csv = 'text,intent\nQuiero otra talla,size_exchange\n"Me queda pequeño, ¿lo cambio?",size_exchange\nWhere is my order?,order_status\n';
    const preview = await editor.intents.importCsv({ csv, mode: 'merge', dryRun: true });
    expect(preview.imported).toBe(false);
    expect(preview.plan.intents).toEqual([
      { name: 'size_exchange', isNew: true, added: 2, removed: 0, kept: 0 },
      { name: 'order_status', isNew: false, added: 0, removed: 0, kept: 1 },
    ]);
    expect((await editor.intents.exportCsv()).csv).toBe(before.csv);
    const done = await editor.intents.importCsv({ csv, mode: 'merge' });
    expect(done.imported).toBe(true);
    const exported = await editor.intents.exportCsv();
    expect(exported.csv).toContain('"Me queda pequeño, ¿lo cambio?",size_exchange,es\n');
    expect(exported.rows).toBe(before.rows + 2);
  });

  it('agents and viewers read, export and try, but change nothing; another workspace sees only its own', async () => {
    const list = await (await caller('editor')).intents.list();
    const someIntent = list.intents[0];
    if (!someIntent) throw new Error('no intents');
    for (const who of ['agent', 'viewer'] as const) {
      const reader = await caller(who);
      expect((await reader.intents.get({ id: someIntent.id })).name).toBe(someIntent.name);
      expect((await reader.intents.exportCsv()).rows).toBeGreaterThan(0);
      for (const call of [
        reader.intents.create({ name: 'x', lines: [] }),
        reader.intents.update({ id: someIntent.id, title: 'x' }),
        reader.intents.delete({ id: someIntent.id }),
        reader.intents.addPhrases({ intentId: someIntent.id, lines: ['x'] }),
        reader.intents.importCsv({ csv: 'text,intent\na,b\n' }),
        reader.intents.addDefaults(),
      ]) {
        expect((await failure(call)).code).toBe('FORBIDDEN');
      }
    }
    const other = await caller('other');
    expect((await failure(other.intents.get({ id: someIntent.id }))).code).toBe('NOT_FOUND');
    expect((await failure(other.intents.delete({ id: someIntent.id }))).code).toBe('NOT_FOUND');
    expect((await other.intents.list()).intents.some((i) => i.name === 'size_exchange')).toBe(false);
  });

  it('offers the default intents a workspace lacks and adds them with their phrases, leaving its own as they are', async () => {
    const editor = await caller('editor');
    const before = await editor.intents.list();
    expect(before.missingDefaults).toEqual([]);
    const smallTalk = before.intents.find((i) => i.name === 'small_talk');
    const complaint = before.intents.find((i) => i.name === 'complaint');
    if (!smallTalk || !complaint) throw new Error('the defaults are seeded');
    // A workspace from before small_talk existed, which also retitled one of its intents.
    await editor.intents.delete({ id: smallTalk.id });
    await editor.intents.update({ id: complaint.id, title: 'Unhappy customer' });
    const missing = await editor.intents.list();
    expect(missing.missingDefaults).toEqual([{ name: 'small_talk', title: 'Greeting, thanks or goodbye' }]);

    expect(await editor.intents.addDefaults()).toEqual({ added: ['small_talk'] });
    expect(await editor.intents.addDefaults()).toEqual({ added: [] });
    const after = await editor.intents.list();
    expect(after.missingDefaults).toEqual([]);
    expect(after.intents.find((i) => i.name === 'small_talk')).toMatchObject({ phraseCount: smallTalk.phraseCount, languages: smallTalk.languages });
    expect(after.intents.find((i) => i.name === 'complaint')?.title).toBe('Unhappy customer');
    await intentTrainer().settled(workspaceId);
    const tried = await editor.intents.tryIt({ text: 'thanks, bye!' });
    expect(tried.intent).toBe('small_talk');
  });
});
