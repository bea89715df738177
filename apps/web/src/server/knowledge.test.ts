import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, fieldsOf, type ApiHarness, type Caller } from './api-testing.ts';
import { failure } from './test-failure.ts';

describe('knowledge base editing (tRPC over the real database)', () => {
  let api: ApiHarness;
  const caller = (who: Caller) => api.as(who);

  beforeAll(async () => {
    api = await apiHarness('sbx_web_knowledge');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('names each field at fault: title and body required, a supported language, category length, empty tags', async () => {
    const editor = await caller('editor');
    const missing = await failure(editor.knowledge.create({ title: '  ', body: '', language: 'xx', category: 'c'.repeat(101), tags: ['ok', ' '] }));
    expect(missing.code).toBe('BAD_REQUEST');
    expect(fieldsOf(missing)).toEqual({
      title: 'required',
      body: 'required',
      language: expect.stringContaining('"xx" is not a supported language (en, zh, es'),
      category: 'at most 100 characters',
      'tags.1': 'a tag cannot be empty',
    });
    // A client that leaves fields out hears "required" too, not a type error.
    const absent = await failure(editor.knowledge.create({} as never));
    expect(fieldsOf(absent)).toMatchObject({ title: 'required', body: 'required', language: 'required' });

    const { id } = await editor.knowledge.create({ kind: 'faq', title: '¿Hacen envíos a Canarias?', body: 'Sí, en 5 días.', language: 'ES', category: 'Envíos' });
    const badEdit = await failure(editor.knowledge.update({ id, title: '', language: 'klingon' }));
    expect(Object.keys(fieldsOf(badEdit)).sort()).toEqual(['language', 'title']);
    expect((await editor.knowledge.get({ id })).title).toBe('¿Hacen envíos a Canarias?');
    const gone = await failure(editor.knowledge.update({ id: 'no-such-article', title: 'x' }));
    expect([gone.code, fieldsOf(gone)]).toEqual(['NOT_FOUND', { id: 'no such article in this workspace' }]);
    const badTry = await failure(editor.knowledge.tryQuestion({ question: ' ', threshold: 2 }));
    expect(fieldsOf(badTry)).toEqual({ question: 'type a question', threshold: 'at most 1' });
  });

  it('an editor writes, publishes, unpublishes and deletes; the try panel answers only from published articles, as the node would', async () => {
    const editor = await caller('editor');
    const draft = await editor.knowledge.create({
      kind: 'faq',
      title: '¿Puedo pagar con una tarjeta regalo?',
      body: 'Sí: aceptamos **tarjetas regalo** en todos los pedidos.',
      language: 'es',
      category: 'Pagos',
      tags: ['cheque regalo', 'cheque regalo'],
    });
    expect(draft).toMatchObject({ status: 'draft', publishedAt: null, tags: ['cheque regalo'] });
    await editor.knowledge.create({ kind: 'faq', title: 'Can I pay with a gift card?', body: 'Yes, gift cards work on every order.', language: 'en', category: 'Payments', status: 'published' });

    const question = { question: '¿Se puede pagar con tarjeta regalo?', language: 'es' };
    const beforePublish = await editor.knowledge.tryQuestion(question);
    expect(beforePublish.answer).toBeNull();
    expect(beforePublish.hits).toEqual([]);
    expect(beforePublish.drafts.map((h) => [h.title, h.status])).toEqual([['¿Puedo pagar con una tarjeta regalo?', 'draft']]);

    const published = await editor.knowledge.publish({ id: draft.id });
    expect(published.status).toBe('published');
    expect(published.publishedAt).toBeInstanceOf(Date);
    const afterPublish = await editor.knowledge.tryQuestion(question);
    expect(afterPublish.answer).toMatchObject({ id: draft.id, text: 'Sí: aceptamos tarjetas regalo en todos los pedidos.', reachesThreshold: true });
    expect(afterPublish.answer?.score).toBeGreaterThanOrEqual(afterPublish.threshold);
    expect(afterPublish.drafts).toEqual([]);
    // "bitcoin" is in no article, so no article covers the whole question: at threshold 1 the node takes "No answer".
    const strict = await editor.knowledge.tryQuestion({ question: '¿Se puede pagar con tarjeta regalo o bitcoin?', language: 'es', threshold: 1 });
    expect(strict.answer).toBeNull();
    expect(strict.hits.length).toBeGreaterThan(0);
    expect(strict.hits.every((h) => !h.reachesThreshold)).toBe(true);

    const edited = await editor.knowledge.update({ id: draft.id, body: 'Sí, también en tienda.', category: 'Pagos y tarjetas' });
    expect(edited).toMatchObject({ status: 'published', body: 'Sí, también en tienda.', title: '¿Puedo pagar con una tarjeta regalo?' });
    expect((await editor.knowledge.unpublish({ id: draft.id })).status).toBe('draft');
    expect((await editor.knowledge.tryQuestion(question)).answer).toBeNull();
    // The English twin answers an English question, and, lacking a Spanish answer, a Spanish customer's English one.
    expect((await editor.knowledge.tryQuestion({ question: 'Can I pay with a gift card?', language: 'es' })).answer?.language).toBe('en');

    expect(await editor.knowledge.categories()).toEqual(
      expect.arrayContaining([
        { category: 'Pagos y tarjetas', articles: 1 },
        { category: 'Payments', articles: 1 },
      ]),
    );
    const languages = await editor.knowledge.languages();
    expect(languages.find((l) => l.code === 'es')).toEqual({ code: 'es', name: 'Spanish', articles: 2 });
    expect(languages.find((l) => l.code === 'fr')?.articles).toBe(0);

    await editor.knowledge.delete({ id: draft.id });
    expect((await failure(editor.knowledge.get({ id: draft.id }))).code).toBe('NOT_FOUND');
    expect((await failure(editor.knowledge.delete({ id: draft.id }))).code).toBe('NOT_FOUND');
  });

  it("refuses a save over someone else's newer one, keeping theirs", async () => {
    const editor = await caller('editor');
    const first = await editor.knowledge.create({ kind: 'faq', title: 'Do you ship to Norway?', body: 'Yes, in 4 days.', language: 'en' });
    const theirs = await editor.knowledge.update({ id: first.id, updatedAt: first.updatedAt, body: 'Yes, in 3 days.' });
    const stale = await failure(editor.knowledge.update({ id: first.id, updatedAt: first.updatedAt, body: 'Yes, in 5 days.' }));
    expect(stale.code).toBe('CONFLICT');
    expect((await editor.knowledge.get({ id: first.id })).body).toBe('Yes, in 3 days.');
    expect((await editor.knowledge.update({ id: first.id, updatedAt: theirs.updatedAt, body: 'Yes, in 5 days.' })).body).toBe('Yes, in 5 days.');
    await editor.knowledge.delete({ id: first.id });
  });

  it('lists with filters, a text search over title, tags and body, and pages with a total', async () => {
    const owner = await caller('owner');
    for (let i = 1; i <= 5; i++) {
      await owner.knowledge.create({ title: `Washing guide ${i}`, body: i === 3 ? 'Use **cold** water.' : 'Read the label.', language: i % 2 ? 'en' : 'de', category: 'Care', tags: i === 4 ? ['laundry'] : [], status: i <= 2 ? 'published' : 'draft' });
    }
    const page = await owner.knowledge.list({ category: 'Care', limit: 2 });
    expect([page.total, page.items.length]).toEqual([5, 2]);
    const next = await owner.knowledge.list({ category: 'Care', limit: 2, offset: 4 });
    expect(next.items).toHaveLength(1);
    expect((await owner.knowledge.list({ query: 'COLD' })).items.map((i) => i.title)).toEqual(['Washing guide 3']);
    expect((await owner.knowledge.list({ query: 'laundry' })).items.map((i) => i.title)).toEqual(['Washing guide 4']);
    const germanDrafts = await owner.knowledge.list({ category: 'Care', language: 'de', status: 'draft' });
    expect(germanDrafts.items.map((i) => i.title)).toEqual(['Washing guide 4']);
    const badFilter = await failure(owner.knowledge.list({ language: 'zz', limit: 1000 }));
    expect(Object.keys(fieldsOf(badFilter)).sort()).toEqual(['language', 'limit']);
  });

  it('agents and viewers read and try questions but change nothing; other workspaces see nothing', async () => {
    const editor = await caller('editor');
    const { id } = await editor.knowledge.create({ title: 'Opening hours', body: 'Every day 9–18.', language: 'en', status: 'published' });
    for (const who of ['agent', 'viewer'] as const) {
      const reader = await caller(who);
      expect((await reader.knowledge.get({ id })).title).toBe('Opening hours');
      expect((await reader.knowledge.list({ query: 'Opening' })).total).toBe(1);
      expect((await reader.knowledge.tryQuestion({ question: 'opening hours' })).answer?.id).toBe(id);
      for (const call of [
        reader.knowledge.create({ title: 'x', body: 'y', language: 'en' }),
        reader.knowledge.update({ id, title: 'Closed' }),
        reader.knowledge.publish({ id }),
        reader.knowledge.unpublish({ id }),
        reader.knowledge.delete({ id }),
      ]) {
        expect((await failure(call)).code).toBe('FORBIDDEN');
      }
    }
    expect((await editor.knowledge.get({ id })).title).toBe('Opening hours');

    const outsider = await caller('other');
    expect((await failure(outsider.knowledge.get({ id }))).code).toBe('NOT_FOUND');
    expect((await failure(outsider.knowledge.update({ id, title: 'Mine now' }))).code).toBe('NOT_FOUND');
    expect((await outsider.knowledge.list({})).total).toBe(0);
    expect((await outsider.knowledge.tryQuestion({ question: 'opening hours' })).hits).toEqual([]);
    const anonymous = await api.as(null);
    expect((await failure(anonymous.knowledge.list({}))).code).toBe('UNAUTHORIZED');
  });
});
