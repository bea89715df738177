import { describe, expect, it } from 'vitest';
import { effectsOf, flow, message, runOnce, sentTexts } from '../interpreter/testing.ts';

const setThenSay = (assignments: Record<string, unknown>[], text = 'done') =>
  flow(
    { start: { type: 'start' }, set: { type: 'set', data: { assignments } }, say: { type: 'send-message', data: { text } } },
    ['start -> set', 'set -> say'],
  );

async function stored(value: string) {
  const result = await runOnce(setThenSay([{ target: 'variable', name: 'v', value }]), message('hi'));
  return result.state.variables.v;
}

describe('set: variables', () => {
  it('stores the rendered value for the nodes after it', async () => {
    const result = await runOnce(setThenSay([{ target: 'variable', name: 'greeting', value: 'Hello {{contact.name}}' }], '{{greeting}}!'), message('hi'), {
      contact: { name: 'Ada' },
    });
    expect(result.state.variables.greeting).toBe('Hello Ada');
    expect(sentTexts(result)).toEqual(['Hello Ada!']);
    expect(result.trace[1]).toMatchObject({ nodeId: 'set', changed: { greeting: 'Hello Ada' } });
  });

  it('stores numbers and booleans as such, so conditions can compare them', async () => {
    expect(await stored('42')).toBe(42);
    expect(await stored('-3.5')).toBe(-3.5);
    expect(await stored('0')).toBe(0);
    expect(await stored('true')).toBe(true);
    expect(await stored('false')).toBe(false);
  });

  it('keeps as text what only looks like a number: leading zeros, long ids, words', async () => {
    expect(await stored('01234')).toBe('01234');
    expect(await stored('0612345678')).toBe('0612345678');
    expect(await stored('12345678901234567890')).toBe('12345678901234567890');
    expect(await stored('1e3')).toBe('1e3');
    expect(await stored('12 apples')).toBe('12 apples');
    expect(await stored('True')).toBe('True');
    expect(await stored('')).toBe('');
  });

  it('applies assignments in order, each seeing the ones before it', async () => {
    const result = await runOnce(
      setThenSay([
        { target: 'variable', name: 'a', value: 'x' },
        { target: 'variable', name: 'b', value: '{{a}}y' },
        { target: 'variable', name: 'a', value: 'z' },
      ]),
      message('hi'),
    );
    expect(result.state.variables).toMatchObject({ a: 'z', b: 'xy' });
  });
});

describe('set: contact attributes', () => {
  it('emits an attribute effect with the coerced value, visible to later nodes in the same run', async () => {
    const result = await runOnce(
      setThenSay(
        [
          { target: 'contact-attribute', name: 'plan', value: 'gold' },
          { target: 'contact-attribute', name: 'visits', value: '3' },
        ],
        '{{contact.plan}} after {{contact.visits}}',
      ),
      message('hi'),
      { contact: { attributes: { plan: 'silver' } } },
    );
    expect(effectsOf(result, 'set-contact-attribute')).toEqual([
      { type: 'set-contact-attribute', key: 'plan', value: 'gold' },
      { type: 'set-contact-attribute', key: 'visits', value: 3 },
    ]);
    expect(sentTexts(result)).toEqual(['gold after 3']);
    expect(result.state.variables).toEqual({});
  });

  it('does not change the contact it was given; the runner applies the effect', async () => {
    const contact = { id: 'c1', name: 'Ada', attributes: { plan: 'silver' } };
    await runOnce(setThenSay([{ target: 'contact-attribute', name: 'plan', value: 'gold' }]), message('hi'), { contact });
    expect(contact.attributes.plan).toBe('silver');
  });
});

describe('set: tags', () => {
  it('adds and removes conversation tags, with rendered names', async () => {
    const result = await runOnce(
      setThenSay(
        [
          { target: 'tag', name: 'lang-{{conversation.language}}' },
          { target: 'tag', name: 'new', action: 'remove' },
        ],
        'tags: {{conversation.tags}}',
      ),
      message('hi'),
      { conversation: { language: 'pt', tags: ['new', 'vip'] } },
    );
    expect(effectsOf(result, 'tag')).toEqual([
      { type: 'tag', tag: 'lang-pt', action: 'add' },
      { type: 'tag', tag: 'new', action: 'remove' },
    ]);
    expect(sentTexts(result)).toEqual(['tags: ["vip","lang-pt"]']);
  });

  it('does not add a tag twice to the conversation the flow sees', async () => {
    const result = await runOnce(setThenSay([{ target: 'tag', name: 'vip' }], 'tags: {{conversation.tags}}'), message('hi'), { conversation: { tags: ['vip'] } });
    expect(sentTexts(result)).toEqual(['tags: ["vip"]']);
  });
});
