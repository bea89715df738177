import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The text functions packages/ai hands the repository in production (db imports no ai; a test may).
import { DEFAULT_ANSWER_THRESHOLD, FTS_CONFIGS, knowledgeText, selectAnswer } from '../../ai/src/knowledge/index.ts';
import { createPool, type Pool } from './connection.ts';
import { actualSchema, compareSchemas, expectedSchema, type DbSchema } from './drift.ts';
import { KnowledgeRepository, type KnowledgeArticleInput, type KnowledgeSearchHit } from './knowledge.ts';
import { DEMO_KNOWLEDGE, seedDemoKnowledge } from './knowledge-demo.ts';
import { migrate } from './migrate.ts';
import { PgliteServer } from './pglite-server.ts';
import { freshDatabase } from './testing.ts';

const titles = (hits: readonly KnowledgeSearchHit[]) => hits.map((h) => h.article.title);

const published = (input: Partial<KnowledgeArticleInput> & Pick<KnowledgeArticleInput, 'title' | 'body' | 'language'>): KnowledgeArticleInput => ({
  kind: 'faq',
  status: 'published',
  ...input,
});

async function created(knowledge: KnowledgeRepository, workspaceId: string, input: KnowledgeArticleInput) {
  const result = await knowledge.create(workspaceId, input);
  if (!result.ok) throw new Error(`fixture is invalid: ${JSON.stringify(result)}`);
  return result.article;
}

