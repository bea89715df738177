import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { ChannelRepository, FlowLibrary, SecretBox } from '@signalbox/db';
import { loadFlowDocument, type FlowDocument } from '@signalbox/nodes';
import { startWebApp, type WebApp } from './harness.ts';

function loadedExample(name: string): FlowDocument {
  const loaded = loadFlowDocument(JSON.parse(readFileSync(new URL(`../../../examples/flows/${name}.json`, import.meta.url), 'utf8')));
  if (!loaded.ok) throw new Error(`examples/flows/${name}.json is invalid`);
  return loaded.document;
}

// The flow editor as its users meet it, in Debian's Chromium at 1280 px: every step of the walk-through,
// with a screenshot of each screen in screenshots/web/.

// playwright-core has no web-first assertions (they come with @playwright/test); Vitest's expect.poll retries instead.
const WAIT = { timeout: 15_000 };
const visible = (locator: Locator) => locator.waitFor({ state: 'visible', ...WAIT });
const textOf = (locator: Locator) => expect.poll(() => locator.innerText(), WAIT);
const countOf = (locator: Locator) => expect.poll(() => locator.count(), WAIT);
const attributeOf = (locator: Locator, name: string) => expect.poll(() => locator.getAttribute(name), WAIT);

const node = (page: Page, id: string) => page.getByTestId(`node-${id}`);
const sourceHandles = (page: Page, id: string) => node(page, id).locator('.react-flow__handle.source');
const targetHandle = (page: Page, id: string) => node(page, id).locator('.react-flow__handle.target');

/** A pointer drag in small steps, as React Flow's drag handling needs moves between press and release. */
async function drag(page: Page, from: Locator, to: { x: number; y: number } | Locator) {
  const start = await from.boundingBox();
  const end = 'x' in to ? { ...to, width: 0, height: 0 } : await to.boundingBox();
  if (!start || !end) throw new Error('drag: element not on screen');
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await page.mouse.down();
  await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2, { steps: 12 });
  await page.mouse.up();
}

async function connect(page: Page, from: Locator, to: Locator) {
  await drag(page, from, to);
}

async function select(page: Page, id: string) {
  // The title is clear of handles and inputs: a click there selects the node.
  await node(page, id).locator('span.font-semibold').first().click();
  await visible(page.getByRole('tabpanel').locator('p.font-mono', { hasText: id }));
}

async function waitSaved(page: Page) {
  await visible(page.locator('[data-save-state="saved"]'));
}

async function publish(page: Page, note: string, number: number) {
  await waitSaved(page);
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByLabel('What changed').fill(note);
  await page.getByRole('button', { name: `Publish v${number}` }).click();
  await visible(page.getByRole('status').filter({ hasText: `Published v${number}` }));
}

