import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelRepository, DEMO_TEMPLATES } from '@signalbox/db';
import { callbackServer, postWebhook, waitFor } from '../src/testing/harness.ts';
import { DEMO } from '../src/demo/seed.ts';
import { startTestRunner, type TestRunner } from './setup.ts';

/** The seeded template's text in one language. */
function variant(name: string, language: string): string {
  const text = DEMO_TEMPLATES.find((t) => t.name === name)?.variants.find((v) => v.language === language)?.text;
  if (!text) throw new Error(`no ${language} variant of ${name}`);
  return text;
}

/**
 * The seeded "Multilingual shop assistant" on the seeded demo workspace (its knowledge base, default intents and
 * templates), through a webhook channel bound to it: every reply comes in the customer's language.
 */
describe('the seeded multilingual demo flow', () => {
  let t: TestRunner;
  let cb: Awaited<ReturnType<typeof callbackServer>>;
  let channel: { id: string; secret: string };
  let n = 0;
  const say = (conversationId: string, text: string) =>
    postWebhook(t.baseUrl, channel.id, channel.secret, { id: `ml-${(n += 1)}`, conversationId, from: { id: `${conversationId}-user` }, text });
  const repliesOf = (conversationId: string) => cb.received.filter((r) => r.conversationId === conversationId).map((r) => r.text);
  const conversation = async (externalId: string) =>
    (
      await t.runner.pool.query<{ language: string | null; owner: string; assigned_team: string | null; priority: string | null; tags: string[] }>(
        'SELECT language, owner, assigned_team, priority, tags FROM conversation WHERE channel_id = $1 AND external_id = $2',
        [channel.id, externalId],
      )
    ).rows[0];

  beforeAll(async () => {
    cb = await callbackServer();
    t = await startTestRunner();
    const created = await new ChannelRepository(t.runner.prisma, t.runner.secrets).create({
      workspaceId: DEMO.workspaceId,
      type: 'webhook',
      name: 'multilingual test hook',
      config: { callbackUrl: cb.url },
      flowId: 'demo-multilingual',
    });
    channel = { id: created.id, secret: created.credentials.secret ?? '' };
  });
  afterAll(async () => {
    await t.stop();
    await cb.close();
  });

  it('answers a Spanish question from the Spanish knowledge base article, tags it, and the bot keeps the conversation', async () => {
    const response = await say('es-returns', '¿Cuál es la política de devoluciones? Quiero devolver un vestido');
    expect(response.status).toBe(202);
    await waitFor(() => repliesOf('es-returns').length === 1, 20_000, 'the answer');
    const article = await t.runner.pool.query<{ body: string }>(
      "SELECT body FROM knowledge_article WHERE workspace_id = $1 AND language = 'es' AND title = '¿Cuál es la política de devoluciones?'",
      [DEMO.workspaceId],
    );
    expect(article.rows).toHaveLength(1);
    const reply = repliesOf('es-returns')[0] ?? '';
    // The reply is the article as plain text: its first words, without markdown.
    expect(reply.slice(0, 30)).toBe(article.rows[0]!.body.replace(/[*_#`]/g, '').slice(0, 30));
    expect(await conversation('es-returns')).toMatchObject({ language: 'es', owner: 'bot', tags: ['kb-answered'] });
  });

  it('sends a German order question to the orders team, in German', async () => {
    await say('de-order', 'Wo ist meine Bestellung? Ich warte schon seit zwei Wochen auf das Paket');
    await waitFor(() => repliesOf('de-order').length === 1, 20_000, 'the reply');
    expect(repliesOf('de-order')).toEqual([variant('demo_order_help', 'de')]);
    expect(await conversation('de-order')).toMatchObject({ language: 'de', owner: 'human', assigned_team: 'orders', priority: 'normal', tags: [] });
  });

  it('hands a French complaint to support with high priority, in French', async () => {
    await say('fr-complaint', 'Je suis très mécontent, votre service est une honte et personne ne répond à mes messages');
    await waitFor(() => repliesOf('fr-complaint').length === 1, 20_000, 'the reply');
    expect(repliesOf('fr-complaint')).toEqual([variant('demo_handoff', 'fr')]);
    expect(await conversation('fr-complaint')).toMatchObject({ language: 'fr', owner: 'human', assigned_team: 'support', priority: 'high' });
  });

  it('greets what it cannot place in the customer\'s language, and falls back to English for a language without a variant', async () => {
    // Greetings are the default intents' small_talk, which the flow answers with its welcome.
    await say('zh-hello', '你好');
    await say('ja-hello', 'こんにちは');
    await say('en-hello', 'hello there');
    await say('pl-hello', 'Dzień dobry, czy mogę zadać pytanie?');
    await waitFor(() => ['zh-hello', 'ja-hello', 'en-hello', 'pl-hello'].every((c) => repliesOf(c).length === 1), 20_000, 'four greetings');
    expect(repliesOf('zh-hello')).toEqual([variant('demo_welcome', 'zh')]);
    expect(repliesOf('ja-hello')).toEqual([variant('demo_welcome', 'ja')]);
    expect(repliesOf('en-hello')).toEqual([variant('demo_welcome', 'en')]);
    expect(repliesOf('pl-hello')).toEqual([variant('demo_welcome', 'en')]);
    expect((await conversation('pl-hello'))?.language).toBe('pl');
  });
});
