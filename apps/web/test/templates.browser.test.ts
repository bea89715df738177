import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import { createPool, FlowRepository, TemplateRepository } from '@signalbox/db';
import type { FlowDocument } from '@signalbox/nodes';
import { startWebApp, type WebApp } from './harness.ts';

const WAIT = { timeout: 30_000 };
const node = (id: string, type: string, y: number, data: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y }, data });

/** Detects the customer's language and answers with a template, which the test makes in the browser first. */
const flowSending = (templateId: string): FlowDocument => ({
  schemaVersion: 1,
  nodes: [node('start', 'start', 0), node('detect', 'detect-language', 120, { minConfidence: 0.3 }), node('reply', 'send-message', 240, { template: templateId })],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'detect' },
    { id: 'e2', source: 'detect', sourceHandle: 'next', target: 'reply' },
    { id: 'e3', source: 'detect', sourceHandle: 'unknown', target: 'reply' },
  ],
  variables: [{ name: 'orderId', default: 'A-77' }],
});

describe('template editor', () => {
  let app: WebApp;

  beforeAll(async () => {
    app = await startWebApp();
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
  });

  test('an editor writes a template in two languages with a live preview, and a flow answers a Spanish question with the Spanish variant', async () => {
    const page = await app.signedIn('editor', '/templates');
    onTestFailed(async () => {
      await app.screenshot(page, 'failed-templates');
      console.log(app.log().slice(-3000));
    });
    await page.getByText('No templates yet').waitFor(WAIT);
    await app.screenshot(page, 'templates-01-empty');
    await page.getByRole('button', { name: 'New template' }).first().click();

    await page.getByLabel('Name', { exact: true }).fill('Order Update');
    await page.getByLabel('Message in English').fill('Hi {{contact.name}}, order {{orderId}} ships today.');
    const preview = page.getByTestId('template-preview');
    await expect.poll(() => preview.textContent(), WAIT).toBe('Hi , order  ships today.');
    await page.getByLabel('contact.name', { exact: true }).fill('Ada');
    await page.getByLabel('orderId', { exact: true }).fill('A-77');
    await expect.poll(() => preview.textContent(), WAIT).toBe('Hi Ada, order A-77 ships today.');

    await page.getByLabel('Add a language').selectOption('es');
    await page.getByLabel('Message in Spanish').fill('Hola {{contact.name}}, tu pedido {{orderId}} sale hoy.');
    await expect.poll(() => preview.textContent(), WAIT).toBe('Hola Ada, tu pedido A-77 sale hoy.');

    // The name breaks WhatsApp's rule: the error shows at the field, and nothing typed is lost.
    await page.getByRole('button', { name: 'Create template' }).click();
    await expect.poll(() => page.getByText('lowercase letters, digits and _ only').isVisible(), WAIT).toBe(true);
    expect(await page.getByLabel('Message in Spanish').inputValue()).toBe('Hola {{contact.name}}, tu pedido {{orderId}} sale hoy.');
    await page.getByLabel('Name', { exact: true }).fill('order_update');
    await page.getByLabel(/Registered and approved/).check();
    await expect.poll(() => page.getByText('Hola {{1}}, tu pedido {{2}} sale hoy.').isVisible(), WAIT).toBe(true);
    await app.screenshot(page, 'templates-02-editor');
    await page.getByRole('button', { name: 'Create template' }).click();
    await expect.poll(() => page.getByText('All changes saved').isVisible(), WAIT).toBe(true);

    const pool = createPool(app.databaseUrl, 1);
    const [saved] = await new TemplateRepository(pool).list(app.workspaceId);
    await pool.end();
    expect(saved).toMatchObject({ name: 'order_update', languages: ['en', 'es'], whatsapp: { category: 'utility' } });

    // After a reload the template is listed and opens as saved.
    await page.reload();
    await expect.poll(() => page.getByLabel('Message in English').inputValue(), WAIT).toBe('Hi {{contact.name}}, order {{orderId}} ships today.');
    await page.getByRole('tab', { name: 'Spanish' }).click();
    await expect.poll(() => preview.textContent(), WAIT).toBe('Hola Ada, tu pedido A-77 sale hoy.');

    // A flow sends it: the node's form names the template, and the preview chat answers in Spanish.
    const flowId = await new FlowRepository(app.prisma).create({ workspaceId: app.workspaceId, name: 'Shipping update', document: flowSending(saved!.id) });
    await page.goto(`/flows/${flowId}`);
    await page.getByText('Sends template order_update').click();
    await expect.poll(() => page.getByLabel('Template', { exact: true }).locator('option:checked').textContent(), WAIT).toBe('order_update');
    await expect.poll(() => page.getByText('English, Spanish').isVisible(), WAIT).toBe(true);
    // The node's own message and buttons are not used with a template, so the form does not offer them.
    expect(await page.getByLabel('Message', { exact: true }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByLabel('Message as the customer').fill('Hola, ¿cuándo llega mi pedido? Lo compré la semana pasada');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const botLines = () => page.getByLabel('Preview conversation').locator('[data-from="bot"]').allTextContents();
    await expect.poll(botLines, WAIT).toEqual(['Hola Preview customer, tu pedido A-77 sale hoy.']);
    await app.screenshot(page, 'templates-03-flow-preview');
    expect(app.log()).not.toMatch(/Error:/);
  }, 120_000);

  test('a viewer reads templates but cannot change them', async () => {
    const page = await app.signedIn('viewer', '/templates');
    onTestFailed(() => app.screenshot(page, 'failed-templates-viewer'));
    await expect.poll(() => page.getByLabel('Message in English').inputValue(), WAIT).toBe('Hi {{contact.name}}, order {{orderId}} ships today.');
    expect(await page.getByLabel('Message in English').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByRole('button', { name: 'New template' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Save changes|Delete/ }).count()).toBe(0);
  }, 60_000);
});
