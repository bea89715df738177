import { describe, expect, it } from 'vitest';
import { historyMessage, parseRequest, presentedToken, tokenMatches } from './protocol.ts';

const NOW = new Date('2026-11-23T10:00:00Z');
const message = { type: 'message', id: 'm-1', conversationId: 'c-1', from: { id: 'u-1', name: 'Ana' }, text: 'hola' };

describe('WebSocket API frames', () => {
  it('parses a message with the generic webhook parser and marks it as a websocket event', () => {
    const parsed = parseRequest(JSON.stringify(message), NOW);
    expect(parsed).toMatchObject({ ok: true, request: { type: 'message', id: 'm-1', event: { id: 'm-1', channelType: 'websocket', thread: { id: 'c-1' }, content: { type: 'text', text: 'hola' } } } });
  });

  it('names every field at fault in a message, keeping its id', () => {
    const parsed = parseRequest(JSON.stringify({ type: 'message', id: 'm-2', conversationId: '', from: { name: 'x' }, text: 'hi' }), NOW);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toBe('invalid_message');
    expect(parsed.id).toBe('m-2');
    expect(parsed.issues.map((i) => i.path).sort()).toEqual(['$.conversationId', '$.from.id']);
    expect(parseRequest(JSON.stringify({ ...message, text: undefined }), NOW)).toMatchObject({ ok: false, issues: [{ path: '$.text', message: 'a message needs text, reply or attachments' }] });
  });

  it('answers malformed JSON and unknown request types with the path at fault', () => {
    expect(parseRequest('{"type": "message", ')).toMatchObject({ ok: false, error: 'malformed_json', issues: [{ path: '$' }] });
    expect(parseRequest(JSON.stringify({ type: 'subscribe' }))).toMatchObject({ ok: false, error: 'invalid_request', issues: [{ path: '$.type' }] });
    expect(parseRequest('[]')).toMatchObject({ ok: false, error: 'invalid_request', issues: [{ path: '$' }] });
  });

  it('validates a history request and defaults its limit', () => {
    expect(parseRequest(JSON.stringify({ type: 'history', conversationId: 'c-1' }))).toEqual({ ok: true, request: { type: 'history', conversationId: 'c-1', limit: 200 } });
    expect(parseRequest(JSON.stringify({ type: 'history', conversationId: 7, limit: 0 }))).toMatchObject({ ok: false, error: 'invalid_request' });
  });
});

describe('WebSocket API authentication', () => {
  it('takes a bearer token first, then the token query parameter', () => {
    expect(presentedToken('Bearer abc', { token: 'def' })).toBe('abc');
    expect(presentedToken('bearer  abc ', {})).toBe('abc');
    expect(presentedToken(undefined, { token: 'def' })).toBe('def');
    expect(presentedToken('Basic abc', {})).toBeNull();
    expect(presentedToken(undefined, { token: '' })).toBeNull();
    expect(presentedToken(undefined, { token: ['a', 'b'] })).toBeNull();
  });

  it('matches only the exact secret, and never an empty one', () => {
    expect(tokenMatches('s3cret', 's3cret')).toBe(true);
    expect(tokenMatches('s3cret', 's3cre')).toBe(false);
    expect(tokenMatches('s3cret', 's3cret-and-more')).toBe(false);
    expect(tokenMatches(undefined, '')).toBe(false);
    expect(tokenMatches('', '')).toBe(false);
  });
});

describe('history entries', () => {
  const stored = { id: 'db-1', externalId: null, status: 'sent', createdAt: '2026-11-23T10:00:01.000Z' };

  it('shows a reply as the webhook outbound body: list rows become buttons, a template its fallback text', () => {
    const list = { type: 'list', text: 'Pick one', buttonTitle: 'Options', sections: [{ title: 'A', rows: [{ id: 'r1', title: 'One' }] }] };
    expect(historyMessage({ ...stored, direction: 'out', content: list }, 'c-1')).toEqual({
      id: 'db-1', conversationId: 'c-1', direction: 'out', status: 'sent', createdAt: stored.createdAt, text: 'Pick one', buttons: [{ id: 'r1', title: 'One' }], attachments: [],
    });
    const template = { type: 'template', name: 'order_update', language: 'en', parameters: [], fallbackText: 'Your order shipped' };
    expect(historyMessage({ ...stored, direction: 'out', content: template }, 'c-1')).toMatchObject({ text: 'Your order shipped', buttons: [] });
  });

  it("shows a customer's message with the client's id, its button choice and its attachments", () => {
    const choice = historyMessage({ ...stored, externalId: 'm-9', direction: 'in', status: 'received', content: { type: 'interactive', id: 'yes', title: 'Yes', kind: 'button' } }, 'c-1');
    expect(choice).toMatchObject({ messageId: 'm-9', text: 'Yes', reply: { id: 'yes', title: 'Yes' }, attachments: [] });
    const image = historyMessage({ ...stored, direction: 'in', content: { type: 'image', url: 'https://x/y.png', mimeType: 'image/png', caption: 'label' } }, 'c-1');
    expect(image).toMatchObject({ text: 'label', attachments: [{ type: 'image', url: 'https://x/y.png', mimeType: 'image/png' }] });
  });
});
