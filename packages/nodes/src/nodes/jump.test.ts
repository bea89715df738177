import { describe, expect, it } from 'vitest';
import { converse, flow, message, path, sentTexts } from '../interpreter/testing.ts';

const main = (errorPort: boolean, flowId = 'support') =>
  flow(
    {
      start: { type: 'start' },
      hi: { type: 'send-message', data: { text: 'main' } },
      jump: { type: 'jump', data: { flowId } },
      oops: { type: 'send-message', data: { text: 'could not jump: {{lastError}}' } },
    },
    ['start -> hi', 'hi -> jump', ...(errorPort ? ['jump.error -> oops'] : [])],
  );

const support = flow(
  {
    start: { type: 'start' },
    hello: { type: 'send-message', data: { text: 'support: {{vars.seen | first time}}' } },
    ask: { type: 'ask-question', data: { question: 'What is wrong?', saveAs: 'problem' } },
    thanks: { type: 'send-message', data: { text: 'Noted: {{problem}}' } },
  },
  ['start -> hello', 'hello -> ask', 'ask.answered -> thanks'],
);

describe('jump', () => {
  it("continues in the loaded flow from its start, and remembers which flow it's in", async () => {
    const conversation = converse(main(true), { flows: { support } });
    const result = await conversation.send(message('hi'));
    expect(conversation.loaded).toEqual(['support']);
    expect(sentTexts(result)).toEqual(['main', 'support: first time', 'What is wrong?']);
    expect(path(result)).toEqual(['start.next', 'hi.next', 'jump', 'start.next', 'hello.next', 'ask']);
    expect(result.trace[2]).toMatchObject({ nodeId: 'jump', outcome: 'next', detail: 'jump to support' });
    expect(result.state.current).toEqual({ flowId: 'support', versionId: 'support-v1' });
  });

  it('resumes a wait inside the jumped-to flow, then returns to its own flow once that ends', async () => {
    const conversation = converse(main(true), { flows: { support } });
    await conversation.send(message('hi'));
    const answered = await conversation.send(message('my lamp broke'));
    expect(sentTexts(answered)).toEqual(['Noted: my lamp broke']);
    expect(answered.state.current).toBeNull();
    const again = await conversation.send(message('hi'));
    expect(sentTexts(again)[0]).toBe('main');
  });

  it('keeps the variables across the jump', async () => {
    const withVariable = flow(
      {
        start: { type: 'start' },
        set: { type: 'set', data: { assignments: [{ target: 'variable', name: 'seen', value: 'yes' }] } },
        jump: { type: 'jump', data: { flowId: 'support' } },
      },
      ['start -> set', 'set -> jump'],
    );
    const result = await converse(withVariable, { flows: { support } }).send(message('hi'));
    expect(sentTexts(result)[0]).toBe('support: yes');
  });

  it('takes the error port when the flow is missing', async () => {
    const result = await converse(main(true), { flows: {} }).send(message('hi'));
    expect(sentTexts(result)).toEqual(['main', 'could not jump: flow support not found or not published']);
    expect(result.trace[2]).toMatchObject({ nodeId: 'jump', outcome: 'error', port: 'error', detail: 'flow support not found or not published' });
    expect(result.state.current).toBeNull();
    expect(result.failed).toBeNull();
  });

  it('takes the error port when the flow has no start node', async () => {
    const headless = flow({ hello: { type: 'send-message', data: { text: 'unreachable' } } });
    const result = await converse(main(true), { flows: { support: headless } }).send(message('hi'));
    expect(sentTexts(result)).toEqual(['main', 'could not jump: flow support has no start node']);
  });

  it('takes the error port with the config error, and loads nothing, when no flow was chosen', async () => {
    const conversation = converse(main(true, ''), { flows: { support } });
    const result = await conversation.send(message('hi'));
    expect(conversation.loaded).toEqual([]);
    expect(sentTexts(result)).toEqual(['main', 'could not jump: invalid config: flowId: choose a flow']);
    expect(result.trace[2]).toMatchObject({ nodeId: 'jump', outcome: 'error', port: 'error' });
  });

  it('fails the run when the flow is missing and the error port is not connected', async () => {
    const result = await converse(main(false), { flows: {} }).send(message('hi'));
    expect(result.failed).toBe('flow support not found or not published');
    expect(result.trace.at(-1)).toMatchObject({ nodeId: 'jump', outcome: 'error', port: undefined });
    expect(result.state.cursor).toBeNull();
  });
});
