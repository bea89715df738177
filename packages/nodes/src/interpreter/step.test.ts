import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode, type FlowState } from '../define.ts';
import { coreNodes, createRegistry } from '../nodes/registry.ts';
import { DEFAULT_MAX_STEPS, initialState, step } from './step.ts';
import { buttonReply, converse, deliveryFailed, effectsOf, flow, message, noServices, path, runOnce, sentTexts, timer } from './testing.ts';

const spamLoop = flow(
  {
    start: { type: 'start' },
    spam: { type: 'send-message', data: { text: 'again' } },
    count: { type: 'set', data: { assignments: [{ target: 'tag', name: 'looping' }] } },
  },
  ['start -> spam', 'spam -> count', 'count -> spam'],
);

const linear = flow(
  {
    start: { type: 'start' },
    one: { type: 'send-message', data: { text: '1' } },
    two: { type: 'send-message', data: { text: '2' } },
    three: { type: 'send-message', data: { text: '3' } },
    four: { type: 'send-message', data: { text: '4' } },
  },
  ['start -> one', 'one -> two', 'two -> three', 'three -> four'],
);

describe('step: loop guard', () => {
  it('stops a loop with no waiting node, drops everything that input would have sent, and reports it', async () => {
    const result = await runOnce(spamLoop, message('hi'));
    expect(result.failed).toBe('loop guard');
    expect(result.effects).toEqual([]);
    expect(result.state.cursor).toBeNull();
    expect(result.trace).toHaveLength(DEFAULT_MAX_STEPS + 1);
    expect(result.trace.at(-1)).toMatchObject({ step: DEFAULT_MAX_STEPS + 1, outcome: 'error', detail: `loop guard: more than ${DEFAULT_MAX_STEPS} steps for one event` });
  });

  it('runs exactly maxSteps nodes, and fails at one more', async () => {
    const fits = await runOnce(linear, message('hi'), { maxSteps: 5 });
    expect(fits.failed).toBeNull();
    expect(sentTexts(fits)).toEqual(['1', '2', '3', '4']);

    const tooLong = await runOnce(linear, message('hi'), { maxSteps: 4 });
    expect(tooLong.failed).toBe('loop guard');
    expect(tooLong.effects).toEqual([]);
    expect(tooLong.trace.map((t) => t.nodeId)).toEqual(['start', 'one', 'two', 'three', 'four']);
    expect(tooLong.trace.at(-1)).toMatchObject({ nodeId: 'four', outcome: 'error', detail: 'loop guard: more than 4 steps for one event' });
  });

  it('lets a loop through a question run one lap per message', async () => {
    const quiz = flow(
      {
        start: { type: 'start' },
        ask: { type: 'ask-question', data: { question: 'Guess a number', validation: 'number', saveAs: 'guess' } },
        check: { type: 'condition', data: { branches: [{ id: 'right', label: 'Right', rules: [{ kind: 'variable', name: 'guess', op: 'equals', value: '7' }] }] } },
        wrong: { type: 'send-message', data: { text: 'No, not {{guess}}' } },
        right: { type: 'send-message', data: { text: 'Yes!' } },
      },
      ['start -> ask', 'ask.answered -> check', 'check.else -> wrong', 'wrong -> ask', 'check.right -> right'],
    );
    const conversation = converse(quiz, { maxSteps: 4 });
    await conversation.send(message('hi'));
    for (const guess of ['1', '2', '3']) {
      const lap = await conversation.send(message(guess));
      expect(lap.failed).toBeNull();
      expect(sentTexts(lap)).toEqual([`No, not ${guess}`, 'Guess a number']);
    }
    expect(sentTexts(await conversation.send(message('7')))).toEqual(['Yes!']);
  });
});

