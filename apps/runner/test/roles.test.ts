import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { startRunner, type Role, type Runner } from '../src/runtime.ts';
import { callbackServer, waitFor } from '../src/testing/harness.ts';
import { REDIS_URL } from '../src/testing/services.ts';
import { startTestRunner, type TestRunner } from './setup.ts';
import { checkReplies, sendLoad, type LoadPlan } from './load.ts';

const plan: LoadPlan = { conversations: 20, perConversation: 10, duplicateRatio: 0.1 };

describe.each([
  ['ingress | worker,sender', [['worker', 'sender']]],
  ['ingress | worker | sender', [['worker'], ['sender']]],
  ['ingress | worker,sender | worker,sender', [['worker', 'sender'], ['worker', 'sender']]],
] as [string, Role[][]][])('roles in separate processes: %s', (_name, others) => {
  const prefix = `sbx-roles-${process.pid}-${others.map((r) => r.join('_')).join('-')}`;
  let ingress: TestRunner;
  const extra: Runner[] = [];
  afterAll(async () => {
    for (const r of extra) await r.stop();
    await ingress?.stop();
  });

  it('answers every message once, in order, through Redis and Postgres', { timeout: 120_000 }, async () => {
    ingress = await startTestRunner({ redisPrefix: prefix, roles: ['ingress'] });
    for (const roles of others) {
      const config = loadConfig({
        DATABASE_URL: ingress.runner.databaseUrl,
        REDIS_URL,
        SIGNALBOX_QUEUE_PREFIX: prefix,
        SIGNALBOX_SECRET_KEY: 'test-secret-key-0123456789',
        PORT: '0',
        LOG_LEVEL: 'silent',
      });
      extra.push(await startRunner(config, roles, pino({ level: 'silent' })));
    }
    const cb = await callbackServer();
    const channel = await ingress.addWebhookChannel(cb.url);
    await sendLoad(ingress.baseUrl, channel, plan);
    const total = plan.conversations * plan.perConversation;
    await waitFor(() => cb.received.length >= total, 60_000, `${total} replies (got ${cb.received.length})`);
    await new Promise((r) => setTimeout(r, 300));
    expect(cb.received).toHaveLength(total);
    expect(checkReplies(cb.received, plan)).toEqual([]);
    await cb.close();
  });
});

describe('role checks', () => {
  it('refuses split roles without Redis or Postgres, naming the setting', async () => {
    await expect(startRunner(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }), ['ingress'], pino({ level: 'silent' }))).rejects.toThrow(/--role ingress needs REDIS_URL/);
    await expect(startRunner(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', REDIS_URL }), ['worker', 'sender'], pino({ level: 'silent' }))).rejects.toThrow(
      /--role worker,sender needs DATABASE_URL/,
    );
  });
});
