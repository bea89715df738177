import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakePlatform } from '../testing/fake-platform.ts';
import { SECRET_TOKEN_PATTERN, telegramSetup, TelegramSecrets } from './config.ts';
import { generateSecret } from '../setup.ts';
import { registerTelegramWebhook, TELEGRAM_ALLOWED_UPDATES } from './set-webhook.ts';

const SECRETS = { botToken: '123456:TEST-token', secretToken: 'S3cret_token-for-tests' };
const HOOK = 'https://signalbox.example.com/hooks/ch-telegram';
let platform: FakePlatform;

beforeAll(async () => {
  platform = await new FakePlatform().start();
});
afterAll(() => platform.stop());
beforeEach(() => {
  platform.requests.length = 0;
});

const config = () => ({ apiBaseUrl: platform.url });

describe('registerTelegramWebhook', () => {
  it('calls setWebhook with the secret token, the update types the adapter reads, and keeps pending updates', async () => {
    platform.reply({ status: 200, body: { ok: true, result: true, description: 'Webhook was set' } });
    const result = await registerTelegramWebhook(config(), SECRETS, HOOK);
    expect(result).toEqual({ ok: true, description: 'Webhook was set' });
    expect(platform.requests).toHaveLength(1);
    const request = platform.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/bot${SECRETS.botToken}/setWebhook`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.json).toEqual({ url: HOOK, secret_token: SECRETS.secretToken, allowed_updates: [...TELEGRAM_ALLOWED_UPDATES], drop_pending_updates: false });
    expect(TELEGRAM_ALLOWED_UPDATES).toContain('message_reaction');
  });

  it("passes Telegram's refusal on, with its description", async () => {
    platform.reply({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: bad webhook: Failed to resolve host: Name or service not known' } });
    expect(await registerTelegramWebhook(config(), SECRETS, HOOK)).toEqual({ ok: false, retry: false, error: '400: Bad Request: bad webhook: Failed to resolve host: Name or service not known' });
  });

  it('a revoked token is a permanent failure; flood control may be retried', async () => {
    platform.reply({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect(await registerTelegramWebhook(config(), SECRETS, HOOK)).toEqual({ ok: false, retry: false, error: '401: Unauthorized' });
    platform.reply({ status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 2', parameters: { retry_after: 2 } } });
    expect(await registerTelegramWebhook(config(), SECRETS, HOOK)).toMatchObject({ ok: false, retry: true });
  });

  it.each([
    ['an http URL', 'http://signalbox.example.com/hooks/x', 'HTTPS'],
    ['a port Telegram does not call', 'https://signalbox.example.com:3000/hooks/x', '3000'],
    ['not a URL', 'hooks/x', 'not a URL'],
  ])('refuses %s before calling Telegram', async (_name, url, message) => {
    const result = await registerTelegramWebhook(config(), SECRETS, url);
    expect(result).toEqual({ ok: false, retry: false, error: expect.stringContaining(message) });
    expect(platform.requests).toHaveLength(0);
  });

  it('names the setting at fault before calling Telegram', async () => {
    expect(await registerTelegramWebhook(config(), { ...SECRETS, secretToken: 'has spaces!' }, HOOK)).toEqual({ ok: false, retry: false, error: expect.stringContaining('secrets.secretToken') });
    expect(await registerTelegramWebhook(config(), { secretToken: SECRETS.secretToken }, HOOK)).toEqual({ ok: false, retry: false, error: expect.stringContaining('secrets.botToken') });
    expect(await registerTelegramWebhook({ apiBaseUrl: 'nope' }, SECRETS, HOOK)).toEqual({ ok: false, retry: false, error: expect.stringContaining('config.apiBaseUrl') });
    expect(platform.requests).toHaveLength(0);
  });
});

describe('telegram setup', () => {
  it('generates secret tokens Telegram accepts, different each time', () => {
    const first = generateSecret();
    expect(first).toMatch(SECRET_TOKEN_PATTERN);
    expect(generateSecret()).not.toBe(first);
    expect(TelegramSecrets.safeParse({ botToken: SECRETS.botToken, secretToken: first }).success).toBe(true);
  });

  it.each(['', 'a'.repeat(257), 'with space', 'émoji'])('refuses the secret token %j', (secretToken) => {
    expect(TelegramSecrets.safeParse({ botToken: SECRETS.botToken, secretToken }).success).toBe(false);
  });

  it('gives every field a title and a description for the settings form, and defaults the API URL', () => {
    for (const schema of [telegramSetup.config, telegramSetup.secrets]) {
      for (const field of Object.values(schema.shape)) {
        expect(field.meta()).toMatchObject({ title: expect.any(String), description: expect.any(String) });
      }
    }
    expect(telegramSetup.config.parse({})).toEqual({ apiBaseUrl: 'https://api.telegram.org' });
  });
});