describe('step: trace', () => {
  it('records every node it ran, in order, with its outcome, port, time and changed variables', async () => {
    const doc = flow(
      {
        start: { type: 'start' },
        set: { type: 'set', data: { assignments: [{ target: 'variable', name: 'tier', value: 'gold' }] } },
        check: { type: 'condition', data: { branches: [{ id: 'gold', label: 'Gold', rules: [{ kind: 'variable', name: 'tier', op: 'equals', value: 'gold' }] }] } },
        ask: { type: 'ask-question', data: { question: 'Email?', validation: 'email', saveAs: 'email' } },
      },
      ['start -> set', 'set -> check', 'check.gold -> ask'],
    );
    const conversation = converse(doc, { now: '2025-03-01T08:00:00Z' });
    const first = await conversation.send(message('hi'));
    expect(first.trace).toEqual([
      { step: 1, at: '2025-03-01T08:00:00.000Z', nodeId: 'start', type: 'start', outcome: 'next', port: 'next', changed: undefined },
      { step: 2, at: '2025-03-01T08:00:00.000Z', nodeId: 'set', type: 'set', outcome: 'next', port: 'next', changed: { tier: 'gold' } },
      { step: 3, at: '2025-03-01T08:00:00.000Z', nodeId: 'check', type: 'condition', outcome: 'next', port: 'gold', changed: undefined },
      { step: 4, at: '2025-03-01T08:00:00.000Z', nodeId: 'ask', type: 'ask-question', outcome: 'wait', detail: 'reply', changed: undefined },
    ]);

    conversation.now = new Date('2025-03-01T08:05:00Z');
    const second = await conversation.send(message('ada@example.com'));
    expect(second.trace).toEqual([
      { step: 1, at: '2025-03-01T08:05:00.000Z', nodeId: 'ask', type: 'ask-question', outcome: 'next', port: 'answered', changed: { email: 'ada@example.com' } },
    ]);
  });
});

describe('step: determinism', () => {
  const rich = flow(
    {
      start: { type: 'start' },
      split: { type: 'ab-split', data: { variants: [{ id: 'a', label: 'A', weight: 1 }, { id: 'b', label: 'B', weight: 1 }] } },
      call: { type: 'http-request', data: { url: 'https://api.example.com/{{contact.id}}', responseMapping: [{ variable: 'plan', path: 'plan' }] } },
      greet: { type: 'send-message', data: { text: '{{plan}} at {{message.text}}' } },
      wait: { type: 'delay', data: { seconds: 60 } },
      ask: { type: 'ask-question', data: { question: 'Pick', validation: 'choice', choices: [{ id: 'x', title: 'X' }], saveAs: 'pick', timeoutSeconds: 30 } },
    },
    ['start -> split', 'split.a -> call', 'split.b -> call', 'call -> greet', 'greet -> wait', 'wait -> ask'],
  );

  async function replay() {
    const conversation = converse(rich, { now: '2025-01-06T10:00:00Z', http: (r) => ({ status: 200, headers: {}, body: JSON.stringify({ plan: r.url.length }) }) });
    const results = [await conversation.send(message('hi'))];
    results.push(await conversation.send(timer(results[0]?.state.cursor?.token ?? '')));
    results.push(await conversation.send(buttonReply('x', 'X')));
    return results;
  }

  it('gives identical effects, state and trace for the same inputs', async () => {
    const first = await replay();
    const second = await replay();
    expect(second).toEqual(first);
    expect(first.map((r) => r.effects.map((e) => e.type))).toEqual([['send', 'schedule-timer'], ['send', 'schedule-timer'], ['cancel-timer']]);
  });

  it('does not change the state, contact or conversation it was given', async () => {
    // Writes a variable, a contact attribute and a tag, so each of the three would show a leaked change.
    const writing = flow(
      {
        start: { type: 'start' },
        set: {
          type: 'set',
          data: {
            assignments: [
              { target: 'variable', name: 'keep', value: 'changed' },
              { target: 'contact-attribute', name: 'plan', value: 'gold' },
              { target: 'tag', name: 'vip' },
            ],
          },
        },
      },
      ['start -> set'],
    );
    const state: FlowState = { ...initialState(writing), variables: { keep: 'me' } };
    const frozen = structuredClone(state);
    const contact = { id: 'c1', name: 'Ada', attributes: { plan: 'x' } };
    const conversation = { id: 'conv-1', channelId: 'ch', channelType: 'telegram', tags: ['a'] };
    const input = {
      document: writing,
      state,
      input: message('hi'),
      contact,
      conversation,
      services: noServices,
      clock: () => new Date('2025-01-06T10:00:00Z'),
      random: () => 0.5,
    };
    const once = await step(input);
    const twice = await step(input);
    expect(twice).toEqual(once);
    expect(state).toEqual(frozen);
    expect(contact).toEqual({ id: 'c1', name: 'Ada', attributes: { plan: 'x' } });
    expect(conversation.tags).toEqual(['a']);
  });
});

