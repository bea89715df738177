import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { InboundEvent } from '@signalbox/nodes';
import { inboundAdapter } from './registry.ts';
import { allFixtures, fixture } from './testing/fixtures.ts';

/**
 * Every file under the shared channel fixtures normalizes with its folder's adapter, and every event it gives
 * validates against the published JSON Schema (schemas/inbound-event.json). New files are picked up; a new
 * folder fails until it is mapped to an adapter here. Per-fixture assertions live beside each adapter.
 */
const FOLDER_TO_CHANNEL: Record<string, string> = {
  whatsapp: 'whatsapp',
  messenger: 'messenger',
  instagram: 'instagram',
  telegram: 'telegram',
  line: 'line',
  twilio: 'twilio',
  bandwidth: 'bandwidth',
  email: 'email',
  'chatwoot-outbound': 'chatwoot',
};

function contentTypeOf(path: string): string {
  if (path.endsWith('.eml')) return 'message/rfc822';
  return 'application/json';
}

const schemaPath = join(dirname(fileURLToPath(import.meta.url)), '../../../schemas/inbound-event.json');
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

describe('every channel fixture normalizes', () => {
  const files = allFixtures();
  it('finds the fixtures', () => {
    expect(files.length).toBeGreaterThan(50);
  });
  it.each(files)('%s', async (path) => {
    const folder = path.split('/')[0] ?? '';
    const type = FOLDER_TO_CHANNEL[folder];
    expect(type, `fixture folder "${folder}" is not mapped to a channel type`).toBeDefined();
    const adapter = inboundAdapter(type ?? '');
    expect(adapter, `no inbound adapter for "${type}"`).toBeDefined();
    const result = await adapter!.normalize({ body: fixture(path), contentType: contentTypeOf(path), now: new Date('2026-11-24T00:00:00Z') });
    if (!result.ok) throw new Error(`${path}: ${result.error} ${JSON.stringify(result.issues)}`);
    expect(result.events.length).toBeGreaterThan(0);
    for (const event of result.events) {
      // Through JSON, as it is stored and published: undefined fields disappear, dates are strings.
      const published: unknown = JSON.parse(JSON.stringify(event));
      const valid = validate(published);
      expect(valid, `${path}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect(InboundEvent.safeParse(published).success).toBe(true);
      expect(event.channelType).toBe(type);
      expect(event.raw).toBeDefined();
    }
  });
});
