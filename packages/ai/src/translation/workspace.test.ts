import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLibreTranslate, type FakeServer } from '../testing/index.ts';
import { isTranslationError } from './errors.ts';
import { createTranslator } from './translator.ts';
import { workspaceTranslator } from './workspace.ts';

describe("a workspace's translator", () => {
  let libre: FakeServer;
  beforeAll(async () => {
    libre = await startFakeLibreTranslate({ translate: (text) => text.toUpperCase() });
  });
  afterAll(async () => {
    await libre.close();
  });

  it("uses the server's translator until the workspace saves its own, and follows each new revision after the TTL", async () => {
    let saved: { revision: number; settings: unknown; glossary: string[] } | null = null;
    let now = 0;
    let loads = 0;
    const translator = workspaceTranslator({
      source: {
        revision: async () => saved?.revision ?? null,
        load: async () => {
          loads++;
          return saved;
        },
      },
      fallback: createTranslator({ provider: null }),
      build: (provider, glossary) => createTranslator({ provider, glossary }),
      ttlMs: 5_000,
      now: () => now,
    });
    const translate = () => translator.translate({ texts: ['hello Signalbox'], source: 'en', target: 'es' });

    const notSet = await translate().catch((e: unknown) => e);
    expect(isTranslationError(notSet) && notSet.kind).toBe('not_configured');

    saved = { revision: 1, settings: { provider: 'libretranslate', baseUrl: libre.url }, glossary: ['Signalbox'] };
    now = 5_000;
    expect((await translate())[0]?.text).toContain('HELLO');
    expect((await translate())[0]?.text).toContain('Signalbox');
    expect(loads).toBe(1);

    saved = { revision: 2, settings: { provider: 'deepl' }, glossary: [] };
    expect((await translate())[0]?.text).toContain('HELLO');
    now = 10_000;
    const invalid = await translate().catch((e: unknown) => e);
    expect(isTranslationError(invalid) && invalid.message).toContain('settings are not valid (apiKey: ');
    expect(loads).toBe(2);
  });
});
