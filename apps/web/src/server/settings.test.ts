import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLibreTranslate, type FakeServer } from '@signalbox/ai/testing';
import { apiHarness, fieldsOf, type ApiHarness } from './api-testing.ts';
import { failure } from './test-failure.ts';

describe('workspace settings API: translation', () => {
  let api: ApiHarness;
  let libre: FakeServer;
  beforeAll(async () => {
    process.env.SIGNALBOX_SECRET_KEY = 'settings test key, long enough';
    libre = await startFakeLibreTranslate({ translate: (text) => `ES ${text}` });
    api = await apiHarness('sbx_web_settings');
  });
  afterAll(async () => {
    await api?.close();
    await libre?.close();
    delete process.env.SIGNALBOX_SECRET_KEY;
  });

  it('tries, saves and clears a provider, never showing the key back; only owners and admins may', async () => {
    const owner = await api.as('owner');
    expect((await owner.settings.translation()).own).toBeNull();
    expect(fieldsOf(await failure(owner.settings.saveTranslation({ provider: 'deepl', revision: null })))).toEqual({ apiKey: 'required' });
    expect(fieldsOf(await failure(owner.settings.saveTranslation({ provider: 'libretranslate', baseUrl: 'not a url', revision: null })))).toHaveProperty('baseUrl');

    const tried = await owner.settings.testTranslation({ provider: 'libretranslate', baseUrl: libre.url, text: 'Where is my order?', target: 'es' });
    expect(tried).toEqual({ ok: true, text: '[es] ES Where is my order?' });
    const refused = await owner.settings.testTranslation({ provider: 'libretranslate', baseUrl: 'http://127.0.0.1:9', text: 'hi', target: 'es' });
    expect(refused.ok).toBe(false);

    await owner.settings.saveTranslation({ provider: 'libretranslate', baseUrl: libre.url, apiKey: 'lt-secret', glossary: ['Signalbox', 'Signalbox', ''], revision: null });
    const saved = await owner.settings.translation();
    expect(saved.own).toMatchObject({ provider: 'libretranslate', baseUrl: libre.url, hasApiKey: true, glossary: ['Signalbox'], revision: 1 });
    expect(JSON.stringify(saved)).not.toContain('lt-secret');
    // An empty key keeps the saved one; a stale revision is refused.
    await owner.settings.saveTranslation({ provider: 'libretranslate', baseUrl: libre.url, apiKey: '', revision: 1 });
    expect((await owner.settings.translation()).own).toMatchObject({ hasApiKey: true, revision: 2 });
    expect((await failure(owner.settings.saveTranslation({ provider: 'libretranslate', baseUrl: libre.url, revision: 1 }))).code).toBe('CONFLICT');

    expect((await failure((await api.as('editor')).settings.translation())).code).toBe('FORBIDDEN');
    expect((await (await api.as('other')).settings.translation()).own).toBeNull();
    await owner.settings.clearTranslation();
    expect((await owner.settings.translation()).own).toBeNull();
  });
});
