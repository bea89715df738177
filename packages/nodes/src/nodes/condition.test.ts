import { describe, expect, it } from 'vitest';
import type { FlowInput } from '../define.ts';
import { buttonReply, converse, flow, message, sentTexts, type ConversationOptions, type VariableSpec } from '../interpreter/testing.ts';

interface BranchSpec {
  id: string;
  match?: 'all' | 'any';
  rules: Record<string, unknown>[];
}

/** A condition whose every port, else included, leads to a message naming the port. */
function router(branches: BranchSpec[], variables: VariableSpec[] = []) {
  const nodes: Parameters<typeof flow>[0] = {
    start: { type: 'start' },
    check: { type: 'condition', data: { branches: branches.map((b) => ({ label: b.id, ...b })) } },
    else: { type: 'send-message', data: { text: 'else' } },
  };
  const edges = ['start -> check', 'check.else -> else'];
  for (const b of branches) {
    nodes[`say-${b.id}`] = { type: 'send-message', data: { text: b.id } };
    edges.push(`check.${b.id} -> say-${b.id}`);
  }
  return flow(nodes, edges, variables);
}

/** The port the condition took for one input. */
async function route(rules: Record<string, unknown>[], input: FlowInput = message('hi'), options: ConversationOptions & { variables?: VariableSpec[] } = {}) {
  const result = await converse(router([{ id: 'yes', rules }], options.variables), options).send(input);
  expect(result.failed).toBeNull();
  const [text] = sentTexts(result);
  return text;
}

describe('condition: message text', () => {
  it('contains matches anywhere in the text, ignoring case by default', async () => {
    const rule = { kind: 'text', op: 'contains', value: 'refund' };
    expect(await route([rule], message('I want a REFUND please'))).toBe('yes');
    expect(await route([rule], message('where is my order'))).toBe('else');
  });

  it('respects caseSensitive', async () => {
    const rule = { kind: 'text', op: 'contains', value: 'SALE', caseSensitive: true };
    expect(await route([rule], message('big SALE today'))).toBe('yes');
    expect(await route([rule], message('big sale today'))).toBe('else');
  });

  it('equals compares the whole trimmed text', async () => {
    const rule = { kind: 'text', op: 'equals', value: 'yes' };
    expect(await route([rule], message('  YES '))).toBe('yes');
    expect(await route([rule], message('yes please'))).toBe('else');
  });

  it('starts-with matches only at the beginning', async () => {
    const rule = { kind: 'text', op: 'starts-with', value: 'order' };
    expect(await route([rule], message('Order 1234 is late'))).toBe('yes');
    expect(await route([rule], message('my order 1234'))).toBe('else');
  });

  it('regex matches by pattern, ignoring case by default', async () => {
    const rule = { kind: 'text', op: 'regex', value: '^order\\s*#?\\d+$' };
    expect(await route([rule], message('ORDER #4521'))).toBe('yes');
    expect(await route([rule], message('order number please'))).toBe('else');
  });

  it('an invalid regex never matches and does not fail the run', async () => {
    expect(await route([{ kind: 'text', op: 'regex', value: '(unclosed' }], message('(unclosed'))).toBe('else');
  });

  it('reads the title of a tapped button', async () => {
    expect(await route([{ kind: 'text', op: 'equals', value: 'talk to a human' }], buttonReply('human', 'Talk to a human'))).toBe('yes');
  });

  it('a message without text, like a bare location, matches no text rule', async () => {
    expect(await route([{ kind: 'text', op: 'contains', value: 'a' }], message({ type: 'location', latitude: 1, longitude: 2 }))).toBe('else');
  });
});

describe('condition: channel and language', () => {
  it('matches the channel type or the channel id', async () => {
    const whatsapp = { conversation: { channelType: 'whatsapp', channelId: 'wa-main' } };
    expect(await route([{ kind: 'channel', values: ['whatsapp'] }], message('hi'), whatsapp)).toBe('yes');
    expect(await route([{ kind: 'channel', values: ['wa-main'] }], message('hi'), whatsapp)).toBe('yes');
    expect(await route([{ kind: 'channel', values: ['telegram', 'sms'] }], message('hi'), whatsapp)).toBe('else');
  });

  it('matches a language by its primary tag', async () => {
    const rule = { kind: 'language', values: ['PT'] };
    expect(await route([rule], message('olá'), { conversation: { language: 'pt-BR' } })).toBe('yes');
    expect(await route([rule], message('olá'), { conversation: { language: 'pt' } })).toBe('yes');
    expect(await route([rule], message('hola'), { conversation: { language: 'es' } })).toBe('else');
    expect(await route([{ kind: 'language', values: ['pt'] }], message('x'), { conversation: { language: 'ptx' } })).toBe('else');
  });

  it("falls back to the message's locale, then the sender's, when the conversation has no language", async () => {
    const rule = { kind: 'language', values: ['de'] };
    expect(await route([rule], message('hallo', { locale: 'de-AT' }), { conversation: { language: null } })).toBe('yes');
    expect(await route([rule], message('hallo', { from: { id: 'u', locale: 'de' } }), { conversation: { language: null } })).toBe('yes');
    expect(await route([rule], message('hallo'), { conversation: { language: null } })).toBe('else');
  });
});

