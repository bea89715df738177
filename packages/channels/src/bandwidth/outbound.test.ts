import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboundMessage } from '@signalbox/nodes';
import type { ChannelSecrets } from '../adapter.ts';
import type { OutboundContext } from '../outbound.ts';
import { FakePlatform, type ScriptedAnswer } from '../testing/fake-platform.ts';
import { BandwidthConfig, BandwidthSecrets } from './config.ts';
import { bandwidthOutbound, BandwidthTokens } from './outbound.ts';

const ACCOUNT = '9900000';
const APPLICATION = '93de2206-9669-4e07-948d-329f4b722ee2';
const FROM = '+15550001111';
const now = new Date('2026-11-24T12:00:00Z');
const legacy = { apiUsername: 'api-user', apiPassword: 'api-pass' };
const basicOf = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let fake: FakePlatform;
beforeAll(async () => {
  fake = await new FakePlatform().start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.requests.length = 0;
});

function context(overrides: { secrets?: ChannelSecrets; to?: string; thread?: string; config?: Record<string, unknown> } = {}): OutboundContext {
  const to = overrides.to ?? '+15559990000';
  return {
    config: { apiBaseUrl: fake.url, tokenUrl: `${fake.url}/api/v1/oauth2/token`, accountId: ACCOUNT, applicationId: APPLICATION, from: FROM, ...overrides.config },
    secrets: overrides.secrets ?? legacy,
    to,
    thread: overrides.thread ?? to,
    threadTitle: null,
    inReplyTo: null,
    idempotencyKey: 'outbox-7',
    lastInboundAt: null,
    now,
  };
}

function render(message: unknown, ctx: OutboundContext = context()) {
  const rendered = bandwidthOutbound.render(OutboundMessage.parse(message), ctx);
  if (!rendered.ok) throw new Error(rendered.error);
  return rendered;
}

const accepted = (id: string): ScriptedAnswer => ({
  status: 202,
  body: { id, owner: FROM, applicationId: APPLICATION, time: '2026-11-24T12:00:00.000Z', segmentCount: 1, direction: 'out', to: ['+15559990000'], from: FROM, text: 'x', tag: 'outbox-7' },
});

