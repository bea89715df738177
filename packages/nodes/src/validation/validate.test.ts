import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FlowDocument } from '../flow/document.ts';
import { loadFlowDocument } from '../flow/migrations.ts';
import { flow, type NodeSpec } from '../interpreter/testing.ts';
import { defaultRegistry } from '../nodes/registry.ts';
import { portsOf, validateFlow, type ValidationIssue } from './validate.ts';

const say = (text: string): NodeSpec => ({ type: 'send-message', data: { text } });
const ask = (saveAs: string, extra: Record<string, unknown> = {}): NodeSpec => ({ type: 'ask-question', data: { question: 'Q?', saveAs, ...extra } });

const issues = (document: FlowDocument, code: ValidationIssue['code']) => {
  const report = validateFlow(document);
  return [...report.errors, ...report.warnings].filter((i) => i.code === code);
};

describe('validateFlow', () => {
  it('passes a small well-formed flow with no errors and no warnings', () => {
    const report = validateFlow(flow({ start: { type: 'start' }, hi: say('Hi {{contact.name | there}}') }, ['start -> hi']));
    expect(report).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('no-entry: a flow needs a Start node', () => {
    const report = validateFlow(flow({ hi: say('hi') }));
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([expect.objectContaining({ severity: 'error', code: 'no-entry' })]);
  });

  it('many-entries: flags every Start node after the first', () => {
    const report = validateFlow(flow({ a: { type: 'start' }, b: { type: 'start' }, c: { type: 'start' } }));
    expect(report.errors.filter((i) => i.code === 'many-entries').map((i) => i.nodeId)).toEqual(['b', 'c']);
  });

  it('unknown-type: names the node and the type field', () => {
    const [issue] = issues(flow({ start: { type: 'start' }, x: { type: 'teleport' } }, ['start -> x']), 'unknown-type');
    expect(issue).toMatchObject({ severity: 'error', nodeId: 'x', field: 'type', message: 'unknown node type "teleport"' });
  });

  it('invalid-config: points at the field inside the config', () => {
    const doc = flow(
      {
        start: { type: 'start' },
        check: {
          type: 'condition',
          data: { branches: [{ id: 'yes', label: 'Yes', rules: [{ kind: 'text', op: 'contains', value: '' }] }] },
        },
      },
      ['start -> check'],
    );
    expect(issues(doc, 'invalid-config')).toEqual([expect.objectContaining({ severity: 'error', nodeId: 'check', field: 'branches.0.rules.0.value' })]);
  });

  it('invalid-config: reports every bad field of a node, and refinements by their path', () => {
    const doc = flow(
      {
        start: { type: 'start' },
        call: { type: 'http-request', data: { url: 'ftp://x', timeoutMs: 5, headers: [{ name: '', value: 'v' }] } },
        hi: { type: 'send-message', data: { text: '' } },
        hours: { type: 'condition', data: { branches: [{ id: 'open', label: 'Open', rules: [{ kind: 'business-hours', timezone: 'Mars/Olympus', open: '9:00', close: '17:00' }] }] } },
      },
      ['start -> call', 'call -> hi', 'hi -> hours'],
    );
    const found = issues(doc, 'invalid-config').map((i) => `${i.nodeId}:${i.field}`);
    expect(found.sort()).toEqual(['call:headers.0.name', 'call:timeoutMs', 'call:url', 'hi:text', 'hours:branches.0.rules.0.open', 'hours:branches.0.rules.0.timezone']);
  });

  it('dangling-edge: an edge to or from a node that does not exist', () => {
    const doc = flow({ start: { type: 'start' }, hi: say('hi') }, ['start -> hi', 'hi -> gone', 'ghost -> hi']);
    expect(issues(doc, 'dangling-edge')).toEqual([
      expect.objectContaining({ severity: 'error', edgeId: 'e2', message: 'edge e2 points to a missing node "gone"' }),
      expect.objectContaining({ severity: 'error', edgeId: 'e3', message: 'edge e3 points to a missing node "ghost"' }),
    ]);
  });

  it('unknown-port: an edge from an output the node does not have', () => {
    const doc = flow(
      { start: { type: 'start' }, hi: say('hi'), pause: { type: 'delay', data: { seconds: 5 } }, bye: say('bye') },
      ['start -> hi', 'hi.maybe -> bye', 'hi -> pause', 'pause.error -> bye'],
    );
    expect(issues(doc, 'unknown-port')).toEqual([
      expect.objectContaining({ severity: 'error', edgeId: 'e2', nodeId: 'hi', message: 'node hi has no output "maybe"' }),
      // A delay has no error port; only nodes that declare one do.
      expect.objectContaining({ severity: 'error', edgeId: 'e4', nodeId: 'pause' }),
    ]);
  });

  it('send message: passes with its "Not delivered" port connected or not, warning about neither', () => {
    const without = flow({ start: { type: 'start' }, hi: say('Your order shipped'), bye: say('bye') }, ['start -> hi', 'hi -> bye']);
    const withPort = flow(
      { start: { type: 'start' }, hi: say('Your order shipped'), bye: say('bye'), sorry: { type: 'handoff', data: { team: 'support', note: '{{delivery.error}} ({{delivery.messageId}})' } } },
      ['start -> hi', 'hi -> bye', 'hi.error -> sorry'],
    );
    expect(validateFlow(without)).toEqual({ ok: true, errors: [], warnings: [] });
    expect(validateFlow(withPort)).toEqual({ ok: true, errors: [], warnings: [] });
    const definition = defaultRegistry.get('send-message');
    if (!definition) throw new Error('send-message is not registered');
    expect(portsOf(definition, { text: 'hi' })).toEqual([
      { id: 'next', label: 'Next' },
      { id: 'error', label: 'Not delivered' },
    ]);
  });

  it('unknown-port: accepts the branch ports, else, and the error port of nodes that have one', () => {
    const doc = flow(
      {
        start: { type: 'start' },
        check: { type: 'condition', data: { branches: [{ id: 'vip', label: 'VIP', rules: [{ kind: 'channel', values: ['sms'] }] }] } },
        call: { type: 'http-request', data: { url: 'https://x.example.com' } },
        a: say('a'),
        b: say('b'),
      },
      ['start -> check', 'check.vip -> call', 'check.else -> a', 'call -> a', 'call.error -> b'],
    );
    expect(validateFlow(doc)).toMatchObject({ ok: true, errors: [] });
  });

  it('duplicate-id: two nodes or two edges with one id', () => {
    const doc = FlowDocument.parse({
      schemaVersion: 1,
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'hi', type: 'send-message', data: { text: 'one' } },
        { id: 'hi', type: 'send-message', data: { text: 'two' } },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'hi' },
        { id: 'e1', source: 'start', target: 'hi' },
      ],
    });
    expect(issues(doc, 'duplicate-id')).toEqual([
      expect.objectContaining({ severity: 'error', nodeId: 'hi' }),
      expect.objectContaining({ severity: 'error', edgeId: 'e1' }),
    ]);
  });

  it('unreachable: warns about nodes no path from Start reaches, without blocking', () => {
    const report = validateFlow(flow({ start: { type: 'start' }, hi: say('hi'), lost: say('lost'), after: say('after') }, ['start -> hi', 'lost -> after']));
    expect(report.ok).toBe(true);
    expect(report.warnings.filter((w) => w.code === 'unreachable').map((w) => w.nodeId)).toEqual(['lost', 'after']);
  });

  it('unconnected-port: warns about branching outputs that lead nowhere, but not the error port', () => {
    const doc = flow(
      { start: { type: 'start' }, ask: ask('email'), call: { type: 'http-request', data: { url: 'https://x.example.com' } }, done: say('done') },
      ['start -> ask', 'ask.answered -> call', 'call -> done'],
    );
    const report = validateFlow(doc);
    expect(report.ok).toBe(true);
    expect(report.warnings.filter((w) => w.code === 'unconnected-port')).toEqual([
      expect.objectContaining({ severity: 'warning', nodeId: 'ask', field: 'invalid' }),
      expect.objectContaining({ severity: 'warning', nodeId: 'ask', field: 'timeout' }),
    ]);
  });

  it('unconnected-port: says nothing about single-output nodes or unreachable ones', () => {
    const doc = flow({ start: { type: 'start' }, hi: say('hi'), lonely: ask('x') }, ['start -> hi']);
    expect(issues(doc, 'unconnected-port')).toEqual([]);
  });

  describe('undefined-variable', () => {
    it('flags a template reading a variable no node sets and the flow does not declare, with its field path', () => {
      const doc = flow(
        {
          start: { type: 'start' },
          hi: say('Order {{orderId}} for {{contact.name}}'),
          call: { type: 'http-request', data: { url: 'https://x.example.com', headers: [{ name: 'X-Key', value: '{{apiKey | none}}' }] } },
          check: { type: 'condition', data: { branches: [{ id: 'b', label: 'B', rules: [{ kind: 'variable', name: 'v', op: 'equals', value: '{{expected.value}}' }] }] } },
        },
        ['start -> hi', 'hi -> call', 'call -> check'],
      );
      expect(issues(doc, 'undefined-variable').map((i) => ({ nodeId: i.nodeId, field: i.field, message: i.message }))).toEqual([
        { nodeId: 'hi', field: 'text', message: '{{orderId}} uses a variable no node sets and the flow does not declare' },
        { nodeId: 'call', field: 'headers.0.value', message: expect.stringContaining('{{apiKey}}') },
        { nodeId: 'check', field: 'branches.0.rules.0.value', message: expect.stringContaining('{{expected.value}}') },
      ]);
    });

    it('accepts declared variables, built-in roots, and variables a node writes', () => {
      const doc = flow(
        {
          start: { type: 'start' },
          set: { type: 'set', data: { assignments: [{ target: 'variable', name: 'greeting', value: 'Hi' }] } },
          ask: ask('email'),
          call: { type: 'http-request', data: { url: 'https://x.example.com', responseMapping: [{ variable: 'plan', path: 'plan' }], statusVariable: 'code' } },
          hi: say('{{greeting}} {{email}} {{plan}} {{code}} {{declared}} {{contact.name}} {{conversation.channel}} {{message.text}} {{vars.x}} {{lastError}}'),
        },
        ['start -> set', 'set -> ask', 'ask.answered -> call', 'call -> hi'],
        [{ name: 'declared' }],
      );
      expect(issues(doc, 'undefined-variable')).toEqual([]);
    });

    it('accepts a variable written by a node that comes later, since a loop may run it first', () => {
      const doc = flow({ start: { type: 'start' }, hi: say('{{email}}'), ask: ask('email') }, ['start -> hi', 'hi -> ask']);
      expect(issues(doc, 'undefined-variable')).toEqual([]);
    });

    it('lets a question’s retry message say {{question}}, but no other node', () => {
      const doc = flow(
        { start: { type: 'start' }, ask: ask('email', { retryMessage: 'Again: {{question}}' }), hi: say('{{question}}') },
        ['start -> ask', 'ask.answered -> hi'],
      );
      expect(issues(doc, 'undefined-variable').map((i) => i.nodeId)).toEqual(['hi']);
    });
  });

  describe('loop-without-wait', () => {
    it('flags a loop with no node that waits', () => {
      const doc = flow({ start: { type: 'start' }, a: say('a'), b: say('b'), c: say('c') }, ['start -> a', 'a -> b', 'b -> c', 'c -> a']);
      const [issue] = issues(doc, 'loop-without-wait');
      expect(issue).toMatchObject({ severity: 'error', nodeId: 'a', message: 'loop a -> b -> c has no node that waits for the customer or a timer' });
    });

    it('flags a node that loops to itself', () => {
      const doc = flow(
        { start: { type: 'start' }, call: { type: 'http-request', data: { url: 'https://x.example.com' } }, done: say('done') },
        ['start -> call', 'call.error -> call', 'call -> done'],
      );
      expect(issues(doc, 'loop-without-wait')).toEqual([expect.objectContaining({ nodeId: 'call' })]);
    });

    it('flags a loop back through a send’s "Not delivered" port: a platform that refuses for good would be asked forever', () => {
      const doc = flow({ start: { type: 'start' }, hi: say('hi'), again: say('once more') }, ['start -> hi', 'hi.error -> again', 'again -> hi']);
      expect(issues(doc, 'loop-without-wait')).toEqual([expect.objectContaining({ nodeId: 'hi' })]);
    });

    it('accepts a loop through a question or a delay', () => {
      const retry = flow(
        { start: { type: 'start' }, ask: ask('email'), sorry: say('try again'), pause: { type: 'delay', data: { seconds: 60 } }, call: { type: 'http-request', data: { url: 'https://x.example.com' } } },
        ['start -> ask', 'ask.invalid -> sorry', 'sorry -> ask', 'ask.answered -> call', 'call.error -> pause', 'pause -> call'],
      );
      expect(issues(retry, 'loop-without-wait')).toEqual([]);
    });
  });

  describe('the example flows', () => {
    const dir = new URL('../../../../examples/flows/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

    it('exist', () => {
      expect(files).toEqual(expect.arrayContaining(['demo.json', 'echo.json']));
    });

    it.each(files)('%s loads and validates with no errors', (file) => {
      const loaded = loadFlowDocument(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
      if (!loaded.ok) throw new Error(`${file}: ${JSON.stringify(loaded.issues)}`);
      const report = validateFlow(loaded.document);
      expect(report.errors).toEqual([]);
    });
  });
});
