import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { OutboundMessage } from '@signalbox/nodes';
import type { OutboundContext, PlatformCall } from '../outbound.ts';
import { FakePlatform } from '../testing/fake-platform.ts';
import { CHATWOOT_MAX_CONTENT, chatwootOutbound } from './outbound.ts';

let platform: FakePlatform;
beforeEach(async () => {
  platform = await new FakePlatform(() => ({ status: 200, body: { id: 501, content: 'ok', message_type: 1 } })).start();
});
afterEach(async () => {
  await platform.stop();
});

function context(overrides: Partial<OutboundContext> = {}, config: Record<string, unknown> = {}): OutboundContext {
  return {
    config: { apiBaseUrl: platform.url, accountId: 1, ...config },
    secrets: { apiAccessToken: 'bot-token-123' },
    to: '14',
    thread: '1:10',
    threadTitle: null,
    inReplyTo: '118',
    idempotencyKey: 'outbox-5',
    lastInboundAt: null,
    now: new Date('2026-11-24T00:00:00Z'),
    ...overrides,
  };
}

function render(message: OutboundMessage, ctx: OutboundContext = context()): { calls: PlatformCall[]; degraded: string[] } {
  const rendered = chatwootOutbound.render(message, ctx);
  if (!rendered.ok) throw new Error(rendered.error);
  return rendered;
}

async function renderAndSend(message: OutboundMessage, ctx: OutboundContext = context()) {
  const { calls, degraded } = render(message, ctx);
  const result = await chatwootOutbound.send(calls, ctx);
  return { result, degraded, request: platform.requests.at(-1) };
}

const text = (value: string, buttons: { id: string; title: string }[] = [], quickReplies = false): OutboundMessage => ({ type: 'text', text: value, buttons, quickReplies });

describe('chatwoot render and send', () => {
  it('posts a text into the thread\'s conversation with the bot token; the externalId is the answer\'s id', async () => {
    const { result, degraded, request } = await renderAndSend(text('Your parcel left today.'));
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/v1/accounts/1/conversations/10/messages');
    expect(request?.headers['api_access_token']).toBe('bot-token-123');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.json).toEqual({ content: 'Your parcel left today.', message_type: 'outgoing', private: false });
    expect(result).toEqual({ ok: true, externalId: '501' });
    expect(degraded).toEqual([]);
  });

  it('keeps a path prefix of a self-hosted installation', async () => {
    const ctx = context({}, { apiBaseUrl: `${platform.url}/chatwoot/` });
    await renderAndSend(text('hi'), ctx);
    expect(platform.requests[0]?.path).toBe('/chatwoot/api/v1/accounts/1/conversations/10/messages');
  });

  it('sends buttons and quick replies as an input_select whose values are the button ids', async () => {
    const { request, degraded } = await renderAndSend(text('Was this helpful?', [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }]));
    expect(request?.json).toEqual({
      content: 'Was this helpful?',
      message_type: 'outgoing',
      private: false,
      content_type: 'input_select',
      content_attributes: { items: [{ title: 'Yes', value: 'yes' }, { title: 'No', value: 'no' }] },
    });
    expect(degraded).toEqual([]);
    const quick = render(text('Size?', [{ id: 's', title: 'S' }], true)).calls[0]?.body;
    expect(quick).toMatchObject({ content_type: 'input_select', content_attributes: { items: [{ title: 'S', value: 's' }] } });
  });

  it('sends a list as options, saying what was dropped', async () => {
    const list: OutboundMessage = {
      type: 'list',
      text: 'Pick a slot',
      buttonTitle: 'Slots',
      sections: [
        { title: 'Monday', rows: [{ id: 'mon-am', title: 'Morning', description: '8-12' }] },
        { title: 'Tuesday', rows: [{ id: 'tue-am', title: 'Morning (Tue)' }] },
      ],
    };
    const { request, degraded } = await renderAndSend(list);
    expect(request?.json).toMatchObject({ content: 'Pick a slot', content_type: 'input_select', content_attributes: { items: [{ title: 'Morning', value: 'mon-am' }, { title: 'Morning (Tue)', value: 'tue-am' }] } });
    expect(degraded).toEqual(['list sent as options: the button title is dropped', 'list sections flattened', 'row descriptions dropped']);
  });

  it('sends media as a link under the caption (uploads are multipart), with its buttons', async () => {
    const media: OutboundMessage = { type: 'media', attachment: { type: 'image', url: 'https://cdn.shop.example/p/1.jpg' }, caption: 'Here it is', buttons: [{ id: 'buy', title: 'Buy' }] };
    const { request, degraded } = await renderAndSend(media);
    expect(request?.json).toMatchObject({ content: 'Here it is\nhttps://cdn.shop.example/p/1.jpg', content_type: 'input_select', content_attributes: { items: [{ title: 'Buy', value: 'buy' }] } });
    expect(degraded).toEqual(['media sent as a link']);
  });

  it('sends a template as its fallback text', async () => {
    const { request, degraded } = await renderAndSend({ type: 'template', name: 'order_update', language: 'en', parameters: [], fallbackText: 'Order 1042 shipped.' });
    expect(request?.json).toEqual({ content: 'Order 1042 shipped.', message_type: 'outgoing', private: false });
    expect(degraded).toEqual(['template sent as its fallback text']);
  });

  it('with interactive options off, choices become numbered lines', () => {
    const { calls, degraded } = render(text('Was this helpful?', [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }]), context({}, { interactiveOptions: false }));
    expect(calls[0]?.body).toEqual({ content: 'Was this helpful?\n\n1. Yes\n2. No', message_type: 'outgoing', private: false });
    expect(degraded).toEqual(['options sent as numbered lines (interactive options are off for this channel)']);
  });

  it('cuts a text longer than Chatwoot\'s 150,000 characters', () => {
    const { calls, degraded } = render(text('x'.repeat(CHATWOOT_MAX_CONTENT + 10)));
    const { content } = z.object({ content: z.string() }).parse(calls[0]?.body);
    expect(content).toHaveLength(CHATWOOT_MAX_CONTENT);
    expect(content.endsWith('x…')).toBe(true);
    expect(degraded).toEqual([`text cut to ${CHATWOOT_MAX_CONTENT} characters`]);
  });

  it('refuses threads of another account, threads that are not conversations, and a missing token or URL', () => {
    expect(chatwootOutbound.render(text('hi'), context({ thread: '2:10' }))).toEqual({ ok: false, error: 'thread 2:10 belongs to account 2, the channel to account 1' });
    expect(chatwootOutbound.render(text('hi'), context({ thread: '10' }))).toMatchObject({ ok: false });
    expect(chatwootOutbound.render(text('hi'), context({ secrets: {} }))).toEqual({ ok: false, error: 'the channel has no apiAccessToken' });
    const noUrl = chatwootOutbound.render(text('hi'), { ...context(), config: { accountId: 1 } });
    expect(noUrl.ok === false && noUrl.error).toContain('apiBaseUrl');
  });
});

