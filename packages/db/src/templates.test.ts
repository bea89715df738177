import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from './connection.ts';
import { migrate } from './migrate.ts';
import { TemplateRepository, WorkspaceTemplates } from './templates.ts';
import { DEMO_TEMPLATES, seedDemoTemplates } from './templates-demo.ts';
import { freshDatabase } from './testing.ts';

const shipped = {
  name: 'order_shipped',
  defaultLanguage: 'en',
  variants: [
    { language: 'en', text: 'Order {{orderId}} is on its way.' },
    { language: 'es', text: 'El pedido {{orderId}} está en camino.' },
  ],
  sampleData: { orderId: 'A-77' },
};

describe('message templates on Postgres', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  let templates: TemplateRepository;
  beforeAll(async () => {
    database = await freshDatabase('sbx_templates');
    pool = createPool(database.url, 2);
    await migrate(pool);
    await pool.query(`INSERT INTO workspace (id, name) VALUES ('w1', 'One'), ('w2', 'Two')`);
    templates = new TemplateRepository(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('stores a template with its variants, and lists it by its languages', async () => {
    const created = await templates.create('w1', shipped);
    if (!created.ok) throw new Error(JSON.stringify(created));
    expect(created.template).toMatchObject({ name: 'order_shipped', revision: 1, whatsapp: null, description: '' });
    expect(await templates.get('w1', created.template.id)).toEqual(created.template);
    expect(await templates.list('w1')).toEqual([expect.objectContaining({ name: 'order_shipped', languages: ['en', 'es'] })]);
    expect(await templates.list('w2')).toEqual([]);
  });

  it('names the field an invalid template gets wrong, and refuses a name taken in the workspace', async () => {
    expect(await templates.create('w1', { ...shipped, name: 'Order shipped', variants: [{ language: 'en', text: '' }] })).toEqual({
      ok: false,
      reason: 'invalid',
      problems: [
        { field: 'name', message: 'lowercase letters, digits and _ only (WhatsApp requires it), such as order_shipped' },
        { field: 'variants.0.text', message: 'write the message' },
      ],
    });
    expect(await templates.create('w1', shipped)).toEqual({ ok: false, reason: 'invalid', problems: [{ field: 'name', message: 'another template has this name' }] });
    expect((await templates.create('w2', shipped)).ok).toBe(true);
  });

  it('refuses an update started from an older revision, returning what is stored now', async () => {
    const created = await templates.create('w1', { ...shipped, name: 'welcome' });
    if (!created.ok) throw new Error('fixture');
    const id = created.template.id;
    const first = await templates.update('w1', id, { ...shipped, name: 'welcome', whatsapp: { category: 'utility' } }, 1);
    expect(first).toMatchObject({ ok: true, template: { revision: 2, whatsapp: { category: 'utility' } } });
    const stale = await templates.update('w1', id, { ...shipped, name: 'welcome', description: 'lost?' }, 1);
    expect(stale).toMatchObject({ ok: false, reason: 'conflict', current: { revision: 2, description: '' } });
    expect(await templates.update('w2', id, shipped)).toEqual({ ok: false, reason: 'not_found' });
    expect(await templates.update('w1', id, { ...shipped, name: 'order_shipped' }, 2)).toEqual({
      ok: false,
      reason: 'invalid',
      problems: [{ field: 'name', message: 'another template has this name' }],
    });
  });

  it("gives a flow only its own workspace's templates, cached for a few seconds", async () => {
    const created = await templates.create('w1', { ...shipped, name: 'cached' });
    if (!created.ok) throw new Error('fixture');
    const id = created.template.id;
    expect(await templates.store('w2').get(id)).toBeNull();
    let now = 0;
    const store = new WorkspaceTemplates(templates, 5_000, () => now).forWorkspace('w1');
    expect((await store.get(id))?.variants[0]?.text).toBe('Order {{orderId}} is on its way.');
    await templates.update('w1', id, { ...shipped, name: 'cached', variants: [{ language: 'en', text: 'Edited' }] });
    expect((await store.get(id))?.variants[0]?.text).toBe('Order {{orderId}} is on its way.');
    now = 5_000;
    expect((await store.get(id))?.variants[0]?.text).toBe('Edited');
    expect(await templates.delete('w1', id)).toBe(true);
    now = 10_000;
    expect(await store.get(id)).toBeNull();
  });

  it('names the flows whose draft or published version sends a template', async () => {
    const created = await templates.create('w1', { ...shipped, name: 'used' });
    if (!created.ok) throw new Error('fixture');
    const id = created.template.id;
    const sending = { nodes: [{ id: 'say', type: 'send-message', data: { template: id } }] };
    await pool.query(`INSERT INTO flow (id, workspace_id, name) VALUES ('f1', 'w1', 'Returns'), ('f2', 'w1', 'Greeting'), ('f3', 'w1', 'Other'), ('f4', 'w2', 'Theirs')`);
    await pool.query(`INSERT INTO flow_draft (flow_id, document) VALUES ('f1', $1), ('f2', '{"nodes": []}'), ('f3', '{"nodes": [{"data": {"text": "x"}}]}'), ('f4', $1)`, [sending]);
    await pool.query(`INSERT INTO flow_version (id, flow_id, number, document, checksum) VALUES ('v1', 'f2', 1, $1, 'c')`, [sending]);
    expect(await templates.usedBy('w1', id)).toEqual([
      { id: 'f2', name: 'Greeting' },
      { id: 'f1', name: 'Returns' },
    ]);
  });

  it('seeds the demo templates once, keeping what the shop already has', async () => {
    await pool.query(`INSERT INTO workspace (id, name) VALUES ('demo', 'Demo')`);
    expect(await seedDemoTemplates(pool, 'demo')).toBe(DEMO_TEMPLATES.length);
    expect(await seedDemoTemplates(pool, 'demo')).toBe(0);
    expect((await templates.list('demo')).find((t) => t.name === 'order_shipped')?.languages).toEqual(['en', 'es', 'de', 'fr', 'pt']);
  });
});
