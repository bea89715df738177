import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../define.ts';
import { converse, flow, message, path, sentTexts, type ConversationOptions } from '../interpreter/testing.ts';

const json = (status: number, body: unknown): HttpResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** start -> call; success says the mapped variables, the error port (when wired) says the error. */
function callFlow(data: Record<string, unknown>, { errorPort = true, say = 'ok' } = {}) {
  return flow(
    {
      start: { type: 'start' },
      call: { type: 'http-request', data },
      ok: { type: 'send-message', data: { text: say } },
      oops: { type: 'send-message', data: { text: 'error: {{lastError}}' } },
    },
    ['start -> call', 'call -> ok', ...(errorPort ? ['call.error -> oops'] : [])],
    [{ name: 'orderId', default: 'A-77' }],
  );
}

async function call(data: Record<string, unknown>, http: ConversationOptions['http'], options: { errorPort?: boolean; say?: string } = {}) {
  const conversation = converse(callFlow(data, options), { http, contact: { name: 'Ada', attributes: { token: 's3cret' } } });
  const result = await conversation.send(message('where is my order?'));
  return { result, requests: conversation.requests };
}

describe('HTTP request: the request', () => {
  it('sends a GET with the templated URL and headers, no body, and the default timeout', async () => {
    const { requests } = await call(
      { url: 'https://shop.example.com/orders/{{orderId}}?name={{contact.name}}', headers: [{ name: 'Authorization', value: 'Bearer {{contact.token}}' }] },
      () => json(200, {}),
    );
    expect(requests).toEqual([
      {
        method: 'GET',
        url: 'https://shop.example.com/orders/A-77?name=Ada',
        headers: { Authorization: 'Bearer s3cret' },
        body: undefined,
        timeoutMs: 10_000,
      },
    ]);
  });

  it('sends a POST with the templated body as JSON, and the configured timeout', async () => {
    const { requests } = await call(
      { method: 'POST', url: 'https://crm.example.com/leads', body: '{"name":"{{contact.name}}","order":"{{orderId}}"}', timeoutMs: 2500 },
      () => json(201, {}),
    );
    expect(requests[0]).toEqual({
      method: 'POST',
      url: 'https://crm.example.com/leads',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"Ada","order":"A-77"}',
      timeoutMs: 2500,
    });
  });

  it('keeps a content type the flow set itself', async () => {
    const { requests } = await call(
      { method: 'PUT', url: 'https://crm.example.com/x', headers: [{ name: 'Content-Type', value: 'text/plain' }], body: 'hi' },
      () => json(200, {}),
    );
    expect(requests[0]?.headers).toEqual({ 'Content-Type': 'text/plain' });
  });

  it('fails without calling when the URL renders to something that is not http(s)', async () => {
    const flowWithUrlVariable = flow(
      {
        start: { type: 'start' },
        call: { type: 'http-request', data: { url: '{{target}}' } },
        oops: { type: 'send-message', data: { text: 'error: {{lastError}}' } },
      },
      ['start -> call', 'call.error -> oops'],
      [{ name: 'target', default: 'file:///etc/passwd' }],
    );
    const conversation = converse(flowWithUrlVariable, { http: () => json(200, {}) });
    const result = await conversation.send(message('hi'));
    expect(conversation.requests).toEqual([]);
    expect(sentTexts(result)).toEqual(['error: URL "file:///etc/passwd" is not http(s)']);
  });
});

