import { describe, expect, it } from 'vitest';
import { converse, effectsOf, flow, message, path, sentTexts, timer } from '../interpreter/testing.ts';

const delayed = flow(
  {
    start: { type: 'start' },
    before: { type: 'send-message', data: { text: 'Give me a minute…' } },
    wait: { type: 'delay', data: { seconds: 90 } },
    after: { type: 'send-message', data: { text: 'Here it is.' } },
  },
  ['start -> before', 'before -> wait', 'wait -> after'],
);

describe('delay', () => {
  it('schedules a timer due after its seconds and waits for it', async () => {
    const conversation = converse(delayed, { now: '2025-01-06T10:00:00Z', conversation: { id: 'conv-7' } });
    const result = await conversation.send(message('hi'));
    expect(sentTexts(result)).toEqual(['Give me a minute…']);
    expect(effectsOf(result, 'schedule-timer')).toEqual([{ type: 'schedule-timer', token: 'conv-7:1', nodeId: 'wait', dueAt: '2025-01-06T10:01:30.000Z' }]);
    expect(result.state.cursor).toEqual({ nodeId: 'wait', wait: 'timer', token: 'conv-7:1', attempts: 0 });
  });

  it('does not move on when messages arrive meanwhile', async () => {
    const conversation = converse(delayed);
    const waiting = await conversation.send(message('hi'));
    for (const text of ['hello?', 'anyone there?']) {
      const result = await conversation.send(message(text));
      expect(result.effects).toEqual([]);
      expect(result.failed).toBeNull();
      expect(result.state.cursor).toEqual(waiting.state.cursor);
    }
  });

  it('goes on when its timer fires', async () => {
    const conversation = converse(delayed);
    const waiting = await conversation.send(message('hi'));
    await conversation.send(message('hello?'));
    const result = await conversation.send(timer(waiting.state.cursor?.token ?? ''));
    expect(sentTexts(result)).toEqual(['Here it is.']);
    expect(path(result)).toEqual(['wait.next', 'after.next']);
    expect(result.state.cursor).toBeNull();
  });

  it('ignores a timer with another token', async () => {
    const conversation = converse(delayed);
    const waiting = await conversation.send(message('hi'));
    const result = await conversation.send(timer('conv-1:42'));
    expect(result).toMatchObject({ effects: [], trace: [], failed: null });
    expect(result.state.cursor).toEqual(waiting.state.cursor);
  });

  it('gives each delay of a conversation its own token', async () => {
    const twice = flow(
      { start: { type: 'start' }, one: { type: 'delay', data: { seconds: 5 } }, two: { type: 'delay', data: { seconds: 5 } } },
      ['start -> one', 'one -> two'],
    );
    const conversation = converse(twice);
    const first = await conversation.send(message('hi'));
    const second = await conversation.send(timer(first.state.cursor?.token ?? ''));
    expect(second.state.cursor).toMatchObject({ nodeId: 'two' });
    expect(second.state.cursor?.token).not.toBe(first.state.cursor?.token);
    // The first timer firing twice (a retried job) must not skip the second delay.
    const replay = await conversation.send(timer(first.state.cursor?.token ?? ''));
    expect(replay.trace).toEqual([]);
    expect(replay.state.cursor).toEqual(second.state.cursor);
  });
});