describe('condition: contact attributes and variables', () => {
  it('compares a contact attribute, nested by a dotted key', async () => {
    const contact = { attributes: { plan: 'Gold', address: { city: 'Lisbon' } } };
    expect(await route([{ kind: 'contact-attribute', key: 'plan', op: 'equals', value: 'gold' }], message('hi'), { contact })).toBe('yes');
    expect(await route([{ kind: 'contact-attribute', key: 'address.city', op: 'equals', value: 'Lisbon' }], message('hi'), { contact })).toBe('yes');
    expect(await route([{ kind: 'contact-attribute', key: 'plan', op: 'equals', value: 'silver' }], message('hi'), { contact })).toBe('else');
    expect(await route([{ kind: 'contact-attribute', key: 'vip', op: 'exists' }], message('hi'), { contact })).toBe('else');
  });

  const variable = (op: string, value: string | undefined, variables: VariableSpec[]) =>
    route([{ kind: 'variable', name: 'x', op, ...(value === undefined ? {} : { value }) }], message('hi'), { variables });
  const x = (value: unknown): VariableSpec[] => [{ name: 'x', default: value }];

  it('gt and lt compare numbers, also numbers stored as text', async () => {
    expect(await variable('gt', '100', x(150))).toBe('yes');
    expect(await variable('gt', '100', x(100))).toBe('else');
    expect(await variable('gt', '9', x('10'))).toBe('yes'); // numerically, not as text
    expect(await variable('lt', '100', x(99.5))).toBe('yes');
    expect(await variable('lt', '100', x(100))).toBe('else');
    expect(await variable('lt', '0', x(-3))).toBe('yes');
  });

  it('gt and lt never match a missing or non-numeric value', async () => {
    expect(await variable('lt', '5', [])).toBe('else');
    expect(await variable('gt', '-1', [])).toBe('else');
    expect(await variable('lt', '5', x(''))).toBe('else');
    expect(await variable('gt', '5', x('lots'))).toBe('else');
    expect(await variable('lt', '', x(-1))).toBe('else');
  });

  it('exists and not-exists treat an empty value as missing', async () => {
    expect(await variable('exists', undefined, x('a'))).toBe('yes');
    expect(await variable('exists', undefined, x(0))).toBe('yes');
    expect(await variable('exists', undefined, x(false))).toBe('yes');
    expect(await variable('exists', undefined, x(''))).toBe('else');
    expect(await variable('exists', undefined, [])).toBe('else');
    expect(await variable('not-exists', undefined, [])).toBe('yes');
    expect(await variable('not-exists', undefined, x(''))).toBe('yes');
    expect(await variable('not-exists', undefined, x('a'))).toBe('else');
  });

  it('in matches one of a comma-separated list, ignoring case and spaces', async () => {
    expect(await variable('in', 'order, Refund ,other', x('refund'))).toBe('yes');
    expect(await variable('in', 'order, refund', x('ref'))).toBe('else');
    expect(await variable('in', '1,2,3', x(2))).toBe('yes');
  });

  it('equals, not-equals, contains, starts-with and regex compare text ignoring case', async () => {
    expect(await variable('equals', 'ORDER', x('order'))).toBe('yes');
    expect(await variable('equals', '42', x(42))).toBe('yes');
    expect(await variable('equals', 'true', x(true))).toBe('yes');
    expect(await variable('not-equals', 'order', x('refund'))).toBe('yes');
    expect(await variable('not-equals', 'order', x('Order'))).toBe('else');
    expect(await variable('contains', 'ship', x('Shipped'))).toBe('yes');
    expect(await variable('starts-with', 'ship', x('reshipped'))).toBe('else');
    expect(await variable('regex', '^[A-Z]{2}\\d{4}$', x('ab1234'))).toBe('yes');
    expect(await variable('regex', '(', x('('))).toBe('else');
  });

  it('renders templates in the compared value', async () => {
    const variables = [
      { name: 'x', default: 'gold' },
      { name: 'expected', default: 'GOLD' },
    ];
    expect(await route([{ kind: 'variable', name: 'x', op: 'equals', value: '{{expected}}' }], message('hi'), { variables })).toBe('yes');
    expect(await route([{ kind: 'variable', name: 'x', op: 'equals', value: '{{contact.name}}' }], message('hi'), { variables })).toBe('else');
  });

  it('reads a field of an object variable by a dotted name', async () => {
    const variables = [{ name: 'order', default: { status: 'shipped', items: [{ sku: 'A1' }] } }];
    expect(await route([{ kind: 'variable', name: 'order.status', op: 'equals', value: 'shipped' }], message('hi'), { variables })).toBe('yes');
    expect(await route([{ kind: 'variable', name: 'order.items.0.sku', op: 'equals', value: 'a1' }], message('hi'), { variables })).toBe('yes');
  });
});