describe('HTTP request: the response', () => {
  it('maps fields of the JSON response into variables and goes on by next', async () => {
    const { result } = await call(
      {
        url: 'https://shop.example.com/orders/1',
        responseMapping: [
          { variable: 'status', path: 'order.status' },
          { variable: 'firstItem', path: 'order.items.0.name' },
          { variable: 'missing', path: 'order.nope.deeper' },
          { variable: 'order', path: 'order' },
        ],
        statusVariable: 'httpStatus',
      },
      () => json(200, { order: { status: 'shipped', items: [{ name: 'Lamp' }] } }),
      { say: '{{status}}: {{firstItem}} ({{httpStatus}})' },
    );
    expect(result.state.variables).toMatchObject({
      status: 'shipped',
      firstItem: 'Lamp',
      httpStatus: 200,
      order: { status: 'shipped', items: [{ name: 'Lamp' }] },
    });
    expect(result.state.variables.missing).toBeUndefined();
    expect(sentTexts(result)).toEqual(['shipped: Lamp (200)']);
    expect(path(result)).toEqual(['start.next', 'call.next', 'ok.next']);
  });

  it('does not need a JSON body when nothing is mapped', async () => {
    const { result } = await call({ url: 'https://example.com/ping' }, () => ({ status: 204, headers: {}, body: '' }));
    expect(sentTexts(result)).toEqual(['ok']);
  });
});

describe('HTTP request: failures', () => {
  it.each([
    [404, 'HTTP 404'],
    [422, 'HTTP 422'],
    [500, 'HTTP 500'],
    [503, 'HTTP 503'],
  ])('routes a %i response to the error port, with the status stored', async (status, error) => {
    const { result } = await call({ url: 'https://x.example.com', statusVariable: 'code', responseMapping: [{ variable: 'v', path: 'a' }] }, () => json(status, { a: 1 }));
    expect(path(result)).toEqual(['start.next', 'call.error', 'oops.next']);
    expect(sentTexts(result)).toEqual([`error: ${error}`]);
    expect(result.state.variables).toMatchObject({ code: status, lastError: error });
    expect(result.state.variables.v).toBeUndefined();
    expect(result.failed).toBeNull();
  });

  it('routes a thrown error (network down, timeout) to the error port', async () => {
    const { result } = await call({ url: 'https://x.example.com' }, () => {
      throw new Error('connect ECONNREFUSED');
    });
    expect(sentTexts(result)).toEqual(['error: request failed: connect ECONNREFUSED']);
  });

  it('routes a rejected promise to the error port', async () => {
    const { result } = await call({ url: 'https://x.example.com' }, () => Promise.reject(new Error('aborted after 10000 ms')));
    expect(sentTexts(result)).toEqual(['error: request failed: aborted after 10000 ms']);
  });

  it('routes a response that is not JSON to the error port when fields must be mapped', async () => {
    const { result } = await call({ url: 'https://x.example.com', responseMapping: [{ variable: 'v', path: 'a' }] }, () => ({
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<html>Bad gateway</html>',
    }));
    expect(sentTexts(result)).toEqual(['error: response is not JSON']);
  });

  it('ends the run as failed when the error port is not connected', async () => {
    const { result } = await call({ url: 'https://x.example.com' }, () => json(500, {}), { errorPort: false });
    expect(result.failed).toBe('HTTP 500');
    expect(result.effects).toEqual([]);
    expect(result.state.cursor).toBeNull();
    expect(result.trace.at(-1)).toMatchObject({ nodeId: 'call', outcome: 'error', detail: 'HTTP 500', port: undefined });
  });
});

describe('HTTP request: URL encoding', () => {
  it('percent-encodes values substituted into the URL, but not a leading base-URL variable', async () => {
    const doc = flow(
      {
        start: { type: 'start' },
        call: { type: 'http-request', data: { url: '{{apiBase}}/orders/{{message.text}}?q={{message.text}}' } },
      },
      ['start -> call'],
      [{ name: 'apiBase', default: 'https://shop.example.com/api' }],
    );
    const conversation = converse(doc, { http: () => json(200, {}) });
    await conversation.send(message('7&admin=1/../x'));
    expect(conversation.requests[0]?.url).toBe('https://shop.example.com/api/orders/7%26admin%3D1%2F..%2Fx?q=7%26admin%3D1%2F..%2Fx');
  });
});
