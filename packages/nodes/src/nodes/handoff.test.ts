import { describe, expect, it } from 'vitest';
import { converse, effectsOf, flow, message, timer } from '../interpreter/testing.ts';

const toHumans = (data: Record<string, unknown>) =>
  flow(
    { start: { type: 'start' }, handoff: { type: 'handoff', data }, after: { type: 'send-message', data: { text: 'never sent' } } },
    ['start -> handoff'],
    [{ name: 'need', default: 'refund' }],
  );

describe('handoff', () => {
  it('emits a handoff to the team with its priority and rendered note', async () => {
    const result = await converse(toHumans({ team: 'billing', priority: 'urgent', note: '{{contact.name}} wants a {{need}}' }), { contact: { name: 'Ada' } }).send(message('hi'));
    expect(result.effects).toEqual([{ type: 'handoff', team: 'billing', priority: 'urgent', note: 'Ada wants a refund' }]);
    expect(result.trace.at(-1)).toMatchObject({ nodeId: 'handoff', outcome: 'end', detail: 'handed off' });
  });

  it('defaults to normal priority and an empty note', async () => {
    const result = await converse(toHumans({ team: 'support' })).send(message('hi'));
    expect(effectsOf(result, 'handoff')).toEqual([{ type: 'handoff', team: 'support', priority: 'normal', note: '' }]);
  });

  it('marks the conversation handed off, after which the bot answers nothing', async () => {
    const conversation = converse(toHumans({ team: 'support' }));
    const first = await conversation.send(message('hi'));
    expect(first.state.status).toBe('handed-off');
    for (const input of [message('hello?'), message('are you a bot?'), timer('conv-1:1'), { kind: 'conversation-started' } as const]) {
      const result = await conversation.send(input);
      expect(result).toMatchObject({ effects: [], trace: [], failed: null });
      expect(result.state.status).toBe('handed-off');
    }
  });

  it('fails the run when no team is chosen', async () => {
    const result = await converse(toHumans({ team: '' })).send(message('hi'));
    expect(result.failed).toBe('invalid config: team: choose a team');
    expect(result.state.status).toBe('active');
  });
});
