import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WordListRepository } from '@signalbox/db';
import { startWebhookChat, testFlow, type WebhookChat } from './setup.ts';

describe('sensitive-word lists in the runner', () => {
  let chat: WebhookChat;

  beforeAll(async () => {
    chat = await startWebhookChat();
    const created = await new WordListRepository(chat.t.runner.pool).create(chat.t.workspaceId, { name: 'Insults', words: ['idiot*', 'moron'] });
    if (!created.ok) throw new Error(JSON.stringify(created));
    await chat.open(
      testFlow(
        [
          ['start', 'start'],
          ['words', 'sensitive-words', { lists: [created.list.id], saveMatchesAs: 'found', saveCensoredAs: 'censored' }],
          ['flagged', 'send-message', { text: 'flagged {{found}}: {{censored}}' }],
          ['fine', 'send-message', { text: 'fine' }],
        ],
        [
          ['start', 'next', 'words'],
          ['words', 'found', 'flagged'],
          ['words', 'next', 'fine'],
        ],
      ),
    );
  });
  afterAll(async () => {
    await chat?.stop();
  });

  it("routes by the workspace's list, catching disguised words, and keeps the censored text", async () => {
    await chat.say('c1', 'you 1d10ts never answer');
    await chat.say('c2', 'where is my parcel?');
    expect(await chat.replies('c1', 1)).toEqual(['flagged ["1d10ts"]: you ****** never answer']);
    expect(await chat.replies('c2', 1)).toEqual(['fine']);
  });
});