describe('flow editor in Chromium', () => {
  let app: WebApp;

  beforeAll(async () => {
    app = await startWebApp();
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
  });

  test('an editor draws a flow, fixes what validation finds, publishes, previews, diffs two versions and restores one', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: app.baseUrl });
    const page = await context.newPage();
    onTestFailed(() => app.screenshot(page, 'failed-editor'));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // Sign in: the editor is behind it.
    await page.goto('/flows');
    await page.waitForURL(/\/sign-in/);
    await app.screenshot(page, '01-sign-in');
    await page.getByLabel('Email').fill('editor@shop.test');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByText('wrong email or password'));
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/flows$/);
    await visible(page.getByText('No flows yet'));
    await app.screenshot(page, '02-flows-empty');

    await page.getByRole('button', { name: 'New flow' }).click();
    await page.getByLabel('Name').fill('Order routing');
    await page.getByRole('button', { name: 'Create flow' }).click();
    await page.waitForURL(/\/flows\/[\w-]+$/);
    await visible(node(page, 'start'));

    // Five nodes dragged from the palette: the condition below Start, its three answers in a column beside it.
    const canvas = page.getByTestId('canvas');
    const box = await canvas.boundingBox();
    if (!box) throw new Error('no canvas');
    // Start moves to the top, to leave room below it.
    await drag(page, node(page, 'start').locator('span.font-semibold').first(), { x: box.x + box.width * 0.25, y: box.y + box.height * 0.08 });
    const drops: [string, number, number][] = [
      ['condition', 0.25, 0.36],
      ['send-message', 0.75, 0.17],
      ['send-message', 0.75, 0.42],
      ['send-message', 0.75, 0.67],
      ['handoff', 0.25, 0.72],
    ];
    for (const [type, x, y] of drops) await page.locator(`[data-palette-type="${type}"]`).dragTo(canvas, { targetPosition: { x: box.width * x, y: box.height * y } });
    await countOf(page.locator('[data-testid^="node-"]')).toBe(6);
    await app.screenshot(page, '03-nodes-dropped');

    // A condition with three branches grows a port per branch, plus Else.
    await select(page, 'condition-1');
    await page.locator('#cfg-branches-0-label').fill('Order status');
    await page.locator('#cfg-branches-0-rules-0-value').fill('order');
    await page.getByRole('button', { name: 'Add branch' }).click();
    await page.getByRole('button', { name: 'Add branch' }).click();
    await page.locator('#cfg-branches-1-label').fill('Refund');
    await page.locator('#cfg-branches-1-rules-0-value').fill('refund');
    await page.locator('#cfg-branches-2-label').fill('Person');
    await page.locator('#cfg-branches-2-rules-0-value').fill('human');
    await countOf(sourceHandles(page, 'condition-1')).toBe(4);
    await textOf(node(page, 'condition-1')).toContain('Refund');

    await connect(page, sourceHandles(page, 'start').first(), targetHandle(page, 'condition-1'));
    for (const [i, target] of ['send-message-1', 'send-message-2', 'send-message-3'].entries()) await connect(page, sourceHandles(page, 'condition-1').nth(i), targetHandle(page, target));
    await connect(page, sourceHandles(page, 'send-message-3').first(), targetHandle(page, 'handoff-1'));
    await countOf(page.locator('.react-flow__edge')).toBe(5);

    for (const [id, text] of [
      ['send-message-1', 'Your order is on its way.'],
      ['send-message-2', 'Refunds take 5 days.'],
      ['send-message-3', 'A person will answer soon.'],
    ] as const) {
      await select(page, id);
      await page.locator('#cfg-text').fill(text);
    }

    // Validation: the hand-off has no team; publish is blocked until it is fixed from the problems panel.
    const publishButton = page.getByRole('button', { name: 'Publish' });
    await textOf(publishButton).toBe('Publish (1 error)');
    await publishButton.click();
    const problems = page.getByRole('list', { name: 'Problems' });
    await textOf(problems).toContain('choose a team');
    await app.screenshot(page, '04-validation-error');
    await problems.getByText('choose a team').click();
    await expect.poll(() => page.locator('#cfg-team').evaluate((el) => el === document.activeElement), WAIT).toBe(true);
    await page.locator('#cfg-team').fill('support');
    await textOf(publishButton).toBe('Publish');
    await page.getByRole('tab', { name: /Problems/ }).click();
    // What is left is a warning (the condition's Else leads nowhere), which does not block publishing.
    await textOf(problems).not.toContain('choose a team');
    await textOf(problems).toContain('output "Else" leads nowhere');
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    // Laid out and framed: every node ends up inside the canvas.
    const allInView = () =>
      page.evaluate(() => {
        const pane = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
        const nodes = [...document.querySelectorAll('[data-testid^="node-"]')].map((n) => n.getBoundingClientRect());
        return pane !== undefined && nodes.length === 6 && nodes.every((r) => r.left >= pane.left && r.right <= pane.right && r.top >= pane.top && r.bottom <= pane.bottom);
      });
    await expect.poll(allInView, WAIT).toBe(true);
    await app.screenshot(page, '05-flow-built');

    await publish(page, 'First version', 1);

    // Preview: the draft answers in the side panel and its path lights up on the canvas.
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByLabel('Message as the customer').fill('I want a refund');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const conversation = page.getByLabel('Preview conversation');
    await textOf(conversation.locator('[data-from="bot"]')).toBe('Refunds take 5 days.');
    for (const id of ['start', 'condition-1', 'send-message-2']) await attributeOf(node(page, id), 'data-mark').toBe('path');
    await attributeOf(node(page, 'send-message-1'), 'data-mark').not.toBe('path');
    await countOf(page.locator('.react-flow__edge.edge-path')).toBe(2);
    await app.screenshot(page, '06-preview');

    // v2 changes one message; the diff names the field and marks the node.
    await page.getByRole('tab', { name: 'Inspect' }).click();
    await select(page, 'send-message-2');
    await page.locator('#cfg-text').fill('Refunds take 3 days.');
    await publish(page, 'Faster refunds', 2);
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByLabel('Compare from').selectOption('1');
    await page.getByLabel('Compare to').selectOption('2');
    const differences = page.getByLabel('Differences');
    await textOf(differences).toContain('text: "Refunds take 5 days." → "Refunds take 3 days."');
    await textOf(differences).toContain('0 added, 0 removed, 1 changed');
    await attributeOf(node(page, 'send-message-2'), 'data-mark').toBe('changed');
    await app.screenshot(page, '07-diff');
    await page.getByRole('button', { name: 'Done' }).click();

    // Restoring v1 puts its text back into the draft, which is saved.
    await page.getByRole('button', { name: 'Restore v1 into the draft' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Restored v1' }));
    await textOf(node(page, 'send-message-2')).toContain('Refunds take 5 days.');
    await app.screenshot(page, '08-restored');
    await waitSaved(page);
    await page.reload();
    await textOf(node(page, 'send-message-2')).toContain('Refunds take 5 days.');

    const stored = await app.prisma.flowVersion.findMany({ where: { flow: { name: 'Order routing' } }, orderBy: { number: 'asc' }, select: { number: true, note: true } });
    expect(stored).toEqual([
      { number: 1, note: 'First version' },
      { number: 2, note: 'Faster refunds' },
    ]);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  test('a viewer can open a flow but cannot change or save it', async () => {
    const flowId = await new FlowLibrary(app.prisma).create(app.workspaceId, { name: 'Read me', document: loadedExample('demo') });
    const flowUrl = `/flows/${flowId}`;
    const page = await app.signedIn('viewer', flowUrl);
    onTestFailed(() => app.screenshot(page, 'failed-viewer'));
    await visible(node(page, 'route'));
    await visible(page.getByText('Read-only'));
    await countOf(page.getByLabel('Node palette')).toBe(0);
    await countOf(page.getByRole('button', { name: 'Publish' })).toBe(0);
    await select(page, 'greet');
    await attributeOf(page.locator('#cfg-text'), 'readonly').toBe('');
    await app.screenshot(page, '09-viewer');
    await page.locator('.react-flow__pane').click();
    await page.keyboard.press('?');
    await textOf(page.getByRole('dialog')).toContain('Copy and paste nodes');
    await page.keyboard.press('Escape');

    // The server refuses too, whatever the page shows.
    const status = await page.evaluate(async (id) => {
      const response = await fetch('/api/trpc/flows.save', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { id, baseRevision: 1, document: { schemaVersion: 1, nodes: [] } } }),
      });
      return response.status;
    }, flowId);
    expect(status).toBe(403);
    await page.context().close();
  }, 120_000);

  test('a flow opens where it can be read, every port named in full, and "fit view" shows all of it', async () => {
    const flowId = await new FlowLibrary(app.prisma).create(app.workspaceId, { name: 'Readable', document: loadedExample('multilingual') });
    const page = await app.signedIn('editor', `/flows/${flowId}`);
    onTestFailed(() => app.screenshot(page, 'failed-readable'));
    await visible(node(page, 'intent'));
    const zoom = () => page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);
    const pane = await page.locator('.react-flow__pane').boundingBox();
    if (!pane) throw new Error('no pane');
    const inPane = async (id: string) => {
      const box = await node(page, id).boundingBox();
      return box !== null && box.x >= pane.x && box.y >= pane.y && box.x + box.width <= pane.x + pane.width && box.y + box.height <= pane.y + pane.height;
    };
    // At 1280 px the flow is wider than the canvas at a readable zoom: it opens at its top, not shrunk to fit.
    await expect.poll(zoom, WAIT).toBeGreaterThanOrEqual(0.7);
    expect(await inPane('start')).toBe(true);
    // Five outputs (three intents, "Not sure", "Error"): the card widens until each label fits.
    const labels = node(page, 'intent').locator('.react-flow__handle.source').locator('xpath=..').locator('span');
    await countOf(labels).toBe(5);
    const clipped = await labels.evaluateAll((spans) => spans.filter((s) => s.scrollWidth > s.clientWidth).map((s) => s.textContent));
    expect(clipped).toEqual([]);
    // Every card's title whole, the longest ("Answer from knowledge base", with the preview's step badge room) too.
    await textOf(node(page, 'knowledge').locator('[data-node-title]')).toBe('Answer from knowledge base');
    const titles = page.locator('.react-flow__node [data-node-title]');
    expect(await titles.evaluateAll((spans) => spans.filter((s) => s.scrollWidth > s.clientWidth).map((s) => s.textContent))).toEqual([]);
    await app.screenshot(page, '10-readable');

    await page.getByRole('button', { name: 'fit view' }).click();
    await expect.poll(zoom, WAIT).toBeLessThan(0.7);
    for (const id of ['start', 'answered', 'support-team', 'order-team', 'complaint-team']) await expect.poll(() => inPane(id), WAIT).toBe(true);
    await page.context().close();
  }, 120_000);

  test('two people on one flow: each sees the other, and saving over a newer save is a choice, never a silent overwrite', async () => {
    const flowId = await new FlowLibrary(app.prisma).create(app.workspaceId, { name: 'Shared echo', document: loadedExample('echo') });
    const editor = await app.signedIn('editor', `/flows/${flowId}`);
    await visible(node(editor, 'echo'));
    const owner = await app.signedIn('owner', `/flows/${flowId}`);
    onTestFailed(async () => {
      await app.screenshot(editor, 'failed-conflict-editor');
      await app.screenshot(owner, 'failed-conflict-owner');
    });
    await visible(owner.getByText('Eddie Editor also here'));

    await select(owner, 'echo');
    await owner.locator('#cfg-text').fill("The owner's words: {{message.text}}");
    await waitSaved(owner);

    // The editor's tab loaded the draft before the owner saved: its save is refused and it says so.
    await select(editor, 'echo');
    await editor.locator('#cfg-text').fill("The editor's words: {{message.text}}");
    const banner = editor.getByRole('alert').filter({ hasText: 'saved this flow' });
    await textOf(banner).toContain('Olivia Owner saved this flow');
    await app.screenshot(editor, '10-conflict');
    const stored = await app.prisma.flowDraft.findUniqueOrThrow({ where: { flowId } });
    expect(JSON.stringify(stored.document)).toContain("The owner's words");

    // Renaming in place, from the header.
    await owner.getByRole('button', { name: 'Shared echo' }).click();
    await owner.getByLabel('Flow name').fill('Shared echo (EU)');
    await owner.getByLabel('Flow name').press('Enter');
    await visible(owner.getByRole('button', { name: 'Shared echo (EU)' }));
    expect((await app.prisma.flow.findUniqueOrThrow({ where: { id: flowId } })).name).toBe('Shared echo (EU)');

    await editor.getByRole('button', { name: 'Load their version' }).click();
    await textOf(node(editor, 'echo')).toContain("The owner's words");
    await visible(editor.locator('[data-save-state="saved"]'));

    // A sticky note for the team, in blue.
    await editor.getByRole('button', { name: 'Add note' }).click();
    await editor.getByLabel('Sticky note').fill('Echo is for trying channels only');
    await editor.getByRole('button', { name: 'blue' }).click();
    await waitSaved(editor);
    await expect.poll(async () => JSON.stringify((await app.prisma.flowDraft.findUniqueOrThrow({ where: { flowId } })).document), WAIT).toContain('"color":"blue"');
    await app.screenshot(editor, '11-sticky-note');
    await editor.context().close();
    await owner.context().close();
  }, 120_000);

  test('nodes selected together copy from one flow and paste into another, with the edge between them', async () => {
    const library = new FlowLibrary(app.prisma);
    const source = await library.create(app.workspaceId, { name: 'Copy from', document: loadedExample('demo') });
    const target = await library.create(app.workspaceId, { name: 'Paste into', document: loadedExample('echo') });
    const page = await app.signedIn('editor', `/flows/${source}`);
    onTestFailed(() => app.screenshot(page, 'failed-clipboard'));

    // Multi-select: click one node, Ctrl+click another.
    await select(page, 'greet');
    await node(page, 'need').locator('span.font-semibold').first().click({ modifiers: ['Control'] });
    await countOf(page.locator('.react-flow__node.selected')).toBe(2);
    // The browser's copy event, as Ctrl+C fires it; the editor fills the clipboard.
    const copied = await page.evaluate(() => {
      const data = new DataTransfer();
      document.body.dispatchEvent(new ClipboardEvent('copy', { clipboardData: data, bubbles: true }));
      return data.getData('text/plain');
    });
    expect(JSON.parse(copied).nodes.map((n: { id: string }) => n.id).sort()).toEqual(['greet', 'need']);

    await page.goto(`/flows/${target}`);
    await visible(node(page, 'echo'));
    // A connection selected on its own shows where it runs, and can be deleted from the side panel.
    // A straight edge has an empty bounding box, so it is clicked halfway between its two handles.
    const from = await sourceHandles(page, 'start').first().boundingBox();
    const to = await targetHandle(page, 'echo').boundingBox();
    if (!from || !to) throw new Error('edge handles not on screen');
    await page.mouse.click(from.x + from.width / 2, (from.y + from.height + to.y) / 2);
    await textOf(page.getByRole('tabpanel')).toContain('output “next”');
    await page.getByRole('tabpanel').getByRole('button', { name: 'Delete' }).click();
    await countOf(page.getByTestId('rf__edge-e1')).toBe(0);
    // Connected again without dragging: the node's outputs are selects in the side panel.
    await select(page, 'start');
    await page.getByLabel('Next →').selectOption('echo');
    await countOf(page.locator('.react-flow__edge')).toBe(1);

    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
    }, copied);
    await countOf(page.locator('[data-testid^="node-pasted-"]')).toBe(2);
    await textOf(page.locator('[data-testid^="node-pasted-"]').first()).toContain('Send message');
    await waitSaved(page);
    const pasted = (await library.open(app.workspaceId, target))?.draft.document;
    expect(pasted?.nodes.map((n) => n.type)).toEqual(['start', 'send-message', 'send-message', 'ask-question']);
    const ids = new Set(pasted?.nodes.filter((n) => n.id.startsWith('pasted-')).map((n) => n.id));
    expect(pasted?.edges.filter((e) => ids.has(e.source) && ids.has(e.target))).toHaveLength(1);

    // Ctrl+D duplicates the selection in place.
    await select(page, 'echo');
    await page.keyboard.press('Control+d');
    await countOf(page.locator('[data-testid^="node-copy-"]')).toBe(1);
    await page.context().close();
  }, 120_000);

  test('an owner chooses the flow and version that answer a channel, and adds a person', async () => {
    const library = new FlowLibrary(app.prisma);
    const flowId = await library.create(app.workspaceId, { name: 'Answers the site', document: loadedExample('echo') });
    const owner = await app.prisma.user.findUniqueOrThrow({ where: { email: 'owner@shop.test' } });
    const opened = await library.open(app.workspaceId, flowId);
    await library.publishDraft(app.workspaceId, flowId, { revision: opened?.draft.revision ?? 0, note: 'v1', authorId: owner.id, check: () => null });
    const channel = await new ChannelRepository(app.prisma, new SecretBox('a test secret key, long enough')).create({ workspaceId: app.workspaceId, type: 'webhook', name: 'Shop site', config: { callbackUrl: 'http://127.0.0.1:9/cb' } });

    const page = await app.signedIn('owner', '/channels');
    onTestFailed(() => app.screenshot(page, 'failed-admin'));
    const row = page.locator(`[data-channel="${channel.id}"]`);
    await textOf(row).toContain('No flow');
    await page.getByLabel('Flow for Shop site').selectOption(flowId);
    await page.getByLabel('Version for Shop site').locator('option[value="1"]').waitFor({ state: 'attached', ...WAIT });
    await page.getByLabel('Version for Shop site').selectOption('1');
    await row.getByRole('button', { name: 'Save' }).click();
    await textOf(row).toContain('Answered by Answers the site, pinned to v1');
    await app.screenshot(page, '12-channels');
    const binding = await app.prisma.channelBinding.findUniqueOrThrow({ where: { channelId: channel.id }, include: { version: true } });
    expect([binding.flowId, binding.mode, binding.version?.number]).toEqual([flowId, 'pinned', 1]);

    await page.getByRole('link', { name: 'People' }).click();
    await page.getByRole('button', { name: 'Add person' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Ada Agent');
    await dialog.getByLabel('Email').fill('ada@shop.test');
    await dialog.getByLabel('Role').selectOption('agent');
    await dialog.getByLabel('First password').fill('a long first password');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await visible(page.getByText('ada@shop.test'));
    // The same email again: the server's refusal shows under the email field.
    await page.getByRole('button', { name: 'Add person' }).click();
    await dialog.getByLabel('Name').fill('Ada Again');
    await dialog.getByLabel('Email').fill('ADA@shop.test');
    await dialog.getByLabel('First password').fill('a long first password');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await visible(dialog.locator('#person-email-error').filter({ hasText: 'someone already signs in with this email' }));
    await app.screenshot(page, '13-people');
    await page.context().close();
  }, 120_000);
});
