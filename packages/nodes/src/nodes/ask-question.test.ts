import { describe, expect, it } from 'vitest';
import type { FlowInput } from '../define.ts';
import { buttonReply, converse, effectsOf, flow, message, path, sentTexts, timer } from '../interpreter/testing.ts';

/** start -> ask; each port of the question leads to a message naming it and showing the saved answer. */
function question(data: Record<string, unknown>) {
  return flow(
    {
      start: { type: 'start' },
      ask: { type: 'ask-question', data: { saveAs: 'answer', ...data } },
      answered: { type: 'send-message', data: { text: 'answered: {{answer}}' } },
      invalid: { type: 'send-message', data: { text: 'invalid' } },
      timeout: { type: 'send-message', data: { text: 'timeout' } },
    },
    ['start -> ask', 'ask.answered -> answered', 'ask.invalid -> invalid', 'ask.timeout -> timeout'],
  );
}

/** Asks, then sends `reply`; returns the second step and the conversation. */
async function answer(data: Record<string, unknown>, reply: FlowInput) {
  const conversation = converse(question(data));
  await conversation.send(message('hi'));
  const result = await conversation.send(reply);
  return { result, conversation };
}

/** The value the question stored for `reply`. */
async function stored(data: Record<string, unknown>, reply: FlowInput) {
  return (await answer(data, reply)).result.state.variables.answer;
}

const choices = [
  { id: 'order', title: 'Order status' },
  { id: 'refund', title: 'Refund' },
  { id: 'other', title: 'Something else' },
];

describe('ask question: asking', () => {
  it('sends the rendered question and waits for a reply', async () => {
    const conversation = converse(question({ question: 'Hi {{contact.name}}, your email?', validation: 'email' }), { contact: { name: 'Ada' } });
    const result = await conversation.send(message('hi'));
    expect(sentTexts(result)).toEqual(['Hi Ada, your email?']);
    expect(result.state.cursor).toEqual({ nodeId: 'ask', wait: 'reply', token: undefined, attempts: 0 });
    expect(result.trace.at(-1)).toMatchObject({ nodeId: 'ask', outcome: 'wait', detail: 'reply' });
  });

  it('offers the choices as quick-reply buttons', async () => {
    const result = await converse(question({ question: 'What do you need?', validation: 'choice', choices })).send(message('hi'));
    expect(effectsOf(result, 'send')[0]?.message).toEqual({ type: 'text', text: 'What do you need?', buttons: choices, quickReplies: true });
  });

  it('does not treat the message that started the flow as the answer', async () => {
    const conversation = converse(question({ question: 'Your name?' }));
    const result = await conversation.send(message('hi'));
    expect(result.state.variables.answer).toBeUndefined();
    expect(path(result)).toEqual(['start.next', 'ask']);
  });
});

