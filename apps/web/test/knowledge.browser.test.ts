import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import { knowledgeText } from '@signalbox/ai';
import { createPool, FlowRepository, KnowledgeRepository, seedDemoKnowledge } from '@signalbox/db';
import type { FlowDocument } from '@signalbox/nodes';
import { startWebApp, type WebApp } from './harness.ts';

// The knowledge base as operations staff meet it, in Debian's Chromium at 1280 px, over the demo help centre
// (63 articles). Screenshots go to screenshots/web/.

const WAIT = { timeout: 30_000 };
const visible = (locator: Locator) => locator.waitFor({ state: 'visible', ...WAIT });
const node = (id: string, type: string, y: number, data: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y }, data });

const QUESTION = '¿Puedo pagar mi pedido con Bizum?';
const ANSWER = 'Sí, aceptamos **Bizum** en todos los pedidos desde España: elige Bizum al pagar.';
const ANSWER_TEXT = 'Sí, aceptamos Bizum en todos los pedidos desde España: elige Bizum al pagar.';

/** The language detected, then the knowledge base answers; "No answer" says so. */
const flow: FlowDocument = {
  schemaVersion: 1,
  nodes: [
    node('start', 'start', 0),
    node('detect', 'detect-language', 100, { minConfidence: 0.3 }),
    node('kb', 'answer-from-knowledge', 200),
    node('unsure', 'send-message', 300, { text: 'No answer in the knowledge base' }),
  ],
  edges: [
    ['start', 'next', 'detect'],
    ['detect', 'next', 'kb'],
    ['detect', 'unknown', 'kb'],
    ['kb', 'no_answer', 'unsure'],
  ].map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source: source!, sourceHandle: sourceHandle!, target: target! })),
  variables: [],
};