describe('step: errors', () => {
  it('routes a node with an invalid config to its error port, with the reason in lastError', async () => {
    const doc = flow(
      {
        start: { type: 'start' },
        call: { type: 'http-request', data: { url: 'https://x.example.com', timeoutMs: 5 } },
        oops: { type: 'send-message', data: { text: '{{lastError}}' } },
      },
      ['start -> call', 'call.error -> oops'],
    );
    const conversation = converse(doc, { http: () => ({ status: 200, headers: {}, body: '' }) });
    const result = await conversation.send(message('hi'));
    expect(conversation.requests).toEqual([]);
    expect(path(result)).toEqual(['start.next', 'call.error', 'oops.next']);
    expect(sentTexts(result)[0]).toMatch(/^invalid config: timeoutMs: /);
    expect(result.failed).toBeNull();
  });

  it('fails the run on an invalid config when the node has no error port, even if an edge claims one', async () => {
    const doc = flow(
      {
        start: { type: 'start' },
        check: { type: 'condition', data: { branches: [] } },
        oops: { type: 'send-message', data: { text: 'never' } },
      },
      ['start -> check', 'check.error -> oops'],
    );
    const result = await runOnce(doc, message('hi'));
    expect(result.failed).toBe('invalid config: branches: add at least one branch');
    expect(result.effects).toEqual([]);
    expect(result.trace.at(-1)).toMatchObject({ nodeId: 'check', outcome: 'error', port: undefined });
    expect(result.state.variables.lastError).toBe('invalid config: branches: add at least one branch');
  });

  it('turns an exception thrown by a node into an error on its error port', async () => {
    const exploding = defineNode({
      type: 'exploding',
      typeVersion: 1,
      category: 'logic',
      title: 'Explodes',
      description: 'Throws, for this test.',
      icon: 'x',
      hasErrorPort: true,
      config: z.object({}),
      ports: () => [{ id: 'next', label: 'Next' }],
      run: () => {
        throw new Error('kaboom');
      },
    });
    const doc = flow(
      { start: { type: 'start' }, boom: { type: 'exploding' }, oops: { type: 'send-message', data: { text: 'caught {{lastError}}' } } },
      ['start -> boom', 'boom.error -> oops'],
    );
    const result = await runOnce(doc, message('hi'), { registry: createRegistry([...coreNodes, exploding]) });
    expect(sentTexts(result)).toEqual(['caught kaboom']);
  });

  it('fails on a node type it does not know', async () => {
    const doc = flow({ start: { type: 'start' }, mystery: { type: 'teleport' } }, ['start -> mystery']);
    const result = await runOnce(doc, message('hi'));
    expect(result.failed).toBe('unknown node type teleport');
    expect(result.trace.at(-1)).toMatchObject({ nodeId: 'mystery', outcome: 'error', detail: 'unknown node type "teleport"' });
  });

  it('fails when the flow has no start node', async () => {
    const result = await runOnce(flow({ hi: { type: 'send-message', data: { text: 'hi' } } }), message('hi'));
    expect(result).toMatchObject({ failed: 'the flow has no start node', effects: [], trace: [] });
  });

  it('fails once, then starts afresh, when the node it waited on was removed from the flow', async () => {
    const v1 = flow({ start: { type: 'start' }, ask: { type: 'ask-question', data: { question: 'Name?', saveAs: 'name' } } }, ['start -> ask']);
    const v2 = flow({ start: { type: 'start' }, hi: { type: 'send-message', data: { text: 'v2' } } }, ['start -> hi']);
    const waiting = await runOnce(v1, message('hi'));
    const broken = await runOnce(v2, message('Ada'), { state: waiting.state });
    expect(broken.failed).toBe('waiting node ask no longer exists');
    expect(broken.state.cursor).toBeNull();
    expect(sentTexts(await runOnce(v2, message('hello'), { state: broken.state }))).toEqual(['v2']);
  });

  it('ignores a timer when nothing waits', async () => {
    const result = await runOnce(linear, timer('conv-1:1'));
    expect(result).toMatchObject({ effects: [], trace: [], failed: null });
  });
});