describe('ask question: validation', () => {
  it('text accepts any non-empty reply and stores it trimmed', async () => {
    const { result } = await answer({ question: 'Your name?' }, message('  Ada Lovelace '));
    expect(result.state.variables.answer).toBe('Ada Lovelace');
    expect(sentTexts(result)).toEqual(['answered: Ada Lovelace']);
    expect(path(result)).toEqual(['ask.answered', 'answered.next']);
  });

  it('number accepts integers and decimals with a comma, and stores a number', async () => {
    expect(await stored({ question: 'How many?', validation: 'number' }, message('42'))).toBe(42);
    expect(await stored({ question: 'How many?', validation: 'number' }, message('3,5'))).toBe(3.5);
    expect(await stored({ question: 'How many?', validation: 'number' }, message('-0.25'))).toBe(-0.25);
    for (const bad of ['many', '12 apples', 'Infinity']) {
      const { result } = await answer({ question: 'How many?', validation: 'number' }, message(bad));
      expect(result.state.variables.answer, bad).toBeUndefined();
      expect(result.state.cursor, bad).toMatchObject({ nodeId: 'ask', attempts: 1 });
    }
  });

  it('email accepts an address and stores it in lower case', async () => {
    const { result } = await answer({ question: 'Email?', validation: 'email' }, message(' Ada@Example.COM '));
    expect(result.state.variables.answer).toBe('ada@example.com');
    for (const bad of ['ada', 'ada@example', 'ada @example.com', 'ada@example.c']) {
      expect(await stored({ question: 'Email?', validation: 'email' }, message(bad)), bad).toBeUndefined();
    }
  });

  it('phone accepts 7 to 15 digits with an optional +, ignoring spaces, dashes, dots and parentheses', async () => {
    expect(await stored({ question: 'Phone?', validation: 'phone' }, message('+1 (555) 123-4567'))).toBe('+15551234567');
    expect(await stored({ question: 'Phone?', validation: 'phone' }, message('030.1234.567'))).toBe('0301234567');
    for (const bad of ['12345', '+1234567890123456', 'call me', '555-CALL-NOW']) {
      expect(await stored({ question: 'Phone?', validation: 'phone' }, message(bad)), bad).toBeUndefined();
    }
  });

  it('choice accepts a choice by its title, in any case, and stores its id', async () => {
    const { result } = await answer({ question: 'Need?', validation: 'choice', choices }, message('REFUND'));
    expect(result.state.variables.answer).toBe('refund');
    expect(sentTexts(result)).toEqual(['answered: refund']);
  });

  it('choice accepts a choice by its number in the list', async () => {
    expect(await stored({ question: 'Need?', validation: 'choice', choices }, message('1'))).toBe('order');
    expect(await stored({ question: 'Need?', validation: 'choice', choices }, message(' 3 '))).toBe('other');
    expect(await stored({ question: 'Need?', validation: 'choice', choices }, message('4'))).toBeUndefined();
    expect(await stored({ question: 'Need?', validation: 'choice', choices }, message('0'))).toBeUndefined();
  });

  it('choice accepts a tapped button by its id, whatever its title says', async () => {
    const { result } = await answer({ question: 'Need?', validation: 'choice', choices }, buttonReply('refund', 'Something else'));
    expect(result.state.variables.answer).toBe('refund');
  });

  it('choice accepts a Messenger postback by its payload', async () => {
    const { result } = await answer({ question: 'Need?', validation: 'choice', choices }, message({ type: 'postback', payload: 'other', title: 'Other' }));
    expect(result.state.variables.answer).toBe('other');
  });

  it('choice rejects text that is not one of the choices', async () => {
    const { result } = await answer({ question: 'Need?', validation: 'choice', choices }, message('pizza'));
    expect(result.state.variables.answer).toBeUndefined();
    expect(result.state.cursor).toMatchObject({ nodeId: 'ask', attempts: 1 });
  });
});

describe('ask question: retries', () => {
  it('re-asks with the retry message, {{question}} filled in, up to maxRetries times, then takes the invalid port', async () => {
    const conversation = converse(question({ question: 'How old are you?', validation: 'number', maxRetries: 2, retryMessage: 'Just a number please. {{question}}' }));
    await conversation.send(message('hi'));

    const first = await conversation.send(message('old'));
    expect(sentTexts(first)).toEqual(['Just a number please. How old are you?']);
    expect(first.state.cursor).toMatchObject({ nodeId: 'ask', attempts: 1 });

    const second = await conversation.send(message('very old'));
    expect(sentTexts(second)).toEqual(['Just a number please. How old are you?']);
    expect(second.state.cursor).toMatchObject({ nodeId: 'ask', attempts: 2 });

    const third = await conversation.send(message('ancient'));
    expect(sentTexts(third)).toEqual(['invalid']);
    expect(path(third)).toEqual(['ask.invalid', 'invalid.next']);
    expect(third.state.cursor).toBeNull();
    expect(third.state.variables.answer).toBeUndefined();
  });

  it('fills {{ question }} like any placeholder, and never renders the customer\'s words a second time', async () => {
    const spaced = await answer({ question: 'Email?', validation: 'email', retryMessage: 'Again: {{ question }}' }, message('nope'));
    expect(sentTexts(spaced.result)).toEqual(['Again: Email?']);
    const conversation = converse(question({ question: 'Hi {{contact.name}}, your email?', validation: 'email' }), { contact: { name: '{{message.text}}' } });
    await conversation.send(message('hi'));
    const retried = await conversation.send(message('nope'));
    expect(sentTexts(retried)).toEqual(["Sorry, I didn't get that. Hi {{message.text}}, your email?"]);
  });

  it('uses the default retry message', async () => {
    const { result } = await answer({ question: 'Email?', validation: 'email' }, message('nope'));
    expect(sentTexts(result)).toEqual(["Sorry, I didn't get that. Email?"]);
  });

  it('gives up at the first wrong reply when maxRetries is 0', async () => {
    const { result } = await answer({ question: 'Email?', validation: 'email', maxRetries: 0 }, message('nope'));
    expect(sentTexts(result)).toEqual(['invalid']);
  });

  it('accepts a valid answer after a wrong one', async () => {
    const conversation = converse(question({ question: 'Email?', validation: 'email' }));
    await conversation.send(message('hi'));
    await conversation.send(message('nope'));
    const result = await conversation.send(message('ada@example.com'));
    expect(sentTexts(result)).toEqual(['answered: ada@example.com']);
  });
});

