import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadFlowDocument, type FlowDocument } from '@signalbox/nodes';
import { ChannelRepository, createWorkspace, FlowRepository } from '@signalbox/db';
import { loadConfig } from '../src/config.ts';
import { ALL_ROLES, startRunner, type Role, type Runner } from '../src/runtime.ts';
import { callbackServer, freshDatabase, postWebhook, waitFor } from '../src/testing/harness.ts';
import { REDIS_URL } from '../src/testing/services.ts';

export const ROOT = join(import.meta.dirname, '../../..');

export function exampleFlow(name: string) {
  const loaded = loadFlowDocument(JSON.parse(readFileSync(join(ROOT, 'examples/flows', `${name}.json`), 'utf8')));
  if (!loaded.ok) throw new Error(`bad example ${name}`);
  return loaded.document;
}

export interface TestRunner {
  runner: Runner;
  baseUrl: string;
  /** A webhook channel answered by `flow`, replying to `callbackUrl`. */
  addWebhookChannel(callbackUrl: string, flow?: string | FlowDocument): Promise<{ id: string; secret: string; flowId: string }>;
  /** A channel of any type answered by `flow`. */
  addChannel(type: string, settings: { config?: Record<string, unknown>; credentials?: Record<string, string> }, flow?: string | FlowDocument): Promise<{ id: string; flowId: string }>;
  workspaceId: string;
  stop(): Promise<void>;
}

/** Starts a runner in this process on a fresh Postgres database (and Redis, when `redis` is given). */
export async function startTestRunner(
  options: { redisPrefix?: string; embedded?: boolean; env?: Record<string, string>; roles?: readonly Role[] } = {},
): Promise<TestRunner> {
  const database = options.embedded ? { url: '', drop: async () => undefined } : await freshDatabase();
  const env: Record<string, string> = {
    ...(options.embedded ? { SIGNALBOX_DATA_DIR: mkdtempSync(join(tmpdir(), 'signalbox-embedded-')) } : { DATABASE_URL: database.url }),
    PORT: '0',
    LOG_LEVEL: 'silent',
    SIGNALBOX_SECRET_KEY: 'test-secret-key-0123456789',
    ...options.env,
  };
  if (options.redisPrefix) {
    env.REDIS_URL = REDIS_URL;
    env.SIGNALBOX_QUEUE_PREFIX = options.redisPrefix;
  }
  const runner = await startRunner(loadConfig(env), options.roles ?? ALL_ROLES, pino({ level: 'silent' }));
  const baseUrl = runner.url;
  const workspaceId = await createWorkspace(runner.prisma, 'Test shop');
  const flows = new FlowRepository(runner.prisma);
  const flowIds = new Map<string, string>();
  /** Each example flow is imported and published once per runner. */
  const publishedFlow = async (flow: string | FlowDocument): Promise<string> => {
    let flowId = typeof flow === 'string' ? flowIds.get(flow) : undefined;
    if (!flowId) {
      const document = typeof flow === 'string' ? exampleFlow(flow) : flow;
      flowId = await flows.create({ workspaceId, name: typeof flow === 'string' ? flow : (flow.name ?? 'test flow'), document });
      await flows.publish(flowId);
      if (typeof flow === 'string') flowIds.set(flow, flowId);
    }
    return flowId;
  };
  return {
    runner,
    baseUrl,
    workspaceId,
    addWebhookChannel: async (callbackUrl, flow = 'echo') => {
      const flowId = await publishedFlow(flow);
      const channel = await new ChannelRepository(runner.prisma, runner.secrets).create({ workspaceId, type: 'webhook', name: 'test hook', config: { callbackUrl }, flowId });
      return { id: channel.id, secret: channel.credentials.secret ?? '', flowId };
    },
    addChannel: async (type, settings, flow = 'echo') => {
      const flowId = await publishedFlow(flow);
      const channel = await new ChannelRepository(runner.prisma, runner.secrets).create({ workspaceId, type, name: `test ${type}`, config: settings.config, credentials: settings.credentials, flowId });
      return { id: channel.id, flowId };
    },
    stop: async () => {
      await runner.stop();
      await database.drop();
    },
  };
}

/**
 * A flow from compact parts: nodes as `[id, type, data]`, edges as `[source, port, target]` (positions do not
 * matter to the runner).
 */
export function testFlow(
  nodes: readonly (readonly [string, string, Record<string, unknown>?])[],
  edges: readonly (readonly [string, string, string])[],
  variables: FlowDocument['variables'] = [],
): FlowDocument {
  return {
    schemaVersion: 1,
    nodes: nodes.map(([id, type, data = {}], i) => ({ id, type, typeVersion: 1, position: { x: 0, y: i * 100 }, data })),
    edges: edges.map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source, sourceHandle, target })),
    variables,
  };
}

/** A runner with a webhook channel whose replies a local callback server collects, per conversation. */
export interface WebhookChat {
  t: TestRunner;
  /** Adds the channel, answered by `flow` (after the test made what the flow names: templates, word lists). */
  open(flow: FlowDocument): Promise<void>;
  /** A customer message of `conversationId`, as the generic webhook receives it. */
  say(conversationId: string, text: string, from?: Record<string, unknown>): Promise<{ status: number }>;
  repliesOf(conversationId: string): string[];
  /** Waits until `conversationId` has `count` replies and returns them. */
  replies(conversationId: string, count: number): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startWebhookChat(options: Parameters<typeof startTestRunner>[0] = {}): Promise<WebhookChat> {
  const cb = await callbackServer();
  const t = await startTestRunner(options);
  let channel: { id: string; secret: string } | null = null;
  let n = 0;
  const repliesOf = (conversationId: string) => cb.received.filter((r) => r.conversationId === conversationId).map((r) => r.text);
  return {
    t,
    open: async (flow) => {
      channel = await t.addWebhookChannel(cb.url, flow);
    },
    say: (conversationId, text, from = {}) => {
      if (!channel) throw new Error('open the chat with a flow first');
      return postWebhook(t.baseUrl, channel.id, channel.secret, { id: `evt-${(n += 1)}`, conversationId, from: { id: `${conversationId}-user`, ...from }, text });
    },
    repliesOf,
    replies: async (conversationId, count) => {
      await waitFor(() => repliesOf(conversationId).length >= count, 20_000, `${count} replies in ${conversationId}`);
      return repliesOf(conversationId);
    },
    stop: async () => {
      await t.stop();
      await cb.close();
    },
  };
}
