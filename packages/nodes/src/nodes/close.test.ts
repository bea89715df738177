import { describe, expect, it } from 'vitest';
import { converse, flow, message, path, sentTexts } from '../interpreter/testing.ts';

const closing = flow(
  {
    start: { type: 'start' },
    count: { type: 'set', data: { assignments: [{ target: 'variable', name: 'visits', value: 'visit {{visits}}+' }] } },
    bye: { type: 'send-message', data: { text: 'Bye! ({{visits}})' } },
    close: { type: 'close' },
  },
  ['start -> count', 'count -> bye', 'bye -> close'],
  [{ name: 'visits', default: '0' }],
);

describe('close', () => {
  it('emits a close effect and marks the conversation closed', async () => {
    const result = await converse(closing).send(message('hi'));
    expect(result.effects.at(-1)).toEqual({ type: 'close' });
    expect(result.state.status).toBe('closed');
    expect(result.trace.at(-1)).toMatchObject({ nodeId: 'close', outcome: 'end', detail: 'closed' });
  });

  it('starts the flow afresh on the next message, with variables back at their defaults', async () => {
    const conversation = converse(closing);
    const first = await conversation.send(message('hi'));
    expect(sentTexts(first)).toEqual(['Bye! (visit 0+)']);
    const second = await conversation.send(message('hi again'));
    expect(path(second)).toEqual(['start.next', 'count.next', 'bye.next', 'close']);
    expect(sentTexts(second)).toEqual(['Bye! (visit 0+)']);
    expect(second.state.status).toBe('closed');
  });

  it('reopens into an active conversation when the flow goes on waiting', async () => {
    const askThenClose = flow(
      {
        start: { type: 'start' },
        ask: { type: 'ask-question', data: { question: 'Name?', saveAs: 'name' } },
        close: { type: 'close' },
      },
      ['start -> ask', 'ask.answered -> close'],
    );
    const conversation = converse(askThenClose);
    await conversation.send(message('hi'));
    expect((await conversation.send(message('Ada'))).state).toMatchObject({ status: 'closed', variables: { name: 'Ada' } });
    const reopened = await conversation.send(message('me again'));
    expect(reopened.state).toMatchObject({ status: 'active', cursor: { nodeId: 'ask' } });
    expect(reopened.state.variables).toEqual({});
    expect(sentTexts(reopened)).toEqual(['Name?']);
  });
});