describe('ask question: timeout', () => {
  const timed = { question: 'Email?', validation: 'email', timeoutSeconds: 900 };

  it('schedules a timer for the timeout when it asks', async () => {
    const conversation = converse(question(timed), { now: '2025-01-06T10:00:00Z', conversation: { id: 'conv-9' } });
    const result = await conversation.send(message('hi'));
    expect(effectsOf(result, 'schedule-timer')).toEqual([{ type: 'schedule-timer', token: 'conv-9:1', nodeId: 'ask', dueAt: '2025-01-06T10:15:00.000Z' }]);
    expect(result.state.cursor).toEqual({ nodeId: 'ask', wait: 'reply', token: 'conv-9:1', attempts: 0 });
  });

  it('schedules no timer when timeoutSeconds is 0', async () => {
    const result = await converse(question({ question: 'Email?' })).send(message('hi'));
    expect(effectsOf(result, 'schedule-timer')).toEqual([]);
  });

  it('takes the timeout port when its timer fires', async () => {
    const conversation = converse(question(timed));
    const asked = await conversation.send(message('hi'));
    const token = asked.state.cursor?.token ?? '';
    const result = await conversation.send(timer(token));
    expect(path(result)).toEqual(['ask.timeout', 'timeout.next']);
    expect(sentTexts(result)).toEqual(['timeout']);
    expect(effectsOf(result, 'cancel-timer')).toEqual([]);
  });

  it('keeps the same timer across retries, so re-asking does not extend the deadline', async () => {
    const conversation = converse(question(timed));
    const asked = await conversation.send(message('hi'));
    const retried = await conversation.send(message('nope'));
    expect(effectsOf(retried, 'schedule-timer')).toEqual([]);
    expect(retried.state.cursor?.token).toBe(asked.state.cursor?.token);
    const result = await conversation.send(timer(asked.state.cursor?.token ?? ''));
    expect(sentTexts(result)).toEqual(['timeout']);
  });

  it('ignores a stale timer token', async () => {
    const conversation = converse(question(timed));
    const asked = await conversation.send(message('hi'));
    const result = await conversation.send(timer('conv-1:999'));
    expect(result).toMatchObject({ effects: [], trace: [], failed: null });
    expect(result.state.cursor).toEqual(asked.state.cursor);
  });

  it('cancels its timer when answered', async () => {
    const conversation = converse(question(timed));
    const asked = await conversation.send(message('hi'));
    const result = await conversation.send(message('ada@example.com'));
    expect(effectsOf(result, 'cancel-timer')).toEqual([{ type: 'cancel-timer', token: asked.state.cursor?.token }]);
    // The timer that fires anyway, after the cancel raced it, finds the flow moved on.
    const late = await conversation.send(timer(asked.state.cursor?.token ?? ''));
    expect(late).toMatchObject({ effects: [], trace: [], failed: null });
  });

  it('cancels its timer when it gives up', async () => {
    const conversation = converse(question({ ...timed, maxRetries: 0 }));
    const asked = await conversation.send(message('hi'));
    const result = await conversation.send(message('nope'));
    expect(effectsOf(result, 'cancel-timer')).toEqual([{ type: 'cancel-timer', token: asked.state.cursor?.token }]);
    expect(sentTexts(result)).toEqual(['invalid']);
  });

  it('keeps waiting when the conversation-started event arrives meanwhile', async () => {
    const conversation = converse(question(timed));
    const asked = await conversation.send(message('hi'));
    const result = await conversation.send({ kind: 'conversation-started' });
    expect(result.effects).toEqual([]);
    expect(result.state.cursor).toEqual(asked.state.cursor);
  });
});
