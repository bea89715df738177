import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import { ChannelRepository, SecretBox } from '@signalbox/db';
import { startWebApp, WEB_TEST_SECRET_KEY, type WebApp } from './harness.ts';

// Channel settings as an owner meets them, in Debian's Chromium at 1280 px, with a stand-in for the runner's
// admin API (which would talk to the platforms). Screenshots go to screenshots/web/.

const WAIT = { timeout: 15_000 };
const visible = (locator: Locator) => locator.waitFor({ state: 'visible', ...WAIT });
const textOf = (locator: Locator) => expect.poll(() => locator.innerText(), WAIT);

describe('channel settings in Chromium', () => {
  let app: WebApp;
  let runner: Server;
  const calls: { path: string; body: unknown }[] = [];

  beforeAll(async () => {
    runner = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        calls.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown });
        const answer = req.url?.endsWith('/register') ? { ok: true, description: 'Webhook was set' } : { ok: false, retry: false, error: '403: Forbidden: bot was blocked by the user' };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => runner.listen(0, '127.0.0.1', resolve));
    app = await startWebApp({ runnerUrl: `http://127.0.0.1:${(runner.address() as AddressInfo).port}` });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await new Promise((resolve) => runner.close(resolve));
  });

  test('an owner adds a Telegram bot, sees where it is connected, tests it and disables it', async () => {
    const page = await app.signedIn('owner', '/channels');
    onTestFailed(() => app.screenshot(page, 'failed-channels'));
    await page.getByRole('button', { name: 'Add channel' }).first().click();
    const dialog = page.getByRole('dialog');
    await visible(dialog.getByRole('list', { name: 'Channel types' }));
    await app.screenshot(page, '20-channel-types');

    // A WhatsApp channel without its phone number id: the refusal shows under the field.
    await dialog.getByRole('button', { name: /^WhatsApp/ }).click();
    await dialog.getByLabel('Name').fill('WhatsApp DE');
    await dialog.getByRole('button', { name: 'Add channel' }).click();
    await visible(dialog.getByText(/phone number id/i).first());
    await expect.poll(() => dialog.locator('[aria-invalid="true"]').count(), WAIT).toBeGreaterThan(0);
    await app.screenshot(page, '21-channel-form-errors');
    await dialog.getByRole('button', { name: 'Back' }).click();

    await dialog.getByRole('button', { name: /^Telegram/ }).click();
    await dialog.getByLabel('Name').fill('Telegram support bot');
    await dialog.locator('#secret-botToken').fill('123456:ABC-telegram-token');
    await dialog.getByRole('button', { name: 'Add channel' }).click();

    // The settings open on the new channel: registered with Telegram, the webhook URL, the generated token.
    await visible(dialog.getByText('Webhook registered with the platform: Webhook was set'));
    const url = await dialog.getByLabel('Webhook URL').inputValue();
    expect(url).toMatch(/^https:\/\/bot\.example-shop\.test\/hooks\/[\w-]+$/);
    const channelId = url.split('/').at(-1) ?? '';
    const stored = await new ChannelRepository(app.prisma, new SecretBox(WEB_TEST_SECRET_KEY)).get(channelId);
    expect(stored).toMatchObject({ type: 'telegram', name: 'Telegram support bot', credentials: { botToken: '123456:ABC-telegram-token' } });
    expect(stored?.credentials.secretToken).toMatch(/^[\w-]{32}$/);
    expect(await dialog.getByLabel('Verify token').inputValue()).toBe(stored?.credentials.secretToken);
    expect(calls.some((c) => c.path === `/admin/channels/${channelId}/register`)).toBe(true);
    // Stored secrets are never sent back to the browser: the field says it is set and stays empty.
    expect(await dialog.locator('#secret-botToken').inputValue()).toBe('');
    expect(await dialog.locator('#secret-botToken').getAttribute('placeholder')).toContain('stored');
    expect(await page.content()).not.toContain('123456:ABC-telegram-token');
    await app.screenshot(page, '22-channel-settings');

    await dialog.getByLabel('To', { exact: true }).fill('4242');
    await dialog.getByRole('button', { name: 'Send test' }).click();
    await textOf(dialog.getByTestId('test-result')).toContain('Not sent: 403: Forbidden: bot was blocked by the user');
    expect(calls.at(-1)).toEqual({ path: `/admin/channels/${channelId}/test`, body: { to: '4242', text: 'Hello from Signalbox: this is a test message.' } });
    await app.screenshot(page, '23-channel-test-message');

    await dialog.getByRole('button', { name: 'Disable' }).click();
    await visible(dialog.getByRole('button', { name: 'Enable' }));
    await dialog.getByRole('button', { name: 'Close' }).click();
    const row = page.locator(`[data-channel="${channelId}"]`);
    await textOf(row).toContain('disabled');
    await textOf(row).toContain('No events yet');
    await app.screenshot(page, '24-channels-list');
    expect((await app.prisma.channel.findUniqueOrThrow({ where: { id: channelId } })).enabled).toBe(false);
    await page.context().close();
  }, 120_000);
});