describe('knowledge base on Postgres', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  let knowledge: KnowledgeRepository;
  beforeAll(async () => {
    database = await freshDatabase('sbx_kb');
    pool = createPool(database.url, 4);
    await migrate(pool);
    await pool.query(`INSERT INTO workspace (id, name) VALUES ('w1', 'One'), ('w2', 'Two'), ('shop', 'Shop'), ('demo', 'Demo')`);
    knowledge = new KnowledgeRepository(pool, knowledgeText);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  describe('editing', () => {
    it('rejects invalid input with a problem per field, named as the form names it', async () => {
      const result = await knowledge.create('w1', { kind: 'blog', title: '  ', language: 'english', tags: ['ok', ''], titel: 'typo' });
      expect(result.ok).toBe(false);
      if (result.ok || result.reason !== 'invalid') throw new Error('expected problems');
      expect(Object.fromEntries(result.problems.map((p) => [p.field, p.message]))).toEqual({
        kind: expect.stringContaining('article'),
        title: 'required',
        body: 'required',
        language: 'expected an ISO 639-1 language code such as "en"',
        'tags.1': 'a tag cannot be empty',
        titel: 'not a field of an article',
      });
      expect((await knowledge.update('w1', 'nope', { status: 'gone' })).ok).toBe(false);
    });

    it('creates a draft, edits it, publishes and unpublishes it, and deletes it, within its workspace only', async () => {
      const article = await created(knowledge, 'w1', { title: 'Gift cards', body: 'Gift cards never expire.', language: 'EN', category: 'Payment', tags: ['voucher', 'voucher'] });
      expect(article).toMatchObject({ kind: 'article', status: 'draft', language: 'en', category: 'Payment', tags: ['voucher'], publishedAt: null });

      const edited = await knowledge.update('w1', article.id, { body: 'Gift cards are valid for five years.' });
      expect(edited.ok && edited.article).toMatchObject({ title: 'Gift cards', body: 'Gift cards are valid for five years.', tags: ['voucher'] });
      expect(await knowledge.update('w2', article.id, { title: 'Stolen' })).toEqual({ ok: false, reason: 'not_found' });

      const live = await knowledge.publish('w1', article.id);
      expect(live?.status).toBe('published');
      expect(live?.publishedAt).toBeInstanceOf(Date);
      expect((await knowledge.unpublish('w1', article.id))?.status).toBe('draft');
      expect(await knowledge.publish('w2', article.id)).toBeNull();

      expect(await knowledge.get('w2', article.id)).toBeNull();
      expect(await knowledge.delete('w2', article.id)).toBe(false);
      expect(await knowledge.delete('w1', article.id)).toBe(true);
      expect(await knowledge.get('w1', article.id)).toBeNull();
    });

    it('moves the edit token (updatedAt) forward on every write, even when the clock says otherwise', async () => {
      const article = await created(knowledge, 'w1', { title: 'Clock', body: 'Tick.', language: 'en' });
      // As if two saves fell in one millisecond, or the database's clock stepped back: the stored time is ahead of now().
      const { rows } = await pool.query<{ updated_at: Date }>(`UPDATE knowledge_article SET updated_at = now() + interval '1 hour' WHERE id = $1 RETURNING updated_at`, [article.id]);
      const ahead = rows[0]!.updated_at;
      const saved = await knowledge.update('w1', article.id, { body: 'Tock.' }, { expectedUpdatedAt: ahead });
      if (!saved.ok) throw new Error('the save with the current token must pass');
      expect(saved.article.updatedAt.getTime()).toBeGreaterThan(ahead.getTime());
      expect(await knowledge.update('w1', article.id, { body: 'Stale.' }, { expectedUpdatedAt: ahead })).toMatchObject({ ok: false, reason: 'conflict' });
      const published = await knowledge.publish('w1', article.id);
      expect(published!.updatedAt.getTime()).toBeGreaterThan(saved.article.updatedAt.getTime());
      await knowledge.delete('w1', article.id);
    });

    it('lists a page at a time with filters, and searches titles literally', async () => {
      for (const [title, language, status] of [
        ['100% cotton shirts', 'en', 'published'],
        ['Cotton care', 'en', 'draft'],
        ['Camisas de algodón', 'es', 'published'],
        ['Shipping_times', 'en', 'published'],
      ] as const) {
        await created(knowledge, 'w2', { title, body: 'Text.', language, status, category: 'Products' });
      }
      const all = await knowledge.list('w2', { limit: 2 });
      expect(all.ok && all.total).toBe(4);
      expect(all.ok && all.items).toHaveLength(2);
      expect(all.ok && all.items[0]).not.toHaveProperty('body');
      const cotton = await knowledge.list('w2', { title: 'COTTON' });
      expect(cotton.ok && cotton.items.map((i) => i.title).sort()).toEqual(['100% cotton shirts', 'Cotton care']);
      const percent = await knowledge.list('w2', { title: '%' });
      expect(percent.ok && percent.items.map((i) => i.title)).toEqual(['100% cotton shirts']);
      const underscore = await knowledge.list('w2', { title: '_' });
      expect(underscore.ok && underscore.items.map((i) => i.title)).toEqual(['Shipping_times']);
      const spanishPublished = await knowledge.list('w2', { language: 'es', status: 'published' });
      expect(spanishPublished.ok && spanishPublished.items.map((i) => i.title)).toEqual(['Camisas de algodón']);
      expect(await knowledge.list('w2', { limit: 0 })).toMatchObject({ ok: false, problems: [{ field: 'limit' }] });
      expect(await knowledge.categories('w2')).toEqual([{ category: 'Products', articles: 4 }]);
      expect(await knowledge.languages('w2')).toEqual([
        { language: 'en', articles: 3 },
        { language: 'es', articles: 1 },
      ]);
    });

    it('finds articles by a word of their title, tags or body for the list\'s search box, literally', async () => {
      await created(knowledge, 'w1', { title: 'Gift wrapping', body: 'We wrap any order in **recycled** paper.', language: 'en', tags: ['present'] });
      await created(knowledge, 'w1', { title: 'Paper invoices', body: 'Ask for one by mail: 50% off postage.', language: 'en' });
      const search = async (text: string) => {
        const found = await knowledge.list('w1', { text });
        return found.ok ? found.items.map((i) => i.title).sort() : found.problems;
      };
      expect(await search('RECYCLED')).toEqual(['Gift wrapping']);
      expect(await search('presen')).toEqual(['Gift wrapping']);
      expect(await search('paper')).toEqual(['Gift wrapping', 'Paper invoices']);
      expect(await search('50%')).toEqual(['Paper invoices']);
      expect(await search('5_%')).toEqual([]);
    });
  });

  describe('search', () => {
    beforeAll(async () => {
      const fixtures: KnowledgeArticleInput[] = [
        published({ kind: 'article', title: 'Returns and refunds', body: 'You can send items back within 30 days. Refunds go to your card.', language: 'en' }),
        published({ title: 'How long does shipping take?', body: 'Standard delivery takes 3 to 5 working days.', language: 'en' }),
        published({ title: 'Which payment methods do you accept?', body: 'Credit cards, debit cards and PayPal.', language: 'en' }),
        published({ title: 'Política de devoluciones', body: 'Aceptamos devoluciones durante 30 días.', language: 'es' }),
        published({ title: '退货政策是什么？', body: '收到商品后三十天内可以申请退货，退款会退回原支付方式。', language: 'zh' }),
        published({ title: '配送需要多长时间？', body: '标准配送需要三到五个工作日。', language: 'zh' }),
        published({ title: 'Secret sale', body: 'Next week everything returns at half price.', language: 'en', status: 'draft' }),
      ];
      for (const input of fixtures) await created(knowledge, 'shop', input);
      // Another shop whose articles say the same: they must never show up in the first one's answers.
      await created(knowledge, 'w1', published({ title: 'Returns and refunds (other shop)', body: 'Returns within 14 days.', language: 'en' }));
      await created(knowledge, 'w1', published({ title: '退货政策（其他店）', body: '七天内退货。', language: 'zh' }));
    });

    it('stems in the article\'s language: "return" finds "Returns", "devolución" finds "devoluciones"', async () => {
      expect(titles(await knowledge.search('shop', { text: 'How do I return an item?', language: 'en' }))[0]).toBe('Returns and refunds');
      expect(titles(await knowledge.search('shop', { text: '¿Puedo hacer una devolución?', language: 'es' }))[0]).toBe('Política de devoluciones');
      // Typed without the accent, as customers often do.
      expect(titles(await knowledge.search('shop', { text: 'politica de devolucion', language: 'es' }))[0]).toBe('Política de devoluciones');
    });

    it('finds a Chinese FAQ through character bigrams', async () => {
      const hits = await knowledge.search('shop', { text: '我想退货，怎么办？', language: 'zh' });
      expect(titles(hits)[0]).toBe('退货政策是什么？');
      expect(titles(await knowledge.search('shop', { text: '配送要几天', language: 'zh' }))[0]).toBe('配送需要多长时间？');
    });

    it('never finds drafts unless asked, nor another workspace\'s articles', async () => {
      const question = { text: 'returns refunds half price sale 退货', language: 'en' };
      const live = titles(await knowledge.search('shop', { ...question, limit: 20 }));
      expect(live).not.toContain('Secret sale');
      expect(live.some((t) => t.includes('other shop') || t.includes('其他店'))).toBe(false);
      expect(titles(await knowledge.search('shop', { ...question, limit: 20, publishedOnly: false }))).toContain('Secret sale');
      expect(titles(await knowledge.search('w2', { ...question, limit: 20 }))).toEqual([]);
    });

    it("prefers the customer's language and falls back to another when it has no answer", async () => {
      // No Spanish article mentions PayPal: the English one answers.
      const paypal = await knowledge.search('shop', { text: '¿Puedo pagar con PayPal?', language: 'es' });
      expect(titles(paypal)[0]).toBe('Which payment methods do you accept?');
      // The same FAQ in both languages matches equally: the customer's language comes first.
      await created(knowledge, 'shop', published({ title: 'Can I pay in instalments?', body: 'Yes, with Klarna.', language: 'en' }));
      await created(knowledge, 'shop', published({ title: '¿Puedo pagar a plazos?', body: 'Sí, con Klarna.', language: 'es' }));
      expect(titles(await knowledge.search('shop', { text: 'Klarna', language: 'es-ES' }))).toEqual(['¿Puedo pagar a plazos?', 'Can I pay in instalments?']);
      expect(titles(await knowledge.search('shop', { text: 'Klarna', language: 'en' }))).toEqual(['Can I pay in instalments?', '¿Puedo pagar a plazos?']);
    });

    it('scores 0..1 so one threshold separates answers from questions the shop cannot answer', async () => {
      const answered = await knowledge.search('shop', { text: 'Hi! How long does shipping take? Thanks', language: 'en' });
      expect(selectAnswer(answered, { language: 'en' })?.article.title).toBe('How long does shipping take?');
      for (const question of ['What is the weather in Boston tomorrow?', 'Who won the football match yesterday?', '今天天气怎么样']) {
        const hits = await knowledge.search('shop', { text: question, language: 'en' });
        for (const h of hits) expect(h.normalizedScore).toBeLessThan(DEFAULT_ANSWER_THRESHOLD);
      }
      for (const h of answered) {
        expect(h.normalizedScore).toBeGreaterThan(0);
        expect(h.normalizedScore).toBeLessThanOrEqual(1);
        expect(h.score).toBeGreaterThanOrEqual(0);
      }
    });

    it('orders with each query mode and finds nothing for a question with no searchable word', async () => {
      expect(titles(await knowledge.search('shop', { text: 'payment methods', mode: 'plain' }))).toEqual(['Which payment methods do you accept?']);
      expect(titles(await knowledge.search('shop', { text: '"payment methods" -crypto', mode: 'websearch' }))).toEqual(['Which payment methods do you accept?']);
      expect(await knowledge.search('shop', { text: '?!? …' })).toEqual([]);
      expect(await knowledge.search('shop', { text: 'the and of' })).toEqual([]);
    });

    it('re-indexes an article when its text changes', async () => {
      const article = await created(knowledge, 'shop', published({ title: 'Gift wrapping', body: 'We wrap gifts for $5.', language: 'en' }));
      expect(titles(await knowledge.search('shop', { text: 'monogram embroidery' }))).not.toContain('Gift wrapping');
      await knowledge.update('shop', article.id, { tags: ['monogram'], body: 'We wrap gifts and add embroidery for $5.' });
      expect(titles(await knowledge.search('shop', { text: 'monogram embroidery' }))[0]).toBe('Gift wrapping');
      expect(await knowledge.reindex('shop')).toBeGreaterThan(0);
      expect(titles(await knowledge.search('shop', { text: 'monogram embroidery' }))[0]).toBe('Gift wrapping');
    });
  });

  describe('embeddings', () => {
    it('ranks published articles by cosine similarity, within the workspace and model, and forgets them when the text changes', async () => {
      const a = await created(knowledge, 'w1', published({ title: 'Vector A', body: 'a', language: 'en' }));
      const b = await created(knowledge, 'w1', published({ title: 'Vector B', body: 'b', language: 'es' }));
      const draft = await created(knowledge, 'w1', { title: 'Vector draft', body: 'c', language: 'en' });
      const other = await created(knowledge, 'w2', published({ title: 'Vector other', body: 'd', language: 'en' }));
      expect(await knowledge.putEmbedding('w1', a.id, { model: 'm', vector: [1, 0, 0] })).toEqual({ ok: true, stored: true });
      await knowledge.putEmbedding('w1', b.id, { model: 'm', vector: [0.6, 0.8, 0] });
      await knowledge.putEmbedding('w1', draft.id, { model: 'm', vector: [0.9, 0.1, 0] });
      await knowledge.putEmbedding('w2', other.id, { model: 'm', vector: [1, 0, 0] });
      await knowledge.putEmbedding('w1', b.id, { model: 'other-model', vector: [1, 0] });
      expect(await knowledge.putEmbedding('w2', a.id, { model: 'm', vector: [1, 0, 0] })).toEqual({ ok: true, stored: false });
      expect(await knowledge.putEmbedding('w1', a.id, { model: '', vector: [Number.NaN] })).toMatchObject({
        ok: false,
        problems: [{ field: 'model' }, { field: 'vector.0' }],
      });

      const hits = await knowledge.searchByEmbedding('w1', { vector: [0.8, 0.6, 0], model: 'm' });
      expect(titles(hits)).toEqual(['Vector B', 'Vector A']);
      expect(hits[0]?.score).toBeCloseTo(0.96, 5);
      expect(titles(await knowledge.searchByEmbedding('w1', { vector: [0.8, 0.6, 0], model: 'm', language: 'en' }))).toEqual(['Vector A', 'Vector B']);
      expect(titles(await knowledge.searchByEmbedding('w1', { vector: [0.8, 0.6, 0], model: 'm', publishedOnly: false }))).toContain('Vector draft');

      expect((await knowledge.articlesWithoutEmbedding('w1', 'm')).map((x) => x.title)).not.toContain('Vector A');
      await knowledge.update('w1', a.id, { body: 'a, rewritten' });
      expect((await knowledge.articlesWithoutEmbedding('w1', 'm')).map((x) => x.title)).toContain('Vector A');
      await knowledge.update('w1', b.id, { category: 'Only the category changed' });
      expect(titles(await knowledge.searchByEmbedding('w1', { vector: [0.8, 0.6, 0], model: 'm' }))).toEqual(['Vector B']);
    });
  });

  describe('schema', () => {
    it('has every text-search configuration packages/ai maps a language to', async () => {
      const { rows } = await pool.query<{ cfgname: string }>('SELECT cfgname FROM pg_ts_config');
      const present = new Set(rows.map((r) => r.cfgname));
      expect(Object.values(FTS_CONFIGS).filter((name) => !present.has(name))).toEqual([]);
    });

    it('deletes a workspace\'s articles and their embeddings with the workspace', async () => {
      await pool.query(`INSERT INTO workspace (id, name) VALUES ('gone', 'Gone')`);
      const article = await created(knowledge, 'gone', published({ title: 'Bye', body: 'Bye.', language: 'en' }));
      await knowledge.putEmbedding('gone', article.id, { model: 'm', vector: [1] });
      await pool.query(`DELETE FROM workspace WHERE id = 'gone'`);
      const { rows } = await pool.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM knowledge_article WHERE workspace_id = 'gone') + (SELECT count(*) FROM knowledge_embedding WHERE article_id = $1) AS n`,
        [article.id],
      );
      expect(Number(rows[0]?.n)).toBe(0);
    });
  });

  describe('demo content', () => {
    it('seeds once, every entry valid, and answers common questions in English and Spanish', async () => {
      expect(await seedDemoKnowledge(pool, 'demo', knowledgeText)).toBe(DEMO_KNOWLEDGE.length);
      expect(await seedDemoKnowledge(pool, 'demo', knowledgeText)).toBe(0);
      const answer = async (text: string, language: string) => selectAnswer(await knowledge.search('demo', { text, language }), { language })?.article.title ?? null;
      expect(await answer('How do I reset my password?', 'en')).toBe('How do I reset my password?');
      expect(await answer('my promo code is not working', 'en')).toBe("My promo code doesn't work");
      expect(await answer('¿Cuánto tarda el envío?', 'es')).toBe('¿Cuánto cuesta el envío y cuánto tarda?');
      expect(await answer('olvidé mi contraseña', 'es')).toBe('¿Cómo restablezco mi contraseña?');
      // The knowledge page's "Try a question" suggests it: it must find the returns policy.
      expect(await answer('¿Cómo devuelvo un pedido?', 'es')).toBe('¿Cuál es la política de devoluciones?');
    });
  });
});

describe('knowledge base on the embedded PGlite', () => {
  // In memory and served as the embedded default serves it (a data folder only adds an initdb on disk).
  let db: PGlite;
  let server: PgliteServer;
  let pool: Pool;
  beforeAll(async () => {
    db = await PGlite.create();
    server = new PgliteServer(db);
    pool = createPool(`postgresql://postgres@127.0.0.1:${await server.listen(0)}/postgres?sslmode=disable`, 2);
    await migrate(pool);
    await pool.query(`INSERT INTO workspace (id, name) VALUES ('demo', 'Demo')`);
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await server?.close();
    await db?.close();
  });

  it('migrates to the tables schema.prisma declares, and searches as Postgres does', async () => {
    const schema = readFileSync(new URL('../../../prisma/schema.prisma', import.meta.url), 'utf8');
    const ours = (s: DbSchema): DbSchema => ({ tables: s.tables.filter((t) => t.name.startsWith('knowledge_')) });
    expect(compareSchemas(ours(expectedSchema(schema)), ours(await actualSchema(pool)))).toEqual([]);

    const knowledge = new KnowledgeRepository(pool, knowledgeText);
    await seedDemoKnowledge(pool, 'demo', knowledgeText);
    await created(knowledge, 'demo', published({ title: '退货政策是什么？', body: '收到商品后三十天内可以申请退货。', language: 'zh' }));
    expect(titles(await knowledge.search('demo', { text: 'How do I reset my password?', language: 'en' }))[0]).toBe('How do I reset my password?');
    expect(titles(await knowledge.search('demo', { text: 'política de devolución', language: 'es' }))[0]).toBe('¿Cuál es la política de devoluciones?');
    expect(titles(await knowledge.search('demo', { text: '怎么退货', language: 'zh' }))[0]).toBe('退货政策是什么？');
  });
});
