import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_TEMPLATES } from '@signalbox/db';
import { freePort } from '../src/testing/harness.ts';
import { CHROMIUM, CHROMIUM_ARGS, Product, READY_TIMEOUT_MS, SCREENSHOTS } from './browser.ts';

// The embeddable widget as a shop uses it: one <script> tag on a page of another origin, talking to a
// `signalbox start` child process, in Debian's Chromium.

const GREETING = "Hi Ana! I'm the Signalbox demo assistant of Example Shop.";
const QUESTION = 'What can I help you with?';
const CHOICES = ['Order status', 'Refund', 'Something else'];
const ORDER_QUESTION = 'What is your order number?';
const ORDER_NUMBER = 'A-1001';
const SHIPPED = `Thanks! Order ${ORDER_NUMBER} has shipped and is on its way. You will get the tracking link by email.`;
const ONLINE = 'Online · replies in seconds';

/**
 * A shop's product page: its own fonts, uppercase buttons and a global `img { width: 100% }` the widget must not
 * inherit; in the language and with the web chat channel given.
 */
function shopPage(runnerUrl: string, { lang, channel }: { lang: string; channel: string }) {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Washed linen shirt · Example Shop</title>
<style>
  * { font-family: Georgia, "Times New Roman", serif; letter-spacing: .01em; }
  body { margin: 0; background: #faf7f2; color: #2b2118; }
  header { display: flex; justify-content: space-between; align-items: center; padding: 22px 48px; border-bottom: 1px solid #e8dfd2; }
  .logo { font-size: 24px; font-weight: 700; letter-spacing: .12em; text-transform: uppercase; }
  nav a { margin-left: 28px; color: #2b2118; text-decoration: none; text-transform: uppercase; font-size: 13px; letter-spacing: .14em; }
  main { display: grid; grid-template-columns: 1fr 1fr; gap: 56px; padding: 40px 48px; max-width: 1180px; }
  .photo { aspect-ratio: 4 / 4.4; border-radius: 4px; background: radial-gradient(circle at 30% 25%, #efe6d8, #cdbb9f 55%, #a48b6b); }
  .kicker { text-transform: uppercase; font-size: 12px; letter-spacing: .2em; margin: 0; color: #8c765c; }
  h1 { font-size: 40px; font-weight: 400; margin: 8px 0 12px; }
  .price { font-size: 22px; margin-bottom: 24px; }
  p { font-size: 17px; line-height: 1.7; margin: 0 0 1.5em; color: #5a4a3a; }
  button { background: #2b2118; color: #faf7f2; border: 0; border-radius: 0; padding: 18px 36px; font-size: 13px; letter-spacing: .2em; text-transform: uppercase; cursor: pointer; }
  img { width: 100%; }
  div { line-height: 2.2; }
</style>
</head>
<body>
<header><span class="logo">Example Shop</span><nav><a href="#">New in</a><a href="#">Shirts</a><a href="#">Journal</a><a href="#">Cart (0)</a></nav></header>
<main>
  <div class="photo" role="img" aria-label="Washed linen shirt"></div>
  <section>
    <p class="kicker">Summer collection</p>
    <h1>Washed linen shirt</h1>
    <div class="price">€ 89.00</div>
    <p>Relaxed fit, garment-dyed European linen that softens with every wash. Ships worldwide in 3–5 days, free returns within 30 days.</p>
    <button type="button" id="add-to-cart">Add to cart</button>
  </section>
</main>
<script src="${runnerUrl}/widget.js" data-channel="${channel}" data-title="Example Shop" data-name="Ana" async></script>
</body>
</html>`;
}

/**
 * Runs before the page's scripts: keeps every WebSocket the widget opens, every frame it sends, and lets the
 * test refuse new connections (the network is gone) or close a socket right after a frame (the ack is lost).
 */
const INSTRUMENT = `(() => {
  const Native = window.WebSocket;
  window.__sockets = [];
  window.__sent = [];
  window.__blockSockets = false;
  window.__dropAfter = null;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(window.__blockSockets ? 'ws://127.0.0.1:9/' : url, protocols);
      window.__sockets.push(this);
    }
    send(data) {
      super.send(data);
      window.__sent.push(JSON.parse(String(data)));
      if (window.__dropAfter && JSON.parse(String(data)).type === window.__dropAfter) {
        window.__dropAfter = null;
        this.close();
      }
    }
  };
})();`;


/** The conversation as the customer sees it in the widget: who said what, in order, with the quick replies. */
const TRANSCRIPT = `(() => {
  const log = document.querySelector('signalbox-chat')?.shadowRoot?.querySelector('.sb-log');
  if (!log) return [];
  return [...log.children]
    .filter((n) => (n.classList.contains('sb-row') && !n.classList.contains('sb-typing')) || n.classList.contains('sb-chips'))
    .map((n) => {
      if (n.classList.contains('sb-chips')) return '  [' + [...n.querySelectorAll('button')].map((b) => b.textContent).join('] [') + ']';
      const who = n.dataset.direction === 'in' ? 'customer' : 'bot';
      const image = n.querySelector('img');
      return who + ': ' + (image ? '[picture ' + image.alt + ']' : (n.querySelector('.sb-text')?.textContent ?? ''));
    });
})()`;
const transcript = (page: Page) => page.evaluate<string[]>(TRANSCRIPT);

/** Reads or sets the instrumentation (the package compiles without the DOM library, so page code is text). */
const inPage = <T>(page: Page, expression: string) => page.evaluate<T>(expression);
const loaded = (image: { complete: boolean; naturalWidth: number }) => image.complete && image.naturalWidth > 0;

const lastBotText = (page: Page) => page.locator('.sb-row.out:not(.sb-typing) .sb-text').last().textContent();
const statusText = (page: Page) => page.locator('.sb-status-text').textContent();

async function send(page: Page, text: string) {
  await page.locator('.sb-input').fill(text);
  await page.locator('.sb-input').press('Enter');
}

/** A shipping label, photographed: a real PNG made by the browser. */
async function labelPicture(browser: Browser): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 600, height: 400 } });
  try {
    await page.setContent(`<div id="label" style="width:520px;height:330px;background:#fff;border:3px solid #1f2937;border-radius:8px;font:15px monospace;padding:22px;box-sizing:border-box;color:#111">
      <div>FROM: Example Shop · Rua Augusta 10, Lisboa</div>
      <div style="font-size:30px;font-weight:700;margin:18px 0">ORDER ${ORDER_NUMBER}</div>
      <div>TO: Ana García · Calle Mayor 12 · 28013 Madrid</div>
      <div style="margin-top:24px;height:80px;background:repeating-linear-gradient(90deg,#111 0 3px,#fff 3px 5px,#111 5px 6px,#fff 6px 10px)"></div>
    </div>`);
    return await page.locator('#label').screenshot();
  } finally {
    await page.close();
  }
}

/**
 * A stand-in for the shop's web server, on its own origin: the English store on the demo web chat, and the German
 * and Arabic stores (`/de/…`, `/ar/…`) on the multilingual one.
 */
async function shopServer(runnerUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const store = /^\/(?:(de|ar)\/)?(?:products\/linen-shirt)?$/.exec(req.url ?? '');
    if (!store) {
      res.writeHead(404).end();
      return;
    }
    const page = store[1] ? shopPage(runnerUrl, { lang: store[1], channel: 'demo-webchat-multilingual' }) : shopPage(runnerUrl, { lang: 'en', channel: 'demo-webchat' });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/products/linen-shirt`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the embeddable web chat widget in Chromium', () => {
  let product: Product | undefined;
  let browser: Browser | undefined;
  let shop: Awaited<ReturnType<typeof shopServer>> | undefined;
  let dataDir: string | undefined;

  function started() {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium). This test never downloads a browser.`);
    }
    if (!product || !browser || !shop) throw new Error('the product, the shop or the browser did not start: see the error of the beforeAll hook');
    return { product, browser, shop };
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'signalbox-widget-'));
    const port = await freePort();
    product = new Product(`http://127.0.0.1:${port}`, port, dataDir);
    await product.waitUntilReady();
    shop = await shopServer(product.baseUrl);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, READY_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    product?.kill();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('a customer chats from a shop page: quick replies, typing, a picture, a lost connection, and a reload', { timeout: 180_000 }, async () => {
    const { product, browser, shop } = started();
    expect(new URL(shop.url).origin).not.toBe(new URL(product.baseUrl).origin);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(INSTRUMENT);
    const page = await context.newPage();
    const crashes: string[] = [];
    page.on('pageerror', (error) => crashes.push(error.message));
    try {
      await page.goto(shop.url);
      await expect.poll(() => page.locator('.sb-launcher').isVisible(), { timeout: 10_000 }).toBe(true);
      // A visitor who does not open the chat costs the runner no socket.
      expect(await inPage<number>(page, 'window.__sockets.length')).toBe(0);

      await page.locator('.sb-launcher').click();
      await expect.poll(() => statusText(page), { timeout: 10_000 }).toBe(ONLINE);
      expect(await page.locator('.sb-title').textContent()).toBe('Example Shop');
      expect(await page.locator('.sb-intro-title').textContent()).toBe('Hi there!');
      // The shop's CSS does not reach into the widget, and the widget's does not leak out.
      const styles = await inPage<Record<string, string>>(
        page,
        `(() => {
          const root = document.querySelector('signalbox-chat').shadowRoot;
          const title = getComputedStyle(root.querySelector('.sb-title'));
          const send = getComputedStyle(root.querySelector('.sb-send'));
          const shopButton = getComputedStyle(document.querySelector('#add-to-cart'));
          return { titleFont: title.fontFamily, sendTransform: send.textTransform, sendRadius: send.borderRadius, shopTransform: shopButton.textTransform, shopFont: shopButton.fontFamily };
        })()`,
      );
      expect(styles.titleFont).not.toContain('Georgia');
      expect(styles.sendTransform).toBe('none');
      expect(styles.sendRadius).toBe('50%');
      expect(styles.shopTransform).toBe('uppercase');
      expect(styles.shopFont).toContain('Georgia');
      await page.screenshot({ path: join(SCREENSHOTS, 'widget-1-open.png'), animations: 'disabled' });

      await inPage(
        page,
        `(() => {
          window.__typingShown = 0;
          new MutationObserver((records) => {
            for (const record of records) for (const node of record.addedNodes) if (node.classList && node.classList.contains('sb-typing')) window.__typingShown += 1;
          }).observe(document.querySelector('signalbox-chat').shadowRoot, { childList: true, subtree: true });
        })()`,
      );

      await send(page, 'hello');
      await expect.poll(() => page.locator('.sb-chip').allTextContents(), { timeout: 15_000 }).toEqual(CHOICES);
      // The bot "typed" between the ack of the message and its answer, and the customer's typing was sent.
      expect(await inPage<number>(page, 'window.__typingShown')).toBeGreaterThan(0);
      const typingFrames = await inPage<boolean[]>(page, `window.__sent.filter((f) => f.type === 'typing').map((f) => f.active)`);
      expect(typingFrames).toEqual([true, false]);

      await page.locator('.sb-chip', { hasText: 'Order status' }).click();
      await expect.poll(() => lastBotText(page), { timeout: 15_000 }).toBe(ORDER_QUESTION);
      expect(await page.locator('.sb-chip').count()).toBe(0);

      // A picture: uploaded across origins (CORS), shown at once, then sent as an attachment message.
      await page.locator('.sb-file-input').setInputFiles({ name: 'shipping-label.png', mimeType: 'image/png', buffer: await labelPicture(browser) });
      await expect.poll(() => page.locator('.sb-row.in').last().getAttribute('data-status'), { timeout: 15_000 }).toBe('sent');
      await expect.poll(() => lastBotText(page), { timeout: 15_000 }).toBe(`Sorry, I didn't get that. ${ORDER_QUESTION}`);
      const picture = page.locator('.sb-row.in img').last();
      await expect.poll(() => picture.evaluate(loaded)).toBe(true);
      expect((await picture.boundingBox())?.width).toBeLessThanOrEqual(240);
      const attachment = await inPage<unknown>(page, `window.__sent.find((f) => f.type === 'attachment')`);
      expect(attachment).toMatchObject({ type: 'attachment', mimeType: 'image/png', name: 'shipping-label.png' });
      await page.screenshot({ path: join(SCREENSHOTS, 'widget-2-conversation.png'), animations: 'disabled' });

      // The ack is lost: the socket closes right after the message left. The widget reconnects, resends with the
      // same id if the server has not shown it back yet, and the message is answered once.
      const socketsBefore = await inPage<number>(page, 'window.__sockets.length');
      await inPage(page, `window.__dropAfter = 'message'`);
      await send(page, ORDER_NUMBER);
      await expect.poll(() => inPage<number>(page, 'window.__sockets.length'), { timeout: 10_000 }).toBeGreaterThan(socketsBefore);
      await expect.poll(() => lastBotText(page), { timeout: 15_000 }).toBe(SHIPPED);
      const orderFrames = await inPage<string[]>(page, `window.__sent.filter((f) => f.type === 'message' && f.text === '${ORDER_NUMBER}').map((f) => f.id)`);
      expect(new Set(orderFrames).size).toBe(1);

      // The network is gone: the widget says so, keeps the message, and sends it when a connection is back.
      await inPage(page, `window.__blockSockets = true; for (const socket of window.__sockets) socket.close();`);
      await expect.poll(() => statusText(page), { timeout: 5_000 }).toBe('Reconnecting…');
      await send(page, 'Thanks!');
      await expect.poll(() => page.locator('.sb-row.in').last().getAttribute('data-status')).toBe('pending');
      await expect.poll(() => page.locator('.sb-banner').isVisible(), { timeout: 5_000 }).toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, 'widget-3-reconnecting.png'), animations: 'disabled' });
      await inPage(page, 'window.__blockSockets = false');
      await expect.poll(() => statusText(page), { timeout: 20_000 }).toBe(ONLINE);
      // The flow had ended: the new message starts it again.
      await expect.poll(() => page.locator('.sb-chip').allTextContents(), { timeout: 15_000 }).toEqual(CHOICES);

      const expected = [
        'customer: hello',
        `bot: ${GREETING}`,
        `bot: ${QUESTION}`,
        'customer: Order status',
        `bot: ${ORDER_QUESTION}`,
        'customer: [picture shipping-label.png]',
        `bot: Sorry, I didn't get that. ${ORDER_QUESTION}`,
        `customer: ${ORDER_NUMBER}`,
        `bot: ${SHIPPED}`,
        'customer: Thanks!',
        `bot: ${GREETING}`,
        `bot: ${QUESTION}`,
        `  [${CHOICES.join('] [')}]`,
      ];
      await expect.poll(() => transcript(page), { timeout: 10_000 }).toEqual(expected);

      // After a reload the widget knows its session and that it was open: everything comes from the stored history.
      await page.reload();
      await expect.poll(() => statusText(page), { timeout: 10_000 }).toBe(ONLINE);
      await expect.poll(() => transcript(page), { timeout: 10_000 }).toEqual(expected);
      const stored = page.locator('.sb-row.in img').last();
      expect(await stored.getAttribute('src')).toMatch(new RegExp(`^${product.baseUrl}/media/demo-webchat/[a-f0-9]{32}\\.png$`));
      await expect.poll(() => stored.evaluate(loaded)).toBe(true);
      await page.locator('.sb-log').evaluate((log: { scrollTop: number; scrollHeight: number }) => (log.scrollTop = log.scrollHeight));
      await page.screenshot({ path: join(SCREENSHOTS, 'widget-4-reloaded.png'), animations: 'disabled' });

      // The same conversation on a phone: the chat takes the whole screen.
      const phone = await context.newPage();
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(shop.url);
      await expect.poll(() => transcript(phone), { timeout: 10_000 }).toEqual(expected);
      await phone.screenshot({ path: join(SCREENSHOTS, 'widget-5-phone.png'), animations: 'disabled' });
      await phone.close();

      // A reply that arrives while the chat is closed: a badge on the launcher and a preview of the message.
      await inPage(page, `window.__blockSockets = true; for (const socket of window.__sockets) socket.close();`);
      await expect.poll(() => statusText(page), { timeout: 5_000 }).toBe('Reconnecting…');
      await page.locator('.sb-chip', { hasText: 'Refund' }).click();
      await page.locator('.sb-launcher').click();
      expect(await page.locator('.sb-panel').isVisible()).toBe(false);
      await inPage(page, 'window.__blockSockets = false');
      await expect.poll(() => page.locator('.sb-badge').textContent(), { timeout: 20_000 }).toBe('1');
      expect(await page.locator('.sb-preview-text').textContent()).toContain('return any item within 30 days');
      await page.screenshot({ path: join(SCREENSHOTS, 'widget-6-unread.png'), animations: 'disabled' });
      await page.locator('.sb-preview').click();
      expect(await page.locator('.sb-badge').isVisible()).toBe(false);
      await expect.poll(() => lastBotText(page)).toContain('return any item within 30 days');

      expect(crashes).toEqual([]);
    } finally {
      await context.close();
    }
  });
  test("speaks the shop page's language: German words and a German answer, Arabic right to left", { timeout: 120_000 }, async () => {
    const { browser, shop } = started();
    const orderHelp = DEMO_TEMPLATES.find((t) => t.name === 'demo_order_help')?.variants.find((v) => v.language === 'de')?.text;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' });
    const contexts = [context];
    await context.addInitScript(INSTRUMENT);
    const page = await context.newPage();
    const crashes: string[] = [];
    page.on('pageerror', (error) => crashes.push(error.message));
    try {
      await page.goto(shop.url.replace('/products/', '/de/products/'));
      expect(await page.locator('.sb-launcher').getAttribute('aria-label')).toBe('Chat öffnen');
      await page.locator('.sb-launcher').click();
      await expect.poll(() => statusText(page), { timeout: 10_000 }).toBe('Online · Antwort in Sekunden');
      expect(await page.locator('.sb-input').getAttribute('placeholder')).toBe('Nachricht schreiben…');
      expect(await page.locator('.sb-intro-title').textContent()).toBe('Hallo!');
      expect(await page.locator('.sb-launcher').getAttribute('aria-label')).toBe('Chat schließen');
      // The browser's locale goes with the socket, as a hint for the bot's language detection.
      expect(await inPage<string>(page, 'window.__sockets[0].url')).toContain('&locale=de-DE');

      // The multilingual demo flow answers the German order question with its German template.
      await send(page, 'Wo bleibt meine Bestellung? Sie sollte längst da sein.');
      await expect.poll(() => lastBotText(page), { timeout: 15_000 }).toBe(orderHelp);
      await page.screenshot({ path: join(SCREENSHOTS, 'widget-7-german.png'), animations: 'disabled' });

      // Another customer (a context of their own: the widget keeps its session and open state per browser).
      const arabicContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ar-EG' });
      contexts.push(arabicContext);
      const arabic = await arabicContext.newPage();
      arabic.on('pageerror', (error) => crashes.push(error.message));
      await arabic.goto(shop.url.replace('/products/', '/ar/products/'));
      await arabic.locator('.sb-launcher').click();
      await expect.poll(() => statusText(arabic), { timeout: 10_000 }).toBe('متصل · نرد خلال ثوانٍ');
      expect(await arabic.locator('.sb-input').getAttribute('placeholder')).toBe('اكتب رسالة…');
      expect(await inPage<string>(arabic, `document.querySelector('signalbox-chat').shadowRoot.querySelector('.sb-root').getAttribute('dir')`)).toBe('rtl');
      await send(arabic, 'مرحبا');
      await expect.poll(() => lastBotText(arabic), { timeout: 15_000 }).toBe(DEMO_TEMPLATES.find((t) => t.name === 'demo_welcome')?.variants.find((v) => v.language === 'ar')?.text);
      await arabic.screenshot({ path: join(SCREENSHOTS, 'widget-8-arabic.png'), animations: 'disabled' });
      expect(crashes).toEqual([]);
    } finally {
      for (const open of contexts) await open.close();
    }
  });
});