describe('condition: business hours', () => {
  const weekdays = { kind: 'business-hours', timezone: 'America/New_York', open: '09:00', close: '17:00' };
  const at = (now: string, rule: Record<string, unknown> = weekdays) => route([rule], message('hi'), { now });

  it('is inside during opening hours in the rule’s time zone, not UTC', async () => {
    // Monday 2025-01-06; New York is UTC-5 in January.
    expect(await at('2025-01-06T14:00:00Z')).toBe('yes'); // 09:00 local, opening minute
    expect(await at('2025-01-06T21:59:00Z')).toBe('yes'); // 16:59 local
    expect(await at('2025-01-06T13:59:00Z')).toBe('else'); // 08:59 local
    expect(await at('2025-01-06T22:00:00Z')).toBe('else'); // 17:00 local: closed
  });

  it('is outside on days not listed, judged by the local day', async () => {
    expect(await at('2025-01-11T15:00:00Z')).toBe('else'); // Saturday 10:00 local
    const evenings = { ...weekdays, open: '20:00', close: '23:00' };
    expect(await at('2025-01-07T02:00:00Z', evenings)).toBe('yes'); // Tuesday in UTC, Monday 21:00 local
    expect(await at('2025-01-06T02:00:00Z', evenings)).toBe('else'); // Monday in UTC, Sunday 21:00 local
  });

  it('uses the listed days', async () => {
    const weekend = { ...weekdays, days: ['sat', 'sun'] };
    expect(await at('2025-01-11T15:00:00Z', weekend)).toBe('yes');
    expect(await at('2025-01-06T15:00:00Z', weekend)).toBe('else');
  });

  it('when "outside" matches while the shop is closed', async () => {
    const closed = { ...weekdays, when: 'outside' };
    expect(await at('2025-01-06T15:00:00Z', closed)).toBe('else');
    expect(await at('2025-01-06T23:00:00Z', closed)).toBe('yes');
    expect(await at('2025-01-11T15:00:00Z', closed)).toBe('yes');
  });

  describe('a window spanning midnight (Friday 22:00-06:00 in Berlin, UTC+1 in January)', () => {
    const night = { kind: 'business-hours', timezone: 'Europe/Berlin', days: ['fri'], open: '22:00', close: '06:00' };

    it('is inside from Friday 22:00 until Saturday 06:00', async () => {
      expect(await at('2025-01-10T21:00:00Z', night)).toBe('yes'); // Fri 22:00
      expect(await at('2025-01-10T23:30:00Z', night)).toBe('yes'); // Sat 00:30
      expect(await at('2025-01-11T04:59:00Z', night)).toBe('yes'); // Sat 05:59
    });

    it('is outside before it opens, once it closes, and in the early hours of the day the window began', async () => {
      expect(await at('2025-01-10T20:59:00Z', night)).toBe('else'); // Fri 21:59
      expect(await at('2025-01-11T05:00:00Z', night)).toBe('else'); // Sat 06:00
      expect(await at('2025-01-10T00:30:00Z', night)).toBe('else'); // Fri 01:30 belongs to Thursday's night
      expect(await at('2025-01-11T21:30:00Z', night)).toBe('else'); // Sat 22:30: Saturday is not listed
    });
  });
});

describe('condition: branches', () => {
  const refund = { kind: 'text', op: 'contains', value: 'refund' };
  const whatsapp = { kind: 'channel', values: ['whatsapp'] };
  const onTelegram = { conversation: { channelType: 'telegram' } };

  it('"all" needs every rule to match', async () => {
    const doc = router([{ id: 'yes', match: 'all', rules: [refund, whatsapp] }]);
    expect(sentTexts(await converse(doc, onTelegram).send(message('refund')))).toEqual(['else']);
    expect(sentTexts(await converse(doc, { conversation: { channelType: 'whatsapp' } }).send(message('refund')))).toEqual(['yes']);
  });

  it('"any" needs one rule to match', async () => {
    const doc = router([{ id: 'yes', match: 'any', rules: [refund, whatsapp] }]);
    expect(sentTexts(await converse(doc, onTelegram).send(message('refund')))).toEqual(['yes']);
    expect(sentTexts(await converse(doc, onTelegram).send(message('hello')))).toEqual(['else']);
  });

  it('takes the first branch that matches', async () => {
    const doc = router([
      { id: 'first', rules: [refund] },
      { id: 'second', rules: [refund] },
    ]);
    const result = await converse(doc).send(message('refund'));
    expect(sentTexts(result)).toEqual(['first']);
    expect(result.trace.find((t) => t.nodeId === 'check')).toMatchObject({ outcome: 'next', port: 'first' });
  });

  it('goes to else when no branch matches, and ends quietly when else leads nowhere', async () => {
    const doc = router([{ id: 'yes', rules: [refund] }]);
    expect(sentTexts(await converse(doc).send(message('hello')))).toEqual(['else']);

    const noElse = flow(
      { start: { type: 'start' }, check: { type: 'condition', data: { branches: [{ id: 'yes', label: 'Yes', rules: [refund] }] } } },
      ['start -> check'],
    );
    const result = await converse(noElse).send(message('hello'));
    expect(result.trace.at(-1)).toMatchObject({ nodeId: 'check', port: 'else' });
    expect(result.effects).toEqual([]);
    expect(result.failed).toBeNull();
  });
});
