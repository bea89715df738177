import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import { defaultIntentNames } from '@signalbox/ai';
import { FlowRepository } from '@signalbox/db';
import type { FlowDocument } from '@signalbox/nodes';
import { startWebApp, type WebApp } from './harness.ts';

const WAIT = { timeout: 30_000 };
const node = (id: string, type: string, [x, y]: [number, number], data: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x, y }, data });

/** Routes on an intent the workspace does not have until the editor creates it in the browser. */
const flow: FlowDocument = {
  schemaVersion: 1,
  nodes: [
    node('start', 'start', [0, 0]),
    node('intent', 'classify-intent', [0, 160], { intents: ['size_exchange', 'order_status'] }),
    node('exchange', 'send-message', [-300, 340], { text: 'Te ayudo con el cambio de talla' }),
    node('status', 'send-message', [0, 340], { text: 'Your order is on its way' }),
    node('unsure', 'send-message', [300, 340], { text: 'Could you say that differently?' }),
  ],
  edges: [
    ['start', 'next', 'intent'],
    ['intent', 'size_exchange', 'exchange'],
    ['intent', 'order_status', 'status'],
    ['intent', 'not_sure', 'unsure'],
  ].map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source: source!, sourceHandle: sourceHandle!, target: target! })),
  variables: [],
};

const PHRASES = [
  'Quiero cambiar la talla de las zapatillas',
  'Me quedan pequeñas, ¿puedo cambiarlas por otra talla?',
  'Necesito una talla más grande del pantalón',
  '¿Cómo cambio una camiseta por otra talla?',
  'La talla M me queda grande, quiero la S',
  'Quisiera un cambio de talla, por favor',
];