describe('chatwoot answers', () => {
  it('429 is retried after Retry-After', async () => {
    platform.reply({ status: 429, headers: { 'retry-after': '30' }, body: 'Retry later\n' });
    const { result } = await renderAndSend(text('hi'));
    expect(result).toEqual({ ok: false, retry: true, retryAfterMs: 30_000, error: 'HTTP 429: Retry later' });
  });

  it('5xx and an unreachable server are retried', async () => {
    platform.reply({ status: 502, body: '<html>Bad gateway</html>' });
    expect((await renderAndSend(text('hi'))).result).toMatchObject({ ok: false, retry: true });
    const ctx = context({}, { apiBaseUrl: 'http://127.0.0.1:1' });
    expect(await chatwootOutbound.send(render(text('hi'), ctx).calls, ctx)).toMatchObject({ ok: false, retry: true });
  });

  it.each([
    [401, { error: 'Invalid Access Token' }, 'HTTP 401: Invalid Access Token'],
    [404, { error: 'Resource could not be found' }, 'HTTP 404: Resource could not be found'],
    [422, { message: 'Content attributes At least one item is required.', attributes: ['content_attributes'] }, 'HTTP 422: Content attributes At least one item is required.'],
    [401, { errors: ['You need to sign in or sign up before continuing.'] }, 'HTTP 401: You need to sign in or sign up before continuing.'],
  ])('%i %j fails for good with Chatwoot\'s reason', async (status, body, error) => {
    platform.reply({ status, body });
    expect((await renderAndSend(text('hi'))).result).toEqual({ ok: false, retry: false, retryAfterMs: undefined, error });
  });

  it('422 "Too many messages" is the per-conversation throttle: retried after a minute', async () => {
    platform.reply({ status: 422, body: { message: 'Too many messages', attributes: ['base'] } });
    expect((await renderAndSend(text('hi'))).result).toEqual({ ok: false, retry: true, retryAfterMs: 60_000, error: 'HTTP 422: Too many messages' });
  });

  it('a 2xx without an id is sent, with no externalId', async () => {
    platform.reply({ status: 200, body: {} });
    expect((await renderAndSend(text('hi'))).result).toEqual({ ok: true, externalId: null });
  });
});