describe('step: delivery failures', () => {
  /** Tells the customer their order shipped, then asks whether they want updates; a refused send may go to `sorry`. */
  const shipped = (connected: boolean) =>
    flow(
      {
        start: { type: 'start' },
        shipped: { type: 'send-message', data: { text: 'Your order shipped' } },
        updates: { type: 'ask-question', data: { question: 'Updates by SMS?', validation: 'choice', choices: [{ id: 'yes', title: 'Yes' }], saveAs: 'sms', timeoutSeconds: 3600 } },
        thanks: { type: 'send-message', data: { text: 'Noted' } },
        sorry: { type: 'handoff', data: { team: 'support', note: 'not delivered: {{delivery.error}} (message {{delivery.messageId}})' } },
      },
      ['start -> shipped', 'shipped -> updates', 'updates.answered -> thanks', ...(connected ? ['shipped.error -> sorry'] : [])],
    );

  it('runs the sending node’s error port, with the platform’s reason in delivery.error, when it is connected', async () => {
    const conversation = converse(shipped(true));
    await conversation.send(message('where is my order?'));
    const result = await conversation.send(deliveryFailed('shipped', '131047: Re-engagement message', { messageId: 'm-9' }));
    expect(result.failed).toBeNull();
    expect(path(result)).toEqual(['shipped.error', 'sorry']);
    expect(result.trace[0]).toMatchObject({
      nodeId: 'shipped',
      type: 'send-message',
      outcome: 'error',
      detail: 'not delivered: 131047: Re-engagement message',
      changed: { delivery: { error: '131047: Re-engagement message', messageId: 'm-9', nodeId: 'shipped' }, lastError: '131047: Re-engagement message' },
    });
    expect(effectsOf(result, 'handoff')).toEqual([{ type: 'handoff', team: 'support', priority: 'normal', note: 'not delivered: 131047: Re-engagement message (message m-9)' }]);
  });

  it('leaves the wait the conversation was in, cancelling its timer, since the answer may never come', async () => {
    const conversation = converse(shipped(true));
    const asked = await conversation.send(message('where is my order?'));
    const token = asked.state.cursor?.token;
    expect(asked.state.cursor).toMatchObject({ nodeId: 'updates', wait: 'reply' });
    const result = await conversation.send(deliveryFailed('shipped'));
    expect(result.effects.map((e) => e.type)).toEqual(['cancel-timer', 'handoff']);
    expect(effectsOf(result, 'cancel-timer')).toEqual([{ type: 'cancel-timer', token }]);
    expect(result.state).toMatchObject({ cursor: null, status: 'handed-off' });
  });

  it('changes nothing when the error port is not connected, and says so in the trace', async () => {
    const conversation = converse(shipped(false));
    const asked = await conversation.send(message('where is my order?'));
    const result = await conversation.send(deliveryFailed('shipped', '131047: Re-engagement message'));
    expect(result).toMatchObject({ effects: [], failed: null, state: asked.state });
    expect(result.trace).toEqual([
      {
        step: 1,
        at: '2025-01-06T10:00:00.000Z',
        nodeId: 'shipped',
        type: 'send-message',
        outcome: 'ignored',
        detail: 'not delivered (131047: Re-engagement message); its error port is not connected',
      },
    ]);
    // Still waiting at the question: the answer resumes it as if nothing happened.
    expect(sentTexts(await conversation.send(buttonReply('yes', 'Yes')))).toEqual(['Noted']);
  });

  it('ignores a failure of a node the flow does not have, or of one with no error port', async () => {
    const conversation = converse(shipped(true));
    const asked = await conversation.send(message('where is my order?'));
    const unknown = await conversation.send(deliveryFailed('gone'));
    expect(unknown).toMatchObject({ effects: [], failed: null, state: asked.state });
    expect(unknown.trace).toEqual([expect.objectContaining({ nodeId: 'gone', outcome: 'ignored', detail: expect.stringMatching(/; the flow has no node gone$/) })]);
    // The question itself was refused: ask-question has no error port, so it keeps waiting.
    const question = await conversation.send(deliveryFailed('updates'));
    expect(question).toMatchObject({ effects: [], state: asked.state });
    expect(question.trace).toEqual([expect.objectContaining({ nodeId: 'updates', type: 'ask-question', outcome: 'ignored', detail: expect.stringMatching(/; the node has no error port$/) })]);
  });

  it('ignores a failure once the run that sent it is over: the conversation was closed', async () => {
    const closing = flow(
      { start: { type: 'start' }, bye: { type: 'send-message', data: { text: 'Bye' } }, close: { type: 'close' }, sorry: { type: 'send-message', data: { text: 'never' } } },
      ['start -> bye', 'bye -> close', 'bye.error -> sorry'],
    );
    const conversation = converse(closing);
    expect((await conversation.send(message('thanks'))).state.status).toBe('closed');
    const afterClose = await conversation.send(deliveryFailed('bye'));
    expect(afterClose).toMatchObject({ effects: [], failed: null, state: { status: 'closed' } });
    expect(afterClose.trace).toEqual([expect.objectContaining({ nodeId: 'bye', type: 'send-message', outcome: 'ignored', detail: expect.stringMatching(/; the flow run that sent it has ended$/) })]);
    // The runner stores no state for a closed conversation.
    const noState = await runOnce(closing, deliveryFailed('bye'));
    expect(noState).toMatchObject({ effects: [], failed: null, trace: [expect.objectContaining({ outcome: 'ignored' })] });
  });

  it('routes a failure to the node of the flow that sent it, not to a node of the same id in another flow', async () => {
    const main = flow(
      {
        start: { type: 'start' },
        hi: { type: 'send-message', data: { text: 'main hi' } },
        jump: { type: 'jump', data: { flowId: 'support' } },
        oops: { type: 'send-message', data: { text: 'main: not delivered' } },
      },
      ['start -> hi', 'hi -> jump', 'hi.error -> oops'],
    );
    const support = flow(
      {
        start: { type: 'start' },
        hi: { type: 'send-message', data: { text: 'support hi' } },
        ask: { type: 'ask-question', data: { question: 'What is wrong?', saveAs: 'problem' } },
        oops: { type: 'send-message', data: { text: 'support: not delivered' } },
      },
      ['start -> hi', 'hi -> ask', 'hi.error -> oops'],
    );
    const conversation = converse(main, { flows: { support } });
    const first = await conversation.send(message('hi'));
    expect(effectsOf(first, 'send').map((e) => [e.nodeId, e.flowId])).toEqual([
      ['hi', undefined],
      ['hi', 'support'],
      ['ask', 'support'],
    ]);
    const inSupport = await conversation.send(deliveryFailed('hi', 'refused', { flowId: 'support' }));
    expect(sentTexts(inSupport)).toEqual(['support: not delivered']);
    expect(inSupport.state).toMatchObject({ cursor: null, current: null });

    await conversation.send(message('hi again'));
    const inMain = await conversation.send(deliveryFailed('hi', 'refused'));
    expect(sentTexts(inMain)).toEqual(['main: not delivered']);
    expect(path(inMain)).toEqual(['hi.error', 'oops.next']);

    const unpublished = await conversation.send(deliveryFailed('hi', 'refused', { flowId: 'retired' }));
    expect(unpublished).toMatchObject({ effects: [], trace: [expect.objectContaining({ outcome: 'ignored', detail: 'not delivered (refused); flow retired is not published' })] });
  });

  it('gives identical results for the same inputs', async () => {
    const replay = async () => {
      const conversation = converse(shipped(true));
      await conversation.send(message('where is my order?'));
      return conversation.send(deliveryFailed('shipped'));
    };
    expect(await replay()).toEqual(await replay());
  });
});
