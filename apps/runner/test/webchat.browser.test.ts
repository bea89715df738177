import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../src/testing/harness.ts';
import { CHROMIUM, CHROMIUM_ARGS, Product, READY_TIMEOUT_MS, SCREENSHOTS } from './browser.ts';

const EXIT_TIMEOUT_MS = 15_000;

const GREETING = "Hi there! I'm the Signalbox demo assistant of Example Shop.";
const QUESTION = 'What can I help you with?';
const CHOICES = ['Order status', 'Refund', 'Something else'];
const ORDER_QUESTION = 'What is your order number?';
const ORDER_NUMBER = 'A-1001';

/** The chat log as the customer sees it: who said what, in order, with the buttons under a message. */
async function transcript(page: Page) {
  const lines: string[] = [];
  for (const node of await page.locator('#log > .msg, #log > .buttons').all()) {
    const className = (await node.getAttribute('class')) ?? '';
    if (className.includes('buttons')) {
      lines.push(`  [${(await node.locator('button').allTextContents()).join('] [')}]`);
    } else {
      lines.push(`${(await node.getAttribute('data-direction')) === 'in' ? 'customer' : 'bot'}: ${(await node.textContent()) ?? ''}`);
    }
  }
  return lines;
}

async function waitUntilOnline(page: Page) {
  await expect.poll(() => page.locator('#state').textContent(), { timeout: 10_000 }).toBe('online');
}

describe('the demo web chat in Chromium', () => {
  let product: Product | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;

  // Each test fails (rather than the suite being skipped) when the browser is missing.
  function started(): { product: Product; browser: Browser } {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium). This test never downloads a browser.`);
    }
    if (!product || !browser) throw new Error('the product or the browser did not start: see the error of the beforeAll hook');
    return { product, browser };
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'signalbox-webchat-'));
    const port = await freePort();
    product = new Product(`http://127.0.0.1:${port}`, port, dataDir);
    await product.waitUntilReady();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, READY_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await browser?.close();
    product?.kill();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('a customer asks for an order status, and the whole conversation survives a reload', async () => {
    const { product, browser } = started();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(`${product.baseUrl}/chat/demo-webchat`);
      await waitUntilOnline(page);
      await expect.poll(() => page.locator('#empty').textContent()).toContain('Say hello');

      await page.locator('#text').fill('hello');
      await page.locator('#send').click();
      const choices = page.locator('#log .buttons button');
      await expect.poll(() => choices.allTextContents(), { timeout: 15_000 }).toEqual(CHOICES);
      await page.screenshot({ path: join(SCREENSHOTS, 'webchat-1-greeting.png') });

      await page.getByRole('button', { name: 'Order status', exact: true }).click();
      await expect.poll(() => page.locator('#log .msg.out').last().textContent(), { timeout: 15_000 }).toBe(ORDER_QUESTION);

      await page.locator('#text').fill(ORDER_NUMBER);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#log .msg.out').last().textContent(), { timeout: 15_000 }).toContain(`Order ${ORDER_NUMBER} has shipped`);
      await page.screenshot({ path: join(SCREENSHOTS, 'webchat-2-answered.png') });

      const expected = [
        'customer: hello',
        `bot: ${GREETING}`,
        `bot: ${QUESTION}`,
        `  [${CHOICES.join('] [')}]`,
        'customer: Order status',
        `bot: ${ORDER_QUESTION}`,
        `customer: ${ORDER_NUMBER}`,
        `bot: Thanks! Order ${ORDER_NUMBER} has shipped and is on its way. You will get the tracking link by email.`,
      ];
      expect(await transcript(page)).toEqual(expected);

      // After a reload the page knows nothing but its session id: everything shown comes from the stored history.
      await page.reload();
      await waitUntilOnline(page);
      await expect.poll(() => transcript(page), { timeout: 10_000 }).toEqual(expected);
      await page.screenshot({ path: join(SCREENSHOTS, 'webchat-3-reloaded.png') });
    } finally {
      await page.close();
    }
  });

  test('an unknown web chat channel is a 404 page', async () => {
    const { product, browser } = started();
    const page = await browser.newPage();
    try {
      const response = await page.goto(`${product.baseUrl}/chat/does-not-exist`);
      expect(response?.status()).toBe(404);
      expect(await page.locator('body').textContent()).toContain('does-not-exist');
    } finally {
      await page.close();
    }
  });

  // Last on purpose: it stops the runner the tests above share.
  test(`the runner exits 0 within ${EXIT_TIMEOUT_MS / 1000} s of SIGTERM`, async () => {
    const { product } = started();
    const code = await product.terminate(EXIT_TIMEOUT_MS);
    expect(code, `exit code after SIGTERM (null: still running after ${EXIT_TIMEOUT_MS / 1000} s)\n${product.log()}`).toBe(0);
  }, EXIT_TIMEOUT_MS + 5_000);
});
