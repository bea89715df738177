import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { MQTT_MAX_PAYLOAD_BYTES, normalizeMqtt, threadOfTopic } from './normalize.ts';

const now = new Date('2026-11-23T10:00:00Z');
const message = (fields: Record<string, unknown> = {}) => ({ id: 'evt-1', from: { id: 'u-7', name: 'Ana', locale: 'es' }, text: 'hola', ...fields });
const publish = (topic: string, body: unknown, filter = 'shop/+/in') =>
  normalizeMqtt({ topic, payload: Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) }, filter, now);

const schemaPath = join(dirname(fileURLToPath(import.meta.url)), '../../../../schemas/inbound-event.json');
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

describe('an MQTT publication as a normalized message', () => {
  it('reads the generic webhook body and keeps the topic with the raw payload', () => {
    const result = publish('shop/c-42/in', message({ conversationId: 'c-9', timestamp: '2026-11-23T09:00:00Z' }));
    expect(result).toEqual({
      ok: true,
      event: {
        kind: 'message',
        id: 'evt-1',
        channelType: 'mqtt',
        timestamp: '2026-11-23T09:00:00Z',
        thread: { id: 'c-9', kind: 'direct' },
        raw: { topic: 'shop/c-42/in', payload: message({ conversationId: 'c-9', timestamp: '2026-11-23T09:00:00Z' }) },
        messageId: 'evt-1',
        from: { id: 'u-7', name: 'Ana', locale: 'es' },
        content: { type: 'text', text: 'hola' },
        locale: 'es',
        echo: false,
      },
    });
    expect(validate(result.ok && result.event), JSON.stringify(validate.errors)).toBe(true);
  });

  it('takes the conversation from the wildcard when the body has no conversationId', () => {
    const result = publish('shop/c-42/in', message());
    expect(result.ok && result.event.thread.id).toBe('c-42');
    expect(result.ok && result.event.timestamp).toBe(now.toISOString());
    expect(result.ok && (result.event.raw as { payload: unknown }).payload).toEqual(message());
  });

  it('joins what several wildcards matched, and uses the whole topic when a filter has none', () => {
    const several = publish('shop/eu/in/store-3/kiosk', message(), 'shop/+/in/#');
    expect(several.ok && several.event.thread.id).toBe('eu/store-3/kiosk');
    const fixed = publish('kiosk/lobby', message(), 'kiosk/lobby');
    expect(fixed.ok && fixed.event.thread.id).toBe('kiosk/lobby');
    expect(threadOfTopic('shop/#', 'shop')).toBe('shop');
    expect(threadOfTopic('shop/+/in', 'shop//in')).toBe('shop//in');
  });

  it('keeps button replies and attachments as the webhook does', () => {
    const reply = publish('shop/c-1/in', { id: 'e', from: { id: 'u' }, reply: { id: 'yes', title: 'Yes' } });
    expect(reply.ok && reply.event.content).toEqual({ type: 'interactive', id: 'yes', title: 'Yes', kind: 'button' });
    const photo = publish('shop/c-1/in', { id: 'e', from: { id: 'u' }, text: 'look', attachments: [{ type: 'image', url: 'https://cdn.example/p.jpg' }] });
    expect(photo.ok && photo.event.content).toMatchObject({ type: 'image', url: 'https://cdn.example/p.jpg', caption: 'look' });
  });

  it('refuses a payload that is not JSON, saying where it broke', () => {
    const result = publish('shop/c-1/in', '{"id": "x", ');
    expect(result).toMatchObject({ ok: false, error: 'malformed_body', issues: [{ path: '$' }] });
    expect(!result.ok && result.issues[0]?.message).toContain('not JSON');
  });

  it('names every field at fault in a JSON payload that is not a message', () => {
    const result = publish('shop/c-1/in', { id: 5, conversationId: '', from: { name: 'x' }, text: 'hi' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toBe('invalid_body');
    expect(!result.ok && result.issues.map((i) => i.path).sort()).toEqual(['$.conversationId', '$.from.id', '$.id']);
  });

  it('refuses a message with nothing in it, and JSON that is not an object', () => {
    const empty = publish('shop/c-1/in', { id: 'e', from: { id: 'u' } });
    expect(empty).toMatchObject({ ok: false, error: 'invalid_body', issues: [{ path: '$.text', message: 'a message needs text, reply or attachments' }] });
    expect(publish('shop/c-1/in', [1, 2])).toMatchObject({ ok: false, error: 'invalid_body' });
    expect(publish('shop/c-1/in', '"hola"')).toMatchObject({ ok: false, error: 'invalid_body' });
  });

  it('refuses a topic its filter does not cover (a stale subscription of a persistent session)', () => {
    expect(publish('other/c-1/in', message())).toMatchObject({ ok: false, error: 'topic_mismatch', issues: [{ path: 'topic' }] });
  });

  it('refuses a conversation taken from the topic when it is longer than conversationId may be', () => {
    const result = publish(`shop/${'x'.repeat(201)}/in`, message());
    expect(result).toMatchObject({ ok: false, error: 'invalid_body', issues: [{ path: 'topic' }] });
    expect(publish(`shop/${'x'.repeat(201)}/in`, message({ conversationId: 'c-1' })).ok).toBe(true);
  });

  it('refuses a payload over the size limit before reading it', () => {
    const result = publish('shop/c-1/in', Buffer.alloc(MQTT_MAX_PAYLOAD_BYTES + 1, 0x20));
    expect(result).toMatchObject({ ok: false, error: 'too_large' });
  });
});