describe('Bandwidth render + send against the Messaging API', () => {
  it('a text: POST /api/v2/users/{accountId}/messages, JSON with applicationId, to[], from, text, tag; externalId = id', async () => {
    fake.reply(accepted('1661365814859loidf7mcwd4qacn7'));
    const ctx = context();
    const rendered = render({ type: 'text', text: 'Hello' }, ctx);
    expect(await bandwidthOutbound.send(rendered.calls, ctx)).toEqual({ ok: true, externalId: '1661365814859loidf7mcwd4qacn7' });
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/api/v2/users/${ACCOUNT}/messages`);
    expect(request?.headers.authorization).toBe(basicOf(legacy.apiUsername, legacy.apiPassword));
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.json).toEqual({ applicationId: APPLICATION, to: ['+15559990000'], from: FROM, text: 'Hello', tag: 'outbox-7' });
  });

  it('buttons become numbered options; media goes as a media URL (MMS)', () => {
    const rendered = render({ type: 'media', attachment: { type: 'image', url: 'https://cdn.example.com/a.png' }, caption: 'Which size?', buttons: [{ id: 's', title: 'Small' }, { id: 'l', title: 'Large' }] });
    expect(rendered.calls[0]?.body).toEqual({ applicationId: APPLICATION, to: ['+15559990000'], from: FROM, text: 'Which size?\n\n1. Small\n2. Large', tag: 'outbox-7', media: ['https://cdn.example.com/a.png'] });
    expect(rendered.degraded).toEqual(['2 buttons sent as numbered options']);
  });

  it('a list becomes numbered rows; a template its fallback text', () => {
    const list = render({ type: 'list', text: 'Pick', buttonTitle: 'Open', sections: [{ title: 'x', rows: [{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }] }] });
    expect(list.calls[0]?.body).toMatchObject({ text: 'Pick\n\n1. A\n2. B' });
    const template = render({ type: 'template', name: 'hello', language: 'en', fallbackText: 'Hello again' });
    expect(template.calls[0]?.body).toMatchObject({ text: 'Hello again' });
    expect(template.degraded).toEqual(['template "hello" sent as its fallback text']);
  });

  it('a text over the segment budget is split into several messages, the media on the first', () => {
    const text = 'Sentence number one. '.repeat(120);
    const rendered = render({ type: 'media', attachment: { type: 'image', url: 'https://cdn.example.com/a.png' }, caption: text });
    expect(rendered.calls.length).toBe(2);
    expect(rendered.calls[0]?.body).toHaveProperty('media');
    expect(rendered.calls[1]?.body).not.toHaveProperty('media');
    expect(rendered.degraded).toEqual(['text split into 2 messages (over 2048 characters / 10 segments)']);
  });

  it('a group thread is answered to every participant but our number', () => {
    const rendered = render({ type: 'text', text: 'Hi all' }, context({ to: '+15553330000', thread: '+15550001111,+15552220000,+15553330000' }));
    expect(rendered.calls[0]?.body).toMatchObject({ to: ['+15552220000', '+15553330000'] });
  });

  it('refuses to render without API credentials', () => {
    expect(bandwidthOutbound.render(OutboundMessage.parse({ type: 'text', text: 'x' }), context({ secrets: { callbackUsername: 'a', callbackPassword: 'b' } }))).toMatchObject({ ok: false });
  });
});

describe('Bandwidth OAuth 2.0 client credentials', () => {
  const oauth = { clientId: 'client-1', clientSecret: 'secret-1' };
  const token = (value: string): ScriptedAnswer => ({ status: 200, body: { access_token: value, token_type: 'Bearer', expires_in: 3600 } });

  it('fetches a bearer token once, then sends with it', async () => {
    const secrets = { clientId: 'client-a', clientSecret: 'secret-a' };
    fake.reply(token('tok-a'), accepted('m1'), accepted('m2'));
    const ctx = context({ secrets });
    const rendered = render({ type: 'text', text: 'Hi' }, ctx);
    expect(rendered.calls[0]?.headers.authorization).toBeUndefined();
    expect(await bandwidthOutbound.send(rendered.calls, ctx)).toEqual({ ok: true, externalId: 'm1' });
    expect(await bandwidthOutbound.send(rendered.calls, ctx)).toEqual({ ok: true, externalId: 'm2' });
    expect(fake.requests.map((r) => r.path)).toEqual(['/api/v1/oauth2/token', `/api/v2/users/${ACCOUNT}/messages`, `/api/v2/users/${ACCOUNT}/messages`]);
    expect(fake.requests[0]?.headers.authorization).toBe(basicOf(secrets.clientId, secrets.clientSecret));
    expect(fake.requests[0]?.body).toBe('grant_type=client_credentials');
    expect(fake.requests[1]?.headers.authorization).toBe('Bearer tok-a');
    expect(fake.requests[2]?.headers.authorization).toBe('Bearer tok-a');
  });

  it('a 401 with a cached token fetches a fresh token and sends once more', async () => {
    const secrets = { clientId: 'client-b', clientSecret: 'secret-b' };
    fake.reply(token('old'), { status: 401, body: { type: 'unauthorized', description: 'Authentication Failed' } }, token('new'), accepted('m3'));
    const ctx = context({ secrets });
    expect(await bandwidthOutbound.send(render({ type: 'text', text: 'Hi' }, ctx).calls, ctx)).toEqual({ ok: true, externalId: 'm3' });
    expect(fake.requests[3]?.headers.authorization).toBe('Bearer new');
  });

  it('a refused client secret is a permanent failure; an unreachable token service is retried', async () => {
    fake.reply({ status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } });
    const ctx = context({ secrets: oauth });
    expect(await bandwidthOutbound.send(render({ type: 'text', text: 'Hi' }, ctx).calls, ctx)).toEqual({
      ok: false,
      retry: false,
      error: 'oauth token: Client authentication failed',
    });
    fake.reply({ status: 503, body: 'down' });
    expect(await bandwidthOutbound.send(render({ type: 'text', text: 'Hi' }, ctx).calls, ctx)).toMatchObject({ ok: false, retry: true });
  });

  it('many sends waiting for a token share one token request', async () => {
    const tokens = new BandwidthTokens();
    fake.reply(token('shared'));
    const credentials = { tokenUrl: `${fake.url}/api/v1/oauth2/token`, clientId: 'client-c', clientSecret: 'secret-c' };
    const results = await Promise.all([tokens.get(credentials, now), tokens.get(credentials, now), tokens.get(credentials, now)]);
    expect(results).toEqual([
      { ok: true, accessToken: 'shared' },
      { ok: true, accessToken: 'shared' },
      { ok: true, accessToken: 'shared' },
    ]);
    expect(fake.requests).toHaveLength(1);
    // Close to expiry, a new token is fetched.
    fake.reply(token('renewed'));
    expect(await tokens.get(credentials, new Date(now.getTime() + 3590 * 1000))).toEqual({ ok: true, accessToken: 'renewed' });
  });
});

describe('Bandwidth errors', () => {
  const one = () => render({ type: 'text', text: 'Hi' }).calls;

  it('429 is retried after Retry-After', async () => {
    fake.reply({ status: 429, headers: { 'retry-after': '2' }, body: { type: 'too-many-requests', description: 'Too many requests' } });
    expect(await bandwidthOutbound.send(one(), context())).toEqual({ ok: false, retry: true, retryAfterMs: 2000, error: 'too-many-requests: Too many requests' });
  });

  it('5xx is retried', async () => {
    fake.reply({ status: 500, body: { type: 'internal-error', description: 'Something went wrong' } });
    expect(await bandwidthOutbound.send(one(), context())).toMatchObject({ ok: false, retry: true, error: 'internal-error: Something went wrong' });
  });

  it('400 is permanent, with the field errors', async () => {
    fake.reply({
      status: 400,
      body: { type: 'request-validation', description: 'Your request could not be accepted', fieldErrors: [{ fieldName: 'to', description: "'+1invalid' must be replaced with a valid E164 formatted telephone number" }] },
    });
    expect(await bandwidthOutbound.send(one(), context())).toEqual({
      ok: false,
      retry: false,
      error: "request-validation: Your request could not be accepted - to: '+1invalid' must be replaced with a valid E164 formatted telephone number",
    });
  });

  it.each([
    [401, 'unauthorized', 'Authentication Failed'],
    [403, 'forbidden', 'Access Denied'],
  ])('%i is permanent', async (status, type, description) => {
    fake.reply({ status, body: { type, description } });
    expect(await bandwidthOutbound.send(one(), context())).toEqual({ ok: false, retry: false, error: `${type}: ${description}` });
  });

  it('declares one message per second per account by default (the sender applies messagesPerSecond)', () => {
    expect(bandwidthOutbound.limits).toEqual({ perAccount: { messages: 1, perMs: 1000 } });
  });
});

describe('Bandwidth settings', () => {
  it('fills the defaults and wants the number in E.164', () => {
    expect(BandwidthConfig.parse({ accountId: ACCOUNT, applicationId: APPLICATION, from: FROM })).toEqual({
      apiBaseUrl: 'https://messaging.bandwidth.com',
      tokenUrl: 'https://api.bandwidth.com/api/v1/oauth2/token',
      accountId: ACCOUNT,
      applicationId: APPLICATION,
      from: FROM,
      messagesPerSecond: 1,
      maxSegments: 10,
    });
    expect(BandwidthConfig.safeParse({ accountId: ACCOUNT, applicationId: APPLICATION, from: '5550001111' }).success).toBe(false);
  });

  it('needs API credentials (OAuth or legacy) besides the callback credentials', () => {
    const callback = { callbackUsername: 'u', callbackPassword: 'p' };
    expect(BandwidthSecrets.safeParse(callback).success).toBe(false);
    expect(BandwidthSecrets.safeParse({ ...callback, clientId: 'c', clientSecret: 's' }).success).toBe(true);
    expect(BandwidthSecrets.safeParse({ ...callback, ...legacy }).success).toBe(true);
  });
});
