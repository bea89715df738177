import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { ALL_ROLES, startRunner, type Role, type Runner } from '../src/runtime.ts';
import { callbackServer, waitFor } from '../src/testing/harness.ts';
import { REDIS_URL } from '../src/testing/services.ts';
import { startTestRunner, type TestRunner } from './setup.ts';
import { checkReplies, sendLoad, type LoadPlan } from './load.ts';

const plan: LoadPlan = { conversations: 20, perConversation: 10, duplicateRatio: 0.1 };

/** Sends the plan's load to the runners' webhooks (a conversation's messages to each in turn) and checks the replies. */
async function expectEveryReplyOnceInOrder(owner: TestRunner, urls: readonly string[]) {
  const cb = await callbackServer();
  try {
    const channel = await owner.addWebhookChannel(cb.url);
    await sendLoad(urls, channel, plan);
    const total = plan.conversations * plan.perConversation;
    await waitFor(() => cb.received.length >= total, 60_000, `${total} replies (got ${cb.received.length})`);
    await new Promise((r) => setTimeout(r, 300));
    expect(cb.received).toHaveLength(total);
    expect(checkReplies(cb.received, plan)).toEqual([]);
  } finally {
    await cb.close();
  }
}

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
    await expectEveryReplyOnceInOrder(ingress, [ingress.baseUrl]);
  });
});

describe('two processes with every role on the leased queue (QUEUE_DRIVER=leased)', () => {
  const prefix = `sbx-leased-${process.pid}`;
  let first: TestRunner | undefined;
  let second: Runner | undefined;
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it('answers every message once and in order when each conversation’s messages reach both in turn', { timeout: 120_000 }, async () => {
    first = await startTestRunner({ redisPrefix: prefix, env: { QUEUE_DRIVER: 'leased' } });
    const config = loadConfig({
      DATABASE_URL: first.runner.databaseUrl,
      REDIS_URL,
      SIGNALBOX_QUEUE_PREFIX: prefix,
      QUEUE_DRIVER: 'leased',
      SIGNALBOX_SECRET_KEY: 'test-secret-key-0123456789',
      PORT: '0',
      LOG_LEVEL: 'silent',
    });
    second = await startRunner(config, ALL_ROLES, pino({ level: 'silent' }));
    expect([first.runner.queue.name, second.queue.name]).toEqual(['leased', 'leased']);
    // Message k of a conversation goes to one process, k + 1 to the other (and a repeat to the other again).
    await expectEveryReplyOnceInOrder(first, [first.baseUrl, second.url]);
  });
});

describe('role checks', () => {
  it('refuses split roles without Redis or Postgres, naming the setting', async () => {
    await expect(startRunner(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }), ['ingress'], pino({ level: 'silent' }))).rejects.toThrow(/--role ingress needs REDIS_URL/);
    await expect(startRunner(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', REDIS_URL }), ['worker', 'sender'], pino({ level: 'silent' }))).rejects.toThrow(
      /--role worker,sender needs DATABASE_URL/,
    );
    await expect(
      startRunner(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', REDIS_URL, DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/test', QUEUE_DRIVER: 'leased' }), ['ingress'], pino({ level: 'silent' })),
    ).rejects.toThrow(/--role ingress needs QUEUE_DRIVER=bullmq/);
  });
});
