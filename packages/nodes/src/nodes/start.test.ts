import { describe, expect, it } from 'vitest';
import { conversationStarted, flow, message, path, runOnce, sentTexts } from '../interpreter/testing.ts';

const greeting = (trigger?: string) =>
  flow(
    { start: { type: 'start', data: trigger ? { trigger } : {} }, hi: { type: 'send-message', data: { text: 'Hello!' } } },
    ['start -> hi'],
  );

describe('start', () => {
  it('runs the flow on a customer message by default', async () => {
    const result = await runOnce(greeting(), message('hi'));
    expect(sentTexts(result)).toEqual(['Hello!']);
    expect(path(result)).toEqual(['start.next', 'hi.next']);
    expect(result.failed).toBeNull();
  });

  it('does not run a message flow when a conversation merely starts', async () => {
    const result = await runOnce(greeting('message'), conversationStarted);
    expect(result.effects).toEqual([]);
    expect(result.trace).toMatchObject([{ nodeId: 'start', outcome: 'end' }]);
    expect(result.failed).toBeNull();
  });

  it('runs a conversation-started flow when the conversation starts', async () => {
    const result = await runOnce(greeting('conversation-started'), conversationStarted);
    expect(sentTexts(result)).toEqual(['Hello!']);
  });

  it('does not run a conversation-started flow on a message', async () => {
    const result = await runOnce(greeting('conversation-started'), message('hi'));
    expect(result.effects).toEqual([]);
    expect(result.trace).toMatchObject([{ nodeId: 'start', outcome: 'end', detail: 'this flow starts on conversation-started, not on message' }]);
    expect(result.state.cursor).toBeNull();
  });
});