describe('the knowledge base in Chromium', () => {
  let app: WebApp;
  let flowId = '';
  let englishTwinId = '';

  beforeAll(async () => {
    app = await startWebApp();
    flowId = await new FlowRepository(app.prisma).create({ workspaceId: app.workspaceId, name: 'Answers from the help centre', document: flow });
    const pool = createPool(app.databaseUrl, 1);
    await seedDemoKnowledge(pool, app.workspaceId, knowledgeText);
    // An English twin: a Spanish question must still be answered by the Spanish FAQ the editor writes.
    const twin = await new KnowledgeRepository(pool, knowledgeText).create(app.workspaceId, {
      kind: 'faq',
      title: 'Can I pay for my order with Bizum?',
      body: 'Yes, Bizum works for every order from Spain.',
      language: 'en',
      category: 'Payments',
      status: 'published',
    });
    if (!twin.ok) throw new Error(JSON.stringify(twin));
    englishTwinId = twin.article.id;
    await pool.end();
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
  });

  const tryQuestion = async (page: Page) => {
    await page.getByRole('button', { name: 'Try', exact: true }).click();
    const result = page.getByTestId('try-result');
    await visible(result);
    return result;
  };

  test('an editor writes a Spanish FAQ, publishes it, and the try panel and a flow answer with it', async () => {
    const page = await app.signedIn('editor', '/knowledge');
    onTestFailed(() => app.screenshot(page, 'failed-knowledge'));

    // The list: the demo help centre, paged, filtered by language and status.
    await expect.poll(() => page.getByTestId('article-count').innerText(), WAIT).toBe('1–25 of 64 articles');
    await page.getByRole('combobox', { name: 'Filter by language' }).selectOption('es');
    await expect.poll(() => page.getByTestId('article-count').innerText(), WAIT).toMatch(/^\d+ articles$/);
    await page.getByRole('combobox', { name: 'Filter by language' }).selectOption('');
    await app.screenshot(page, 'knowledge-01-list');

    // A new FAQ: a save with no question names the field and keeps what was typed.
    await page.getByRole('button', { name: 'New article' }).click();
    await page.getByLabel('Kind').selectOption('faq');
    await page.getByLabel('Language', { exact: true }).selectOption('es');
    await page.getByLabel('Category').fill('Pagos');
    await page.getByLabel('Tags').fill('bizum, pago con móvil');
    await page.getByLabel('Answer (markdown)').fill(ANSWER);
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.locator('strong').allTextContents(), WAIT).toEqual(['Bizum']);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await visible(page.locator('#article-title-error'));
    expect(await page.locator('#article-title-error').innerText()).toBe('required');
    expect(await page.getByLabel('Answer (markdown)').inputValue()).toBe(ANSWER);

    // Leaving with unsaved changes asks first; refusing keeps the editor and its text.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: '← All articles' }).click();
    await expect.poll(() => asked.length, WAIT).toBe(1);
    expect(asked[0]).toMatch(/unsaved changes/);
    expect(await page.getByLabel('Answer (markdown)').inputValue()).toBe(ANSWER);
    // So does a link in the header.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.waitForTimeout(300);
    expect(new URL(page.url()).pathname).toBe('/knowledge');
    // The back button cannot be refused, but the edits come back with the editor.
    await page.goBack();
    await visible(page.getByTestId('article-count'));
    await page.goForward();
    await visible(page.getByTestId('restored-edits'));
    expect(await page.getByLabel('Answer (markdown)').inputValue()).toBe(ANSWER);
    expect(await page.getByLabel('Category').inputValue()).toBe('Pagos');

    await page.getByLabel('Question', { exact: true }).fill(QUESTION);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.getByTestId('article-status').innerText(), WAIT).toMatch(/^Draft/);
    // The new article gets its address, so a reload finds it.
    await page.waitForURL((url) => /^[0-9a-f-]{36}$/.test(url.searchParams.get('article') ?? ''), WAIT);
    await app.screenshot(page, 'knowledge-02-editor');

    // A draft never answers: the panel (pre-filled with the FAQ's question and language) answers with the demo's
    // general payments FAQ, as the node would, and lists the draft apart.
    expect(await page.getByLabel("Customer's question").inputValue()).toBe(QUESTION);
    let result = await tryQuestion(page);
    await expect.poll(() => result.getByRole('status').innerText(), WAIT).toMatch(/^Answers with “¿Qué métodos de pago aceptan\?”/);
    expect(await result.getByTestId('try-drafts').innerText()).toContain(QUESTION);
    expect(await result.getByRole('status').innerText()).not.toContain('Bizum');

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect.poll(() => page.getByTestId('article-status').innerText(), WAIT).toMatch(/^Published/);
    result = await tryQuestion(page);
    await expect.poll(() => page.getByTestId('try-answer').innerText(), WAIT).toBe(ANSWER_TEXT);
    expect(await result.getByRole('status').innerText()).toContain(`Answers with “${QUESTION}”`);
    expect(await result.getByTestId('try-hit').first().innerText()).toContain(QUESTION);
    await page.getByTestId('try-result').scrollIntoViewIfNeeded();
    await app.screenshot(page, 'knowledge-03-try');

    // The flow's knowledge node answers the Spanish question in Spanish, with the article's text.
    await page.goto(`/flows/${flowId}`);
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByLabel('Message as the customer').fill(QUESTION);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const botLines = () => page.getByLabel('Preview conversation').locator('[data-from="bot"]').allTextContents();
    await expect.poll(botLines, WAIT).toEqual([ANSWER_TEXT]);
    await app.screenshot(page, 'knowledge-04-flow-preview');
    expect(app.log()).not.toMatch(/Error:/);
  }, 240_000);

  test('a viewer reads articles and tries questions but cannot change anything', async () => {
    const page = await app.signedIn('viewer', `/knowledge?article=${englishTwinId}`);
    onTestFailed(() => app.screenshot(page, 'failed-knowledge-viewer'));
    await visible(page.getByLabel('Question', { exact: true }));
    expect(await page.getByLabel('Question', { exact: true }).inputValue()).toBe('Can I pay for my order with Bizum?');
    expect(await page.getByLabel('Question', { exact: true }).getAttribute('readonly')).not.toBeNull();
    expect(await page.getByLabel('Answer (markdown)').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByLabel('Kind').isDisabled()).toBe(true);
    for (const name of ['Save changes', 'Save draft', 'Publish', 'Unpublish', 'Delete']) {
      expect(await page.getByRole('button', { name, exact: true }).count()).toBe(0);
    }
    await expect.poll(() => page.getByTestId('article-status').innerText(), WAIT).toContain('editors and admins change it');
    await page.getByLabel("Customer's question").fill('Can I pay with Bizum?');
    await tryQuestion(page);
    await expect.poll(() => page.getByTestId('try-answer').innerText(), WAIT).toBe('Yes, Bizum works for every order from Spain.');
    await app.screenshot(page, 'knowledge-05-viewer');
    await page.getByRole('button', { name: '← All articles' }).click();
    await visible(page.getByTestId('article-count'));
    expect(await page.getByRole('button', { name: 'New article' }).count()).toBe(0);
  }, 120_000);

  test('an editor deletes an article only after confirming', async () => {
    const page = await app.signedIn('editor', `/knowledge?article=${englishTwinId}`);
    onTestFailed(() => app.screenshot(page, 'failed-knowledge-delete'));
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this article?' });
    await visible(dialog);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', ...WAIT });
    expect(await app.prisma.knowledgeArticle.count({ where: { id: englishTwinId } })).toBe(1);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.getByRole('button', { name: 'Delete article' }).click();
    await visible(page.getByTestId('article-count'));
    expect(await app.prisma.knowledgeArticle.count({ where: { id: englishTwinId } })).toBe(0);
    expect(await page.getByRole('button', { name: 'Can I pay for my order with Bizum?' }).count()).toBe(0);
  }, 120_000);
});
