import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import { FlowRepository } from '@signalbox/db';
import type { FlowDocument } from '@signalbox/nodes';
import { startWebApp, type WebApp } from './harness.ts';

const WAIT = { timeout: 30_000 };
const node = (id: string, type: string, y: number, data: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y }, data });

/** Checks every message against word lists chosen in the node's form (none yet: the test picks one). */
const flow: FlowDocument = {
  schemaVersion: 1,
  nodes: [
    node('start', 'start', 0),
    node('words', 'sensitive-words', 120, { lists: [], saveCensoredAs: 'censored' }),
    node('flagged', 'send-message', 240, { text: 'A person will look at this: {{censored}}' }),
    node('fine', 'send-message', 240, { text: 'Thanks!' }),
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'words' },
    { id: 'e2', source: 'words', sourceHandle: 'found', target: 'flagged' },
    { id: 'e3', source: 'words', sourceHandle: 'next', target: 'fine' },
  ],
  variables: [{ name: 'censored' }],
};

describe('word lists', () => {
  let app: WebApp;
  beforeAll(async () => {
    app = await startWebApp();
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
  });

  test('an editor keeps a list, tries it on a message, and a flow flags a disguised insult with it', async () => {
    const page = await app.signedIn('editor', '/word-lists');
    onTestFailed(() => app.screenshot(page, 'failed-word-lists'));
    await page.getByRole('button', { name: 'New word list' }).first().click();
    await page.getByRole('button', { name: 'Create list' }).click();
    await expect.poll(() => page.getByText('add at least one word').isVisible(), WAIT).toBe(true);
    await page.getByLabel('Name', { exact: true }).fill('Insults');
    await page.getByLabel(/^Words/).fill('idiot*\nmoron\n');
    await page.getByLabel('A customer message').fill('You 1d10ts lost my parcel, m o r o n s');
    await expect.poll(() => page.getByTestId('word-check').textContent(), WAIT).toContain('You ****** lost my parcel, m o r o n s');
    await page.getByRole('button', { name: 'Create list' }).click();
    await expect.poll(() => page.getByText('All changes saved').isVisible(), WAIT).toBe(true);
    await expect.poll(() => page.getByRole('navigation', { name: 'Word lists' }).textContent(), WAIT).toContain('2 words');
    await app.screenshot(page, 'word-lists-01-editor');

    const flowId = await new FlowRepository(app.prisma).create({ workspaceId: app.workspaceId, name: 'Moderation', document: flow });
    await page.goto(`/flows/${flowId}`);
    await page.getByText('No word list chosen').click();
    await page.getByRole('checkbox', { name: 'Insults' }).check();
    await expect.poll(() => page.getByText('Checks 1 word list').isVisible(), WAIT).toBe(true);
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByLabel('Message as the customer').fill('you 1d10t, where is my order');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const botLines = () => page.getByLabel('Preview conversation').locator('[data-from="bot"]').allTextContents();
    await expect.poll(botLines, WAIT).toEqual(['A person will look at this: you *****, where is my order']);
    await app.screenshot(page, 'word-lists-02-flow');
    expect(app.log()).not.toMatch(/Error:/);
  }, 120_000);
});
