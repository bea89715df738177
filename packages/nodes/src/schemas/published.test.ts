import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InboundEvent, contentText } from './events.ts';
import { schemaFiles } from './published.ts';

const committed = new URL('../../../../schemas/', import.meta.url);
const REGENERATE = 'the committed JSON Schema is stale: run `npm run generate:schemas -w @signalbox/nodes` and commit schemas/';

describe('published JSON Schemas', () => {
  const files = schemaFiles();

  it('publishes exactly the files schemaFiles() generates', () => {
    expect(existsSync(committed), REGENERATE).toBe(true);
    const present = readdirSync(committed).filter((f) => f.endsWith('.json')).sort();
    expect(present, REGENERATE).toEqual(Object.keys(files).sort());
  });

  it.each(Object.keys(files))('schemas/%s matches the zod schema it is generated from', (name) => {
    const path = new URL(name, committed);
    expect(existsSync(path), `schemas/${name} is missing: ${REGENERATE}`).toBe(true);
    // Compared as text: the files are generated, so formatting drift is drift too.
    expect(readFileSync(path, 'utf8'), `schemas/${name}: ${REGENERATE}`).toBe(files[name]);
  });

  it('describes each file by its own $id and title', () => {
    for (const [name, text] of Object.entries(files)) {
      const schema = JSON.parse(text) as { $id?: string; title?: string; $schema?: string };
      expect(schema.$id).toBe(`https://signalbox.dev/schemas/${name}`);
      expect(schema.title).toMatch(/^Signalbox /);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    }
  });
});

/** Events as the channel adapters normalize them, with trimmed raw payloads. */
const realEvents = {
  whatsappText: {
    kind: 'message',
    id: 'wamid.HBgLMzQ2MDAwMDAwMDAVAgASGBQzQUZCRDJCNkRFNEZCNTM5QjEzNAA=',
    channelType: 'whatsapp',
    timestamp: '2025-01-06T10:00:03.000Z',
    thread: { id: '34600000000' },
    messageId: 'wamid.HBgLMzQ2MDAwMDAwMDAVAgASGBQzQUZCRDJCNkRFNEZCNTM5QjEzNAA=',
    from: { id: '34600000000', name: 'Ada Lovelace', phone: '+34600000000' },
    to: { id: '106540352242922' },
    content: { type: 'text', text: 'Hola, ¿dónde está mi pedido?' },
    raw: { messaging_product: 'whatsapp', entry: [{ id: '1', changes: [] }] },
  },
  whatsappButton: {
    kind: 'message',
    id: 'wamid.button-1',
    channelType: 'whatsapp',
    timestamp: '2025-01-06T10:01:00Z',
    thread: { id: '34600000000' },
    messageId: 'wamid.button-1',
    from: { id: '34600000000' },
    content: { type: 'interactive', id: 'refund', title: 'Refund', kind: 'button' },
    replyTo: 'wamid.question-1',
    raw: {},
  },
  telegramPhoto: {
    kind: 'message',
    id: '987654321:55',
    channelType: 'telegram',
    timestamp: '2025-01-06T11:00:00+01:00',
    thread: { id: '-1001234567890', kind: 'group', title: 'Shop customers' },
    messageId: '55',
    from: { id: '12345', username: 'ada', locale: 'en' },
    content: { type: 'image', mediaId: 'AgACAgQAAxkBAAIB', mimeType: 'image/jpeg', size: 48213, caption: 'the broken lamp' },
    locale: 'en',
    raw: { update_id: 987654321 },
  },
  messengerPostback: {
    kind: 'message',
    id: 'm_postback_1',
    channelType: 'messenger',
    timestamp: '2025-01-06T10:00:00Z',
    thread: { id: '2457193' },
    messageId: 'm_postback_1',
    from: { id: '2457193' },
    content: { type: 'postback', payload: 'GET_STARTED', title: 'Get Started' },
    referral: { source: 'ADS', adId: '6045246247433' },
    raw: {},
  },
  whatsappLocation: {
    kind: 'message',
    id: 'wamid.loc',
    channelType: 'whatsapp',
    timestamp: '2025-01-06T10:00:00Z',
    thread: { id: '34600000000' },
    messageId: 'wamid.loc',
    from: { id: '34600000000' },
    content: { type: 'location', latitude: 40.4168, longitude: -3.7038, name: 'Puerta del Sol' },
    raw: {},
  },
  deliveryFailed: {
    kind: 'status',
    id: 'status-1',
    channelType: 'whatsapp',
    timestamp: '2025-01-06T10:00:05Z',
    thread: { id: '34600000000' },
    messageId: 'wamid.out-1',
    status: 'failed',
    error: { code: '131047', message: 'Re-engagement message' },
    raw: {},
  },
  telegramEdit: {
    kind: 'edit',
    id: 'edit-1',
    channelType: 'telegram',
    timestamp: '2025-01-06T10:02:00Z',
    thread: { id: '12345' },
    messageId: '54',
    from: { id: '12345' },
    content: { type: 'text', text: 'order 1234, not 1243' },
    raw: {},
  },
  reaction: {
    kind: 'reaction',
    id: 'reaction-1',
    channelType: 'whatsapp',
    timestamp: '2025-01-06T10:03:00Z',
    thread: { id: '34600000000' },
    messageId: 'wamid.out-1',
    from: { id: '34600000000' },
    emoji: '👍',
    raw: {},
  },
} as const;

describe('normalized inbound events', () => {
  it.each(Object.entries(realEvents))('accepts %s', (_name, event) => {
    const parsed = InboundEvent.safeParse(event);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('fills in defaults: a direct thread, not an echo, not a removed reaction', () => {
    const message = InboundEvent.parse(realEvents.whatsappText);
    expect(message).toMatchObject({ thread: { kind: 'direct' }, echo: false });
    expect(InboundEvent.parse(realEvents.reaction)).toMatchObject({ removed: false });
  });

  it('gives each message the plain text routing uses', () => {
    const texts = Object.values(realEvents).flatMap((event) => {
      const parsed = InboundEvent.parse(event);
      return parsed.kind === 'message' ? [contentText(parsed.content)] : [];
    });
    expect(texts).toEqual(['Hola, ¿dónde está mi pedido?', 'Refund', 'the broken lamp', 'Get Started', 'Puerta del Sol']);
  });

  it('rejects events that break the contract, by path', () => {
    const paths = (event: unknown) => {
      const parsed = InboundEvent.safeParse(event);
      return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
    };
    expect(paths({ ...realEvents.whatsappText, timestamp: '2025-01-06 10:00' })).toEqual(['timestamp']);
    expect(paths({ ...realEvents.whatsappText, from: { id: '' } })).toEqual(['from.id']);
    expect(paths({ ...realEvents.whatsappText, content: { type: 'hologram' } })).toEqual(['content.type']);
    expect(paths({ ...realEvents.deliveryFailed, status: 'lost' })).toEqual(['status']);
    expect(paths({ ...realEvents.whatsappText, kind: 'typing' })).toEqual(['kind']);
  });
});
