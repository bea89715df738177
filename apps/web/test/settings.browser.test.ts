import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import { startFakeLibreTranslate, type FakeServer } from '@signalbox/ai/testing';
import { FlowRepository } from '@signalbox/db';
import type { FlowDocument } from '@signalbox/nodes';
import { startWebApp, type WebApp } from './harness.ts';

const WAIT = { timeout: 30_000 };
const node = (id: string, type: string, y: number, data: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y }, data });

/** Detects the customer's language and answers through the workspace's translation provider. */
const flow: FlowDocument = {
  schemaVersion: 1,
  nodes: [
    node('start', 'start', 0),
    node('detect', 'detect-language', 120, { minConfidence: 0.3 }),
    node('outward', 'translate', 240, { direction: 'to-customer', text: 'Your Signalbox parcel ships today', saveAs: 'answer' }),
    node('answer', 'send-message', 360, { text: '{{answer}}' }),
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'detect' },
    { id: 'e2', source: 'detect', sourceHandle: 'next', target: 'outward' },
    { id: 'e3', source: 'outward', sourceHandle: 'next', target: 'answer' },
  ],
  variables: [{ name: 'answer' }],
};

describe('workspace settings', () => {
  let app: WebApp;
  let libre: FakeServer;
  beforeAll(async () => {
    libre = await startFakeLibreTranslate({ translate: (text) => text.toUpperCase() });
    app = await startWebApp();
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    await libre?.close();
  });

  test('an owner sets a translation provider in the browser, tries it, and the preview translates with it', async () => {
    const page = await app.signedIn('owner', '/settings');
    onTestFailed(() => app.screenshot(page, 'failed-settings'));
    await expect.poll(() => page.getByTestId('translation-status').textContent(), WAIT).toContain('No provider is set');
    await page.getByLabel('Provider').selectOption('libretranslate');
    await page.getByLabel('Server address').fill('not an address');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByText('Invalid URL').isVisible(), WAIT).toBe(true);
    await page.getByLabel('Server address').fill(libre.url);
    await page.getByLabel('Never translate').fill('Signalbox');
    await page.getByRole('button', { name: 'Translate' }).click();
    await expect.poll(() => page.getByTestId('translation-test').textContent(), WAIT).toContain('WHERE IS MY ORDER?');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('translation-status').textContent(), WAIT).toContain("this workspace's LibreTranslate");
    await app.screenshot(page, 'settings-01-translation');

    const flowId = await new FlowRepository(app.prisma).create({ workspaceId: app.workspaceId, name: 'Translated answer', document: flow });
    await page.goto(`/flows/${flowId}`);
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByLabel('Message as the customer').fill('Hola, ¿dónde está mi pedido? Lo compré la semana pasada');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const botLines = () => page.getByLabel('Preview conversation').locator('[data-from="bot"]').allTextContents();
    await expect.poll(botLines, WAIT).toEqual(['[es] YOUR Signalbox PARCEL SHIPS TODAY']);
    expect(app.log()).not.toMatch(/Error:/);
  }, 120_000);

  test('an editor does not see the settings', async () => {
    const page = await app.signedIn('editor', '/flows');
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0);
  });
});