describe('intents in the browser', () => {
  let app: WebApp;
  let flowId = '';

  beforeAll(async () => {
    app = await startWebApp();
    flowId = await new FlowRepository(app.prisma).create({ workspaceId: app.workspaceId, name: 'Exchanges', document: flow });
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
  });

  test('an editor adds a Spanish intent, tries it, sees a bad CSV row, and the preview routes on it', async () => {
    const page = await app.signedIn('editor', '/intents');
    onTestFailed(() => app.screenshot(page, 'failed-intents'));
    const status = page.getByTestId('training-status');
    const intents = page.getByRole('navigation', { name: 'Intents' });

    // A new workspace starts with the default intents, trained in the background.
    await expect.poll(() => intents.getByRole('button').count(), WAIT).toBe(defaultIntentNames.length);
    await expect.poll(() => status.textContent(), WAIT).toMatch(/Ready.*trained \d+ s ago/);
    await app.screenshot(page, 'intents-01-defaults');

    await page.getByRole('button', { name: 'New intent' }).click();
    await page.getByLabel('Name').fill('Size Exchange');
    await page.getByLabel('Title').fill('Size exchange');
    await page.getByLabel('Training phrases, one a line').fill(PHRASES.join('\n'));
    await page.getByRole('button', { name: 'Create intent' }).click();
    // A bad name is named under its field, and nothing typed is lost.
    await expect.poll(() => page.locator('#intent-name-error').textContent(), WAIT).toContain('lowercase letters, digits and _');
    expect(await page.getByLabel('Training phrases, one a line').inputValue()).toBe(PHRASES.join('\n'));
    await page.getByLabel('Name').fill('size_exchange');
    await page.getByRole('button', { name: 'Create intent' }).click();

    await expect.poll(() => page.getByTestId('phrase').count(), WAIT).toBe(PHRASES.length);
    expect(await page.getByTestId('phrase').first().textContent()).toContain('es');
    await expect.poll(() => status.textContent(), WAIT).toMatch(/Ready/);
    await app.screenshot(page, 'intents-02-created');

    await page.getByLabel('Customer message').fill('Hola, quiero cambiar mis zapatillas por una talla más');
    await page.getByRole('button', { name: 'Classify' }).click();
    await expect.poll(() => page.getByTestId('try-intent-result').textContent(), WAIT).toMatch(/^size_exchange\d+% sure/);
    await app.screenshot(page, 'intents-03-tried');

    // Add more phrases at once, by pasting lines.
    await page.getByLabel('Add phrases, one a line (paste many at once)').fill('Me queda grande\n\nQuiero otra talla');
    await page.getByRole('button', { name: 'Add phrases' }).click();
    await expect.poll(() => page.getByTestId('phrase').count(), WAIT).toBe(PHRASES.length + 2);

    await page.getByRole('button', { name: 'Import CSV' }).click();
    await page.getByLabel('…or paste CSV').fill('text,intent\nQuiero cambiar el color,size_exchange\n,order_status\n¿Dónde está mi paquete?,order_status\n');
    await page.getByRole('button', { name: 'Check file' }).click();
    await expect.poll(() => page.getByTestId('import-error').allTextContents(), WAIT).toEqual(['Row 3, textcolumn "text" is empty']);
    expect(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await app.screenshot(page, 'intents-04-csv-error');

    await page.getByLabel('…or paste CSV').fill('text,intent\nQuiero cambiar el color,size_exchange\n¿Dónde está mi paquete?,order_status\n');
    await page.getByRole('button', { name: 'Check file' }).click();
    await expect.poll(() => page.getByTestId('import-plan').textContent(), WAIT).toMatch(/size_exchange\s*\+1.*order_status\s*\+1/);
    await app.screenshot(page, 'intents-05-csv-plan');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Imported 2 rows' }).count(), WAIT).toBe(1);
    await expect.poll(() => status.textContent(), WAIT).toMatch(/Ready/);

    // The flow's classify-intent node suggests the workspace's intents, and the preview routes on the new one.
    await page.goto(`/flows/${flowId}`);
    await page.getByTestId('node-intent').locator('span.font-semibold').first().click();
    await expect.poll(() => page.locator('datalist option').evaluateAll((options) => options.map((o) => o.getAttribute('value'))), WAIT).toContain('size_exchange');
    await app.screenshot(page, 'intents-06-inspector');
    await page.getByRole('tab', { name: 'Preview' }).click();
    const conversation = page.getByLabel('Preview conversation');
    await page.getByLabel('Message as the customer').fill('Buenas, necesito cambiar la talla de mi pantalón');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => conversation.locator('[data-from="bot"]').allTextContents(), WAIT).toEqual(['Te ayudo con el cambio de talla']);
    await app.screenshot(page, 'intents-07-preview');

    // Renaming the intent renames it in the flow's draft as well (said before and after saving): the preview
    // goes on routing on it under its new name.
    await page.goto('/intents');
    await intents.getByRole('button', { name: /size_exchange/ }).click();
    await page.getByRole('button', { name: 'Rename / edit' }).click();
    await page.getByLabel('Name').fill('talla');
    await expect.poll(() => page.getByLabel('Flows routing on this intent').textContent(), WAIT).toBe('Saving renames it in the drafts of Exchanges.');
    await app.screenshot(page, 'intents-08-rename-form');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Renamed “size_exchange” to “talla” in the drafts of Exchanges.' }).count(), WAIT).toBe(1);
    await expect.poll(() => intents.getByRole('button', { name: /^talla/ }).count(), WAIT).toBe(1);
    await expect.poll(() => status.textContent(), WAIT).toMatch(/Ready/);
    await app.screenshot(page, 'intents-09-renamed');
    await page.goto(`/flows/${flowId}`);
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByLabel('Message as the customer').fill('Hola, quiero cambiar la talla de mis zapatillas');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => page.getByLabel('Preview conversation').locator('[data-from="bot"]').allTextContents(), WAIT).toEqual(['Te ayudo con el cambio de talla']);

    // A workspace without a default intent (one from before small_talk existed) is offered it, and gets it.
    await app.prisma.intent.deleteMany({ where: { workspaceId: app.workspaceId, name: 'small_talk' } });
    await page.goto('/intents');
    const offer = page.getByTestId('missing-defaults');
    await expect.poll(() => offer.textContent(), WAIT).toContain('small_talk (Greeting, thanks or goodbye)');
    await app.screenshot(page, 'intents-10-missing-default');
    await offer.getByRole('button', { name: 'Add it' }).click();
    await expect.poll(() => intents.getByRole('button', { name: /^small_talk/ }).count(), WAIT).toBe(1);
    expect(await offer.count()).toBe(0);
    expect(app.log()).not.toMatch(/Error:/);
  }, 240_000);

  test('a viewer sees the intents and can try them but not change them', async () => {
    const page = await app.signedIn('viewer', '/intents');
    onTestFailed(() => app.screenshot(page, 'failed-intents-viewer'));
    // The defaults and the one the editor created in the test before.
    await expect.poll(() => page.getByRole('navigation', { name: 'Intents' }).getByRole('button').count(), WAIT).toBe(defaultIntentNames.length + 1);
    expect(await page.getByRole('button', { name: 'New intent' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Import CSV' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add phrases' }).count()).toBe(0);
    await page.getByLabel('Customer message').fill('¿Dónde está mi pedido?');
    await page.getByRole('button', { name: 'Classify' }).click();
    await expect.poll(() => page.getByTestId('try-intent-result').textContent(), WAIT).toMatch(/^order_status/);
    // A question that is not about the shop reaches off_topic, and the panel says what a flow does with it.
    await page.getByLabel('Customer message').fill('¿Qué tiempo hará mañana en Madrid?');
    await page.getByRole('button', { name: 'Classify' }).click();
    await expect.poll(() => page.getByTestId('try-intent-result').textContent(), WAIT).toMatch(/^off_topic\d+% sureNot about the shop/);
    await app.screenshot(page, 'intents-08-viewer');
  }, 120_000);
});
