import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, type ApiHarness, type Caller } from './api-testing.ts';
import { failure } from './test-failure.ts';

const template = {
  name: 'order_shipped',
  defaultLanguage: 'en',
  variants: [
    { language: 'en', text: 'Order {{orderId}} is on its way.' },
    { language: 'es', text: 'El pedido {{orderId}} está en camino.' },
  ],
  sampleData: { orderId: 'A-77' },
};

describe('templates API', () => {
  let api: ApiHarness;
  const caller = (who: Caller) => api.as(who);

  beforeAll(async () => {
    api = await apiHarness('sbx_web_templates');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('creates, lists, updates and deletes a template; other workspaces never see it', async () => {
    const editor = await caller('editor');
    const created = await editor.templates.create({ template });
    expect(await editor.templates.list()).toEqual([expect.objectContaining({ id: created.id, name: 'order_shipped', languages: ['en', 'es'] })]);
    const updated = await editor.templates.update({ id: created.id, revision: created.revision, template: { ...template, whatsapp: { category: 'utility' } } });
    expect(updated).toMatchObject({ revision: 2, whatsapp: { category: 'utility' } });
    expect(await editor.templates.get({ id: created.id })).toEqual({ template: updated, usedBy: [] });

    const other = await caller('other');
    expect(await other.templates.list()).toEqual([]);
    expect(await failure(other.templates.get({ id: created.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(other.templates.delete({ id: created.id }))).toMatchObject({ code: 'NOT_FOUND' });

    expect(await editor.templates.delete({ id: created.id })).toEqual({ deleted: true });
    expect(await editor.templates.list()).toEqual([]);
  });

  it('names each field an invalid template gets wrong, and refuses a stale save', async () => {
    const editor = await caller('editor');
    const invalid = await failure(editor.templates.create({ template: { ...template, defaultLanguage: 'fr', variants: [{ language: 'en', text: '' }] } }));
    expect(invalid.code).toBe('BAD_REQUEST');
    expect(invalid.cause).toMatchObject({
      fields: [
        { path: 'variants.0.text', message: 'write the message' },
        { path: 'defaultLanguage', message: 'there is no "fr" variant' },
      ],
    });
    const created = await editor.templates.create({ template: { ...template, name: 'welcome' } });
    await editor.templates.update({ id: created.id, revision: 1, template: { ...template, name: 'welcome', description: 'first' } });
    expect(await failure(editor.templates.update({ id: created.id, revision: 1, template: { ...template, name: 'welcome', description: 'second' } }))).toMatchObject({
      code: 'CONFLICT',
    });
    expect((await editor.templates.get({ id: created.id })).template.description).toBe('first');
  });

  it('lets a viewer read templates but not change them', async () => {
    const viewer = await caller('viewer');
    expect((await viewer.templates.list()).map((t) => t.name)).toEqual(['welcome']);
    expect(await failure(viewer.templates.create({ template: { ...template, name: 'mine' } }))).toMatchObject({ code: 'FORBIDDEN' });
  });
});
