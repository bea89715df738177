import { describe, expect, it } from 'vitest';
import { describeFieldChange, diffFlows } from './diff.ts';
import { CURRENT_SCHEMA_VERSION, type FlowDocument, type FlowEdge, type FlowNode } from './document.ts';

function node(id: string, type: string, data: Record<string, unknown>, position = { x: 0, y: 0 }): FlowNode {
  return { id, type, typeVersion: 1, position, data };
}

function edge(id: string, source: string, target: string, sourceHandle = 'next'): FlowEdge {
  return { id, source, sourceHandle, target };
}

const refund = { id: 'refund', label: 'Refund', match: 'all', rules: [{ kind: 'text', op: 'contains', value: 'refund' }, { kind: 'channel', values: ['whatsapp', 'telegram'] }] };
const order = { id: 'order', label: 'Order', match: 'all', rules: [{ kind: 'text', op: 'contains', value: 'order' }] };
const human = { id: 'human', label: 'Agent', match: 'any', rules: [{ kind: 'text', op: 'contains', value: 'agent' }] };
const yes = { id: 'yes', title: 'Yes' };
const no = { id: 'no', title: 'No' };

/** start → triage (refund | order | human | else) → reply or agent. */
function orderBot(): FlowDocument {
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    name: 'Order bot',
    nodes: [
      node('start', 'start', { trigger: 'message' }),
      node('triage', 'condition', { branches: [refund, order, human] }, { x: 200, y: 0 }),
      node('reply', 'send-message', { text: 'Did that help?', buttons: [yes, no] }, { x: 400, y: 0 }),
      node('agent', 'handoff', { team: 'support' }, { x: 400, y: 200 }),
    ],
    edges: [
      edge('e1', 'start', 'triage'),
      edge('e2', 'triage', 'reply', 'refund'),
      edge('e3', 'triage', 'reply', 'order'),
      edge('e4', 'triage', 'agent', 'human'),
      edge('e5', 'triage', 'agent', 'else'),
    ],
    variables: [{ name: 'orderId', default: '' }],
  };
}

function withNode(doc: FlowDocument, id: string, change: (node: FlowNode) => FlowNode): FlowDocument {
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? change(n) : n)) };
}

function withData(doc: FlowDocument, id: string, data: Record<string, unknown>): FlowDocument {
  return withNode(doc, id, (n) => ({ ...n, data }));
}

function withPosition(doc: FlowDocument, id: string, x: number, y: number): FlowDocument {
  return withNode(doc, id, (n) => ({ ...n, position: { x, y } }));
}

function withEdge(doc: FlowDocument, id: string, change: (edge: FlowEdge) => FlowEdge): FlowDocument {
  return { ...doc, edges: doc.edges.map((e) => (e.id === id ? change(e) : e)) };
}

describe('diffFlows: nodes', () => {
  it('calls two separately built copies of the same document identical', () => {
    const diff = diffFlows(orderBot(), structuredClone(orderBot()));
    expect(diff).toEqual({
      nodes: [],
      edges: [],
      variables: [],
      renamed: null,
      summary: { added: 0, removed: 0, changed: 0, moved: 0, edgesAdded: 0, edgesRemoved: 0, edgesRewired: 0, variables: 0 },
      identical: true,
    });
  });

  it('lists added nodes in after order, then removed nodes in before order', () => {
    const before = orderBot();
    const [start, , reply] = before.nodes;
    if (start === undefined || reply === undefined) throw new Error('orderBot changed shape');
    const welcome = node('welcome', 'send-message', { text: 'Hi!' });
    const survey = node('survey', 'ask-question', { question: 'How did we do?' });
    const after = { ...before, nodes: [welcome, start, reply, survey] };

    expect(diffFlows(before, after).nodes).toEqual([
      { kind: 'added', nodeId: 'welcome', type: 'send-message', node: welcome },
      { kind: 'added', nodeId: 'survey', type: 'ask-question', node: survey },
      { kind: 'removed', nodeId: 'triage', type: 'condition', node: before.nodes[1] },
      { kind: 'removed', nodeId: 'agent', type: 'handoff', node: before.nodes[3] },
    ]);
  });

  it('reports a move of 1px or more with both positions, and ignores sub-pixel nudges', () => {
    const after = withPosition(withPosition(orderBot(), 'start', 0.4, -0.6), 'triage', 260, 40);
    const diff = diffFlows(orderBot(), after);
    expect(diff.nodes).toEqual([
      { kind: 'changed', nodeId: 'triage', type: 'condition', retyped: null, typeVersion: null, moved: { from: { x: 200, y: 0 }, to: { x: 260, y: 40 } }, fields: [] },
    ]);
    expect(diff.summary).toMatchObject({ moved: 1, changed: 0 });
  });

  it('reports a new typeVersion and a new type under the same id', () => {
    const after = withNode(withNode(orderBot(), 'reply', (n) => ({ ...n, typeVersion: 2 })), 'agent', (n) => ({ ...n, type: 'close' }));
    expect(diffFlows(orderBot(), after).nodes).toMatchObject([
      { kind: 'changed', nodeId: 'reply', retyped: null, typeVersion: { from: 1, to: 2 }, fields: [] },
      { kind: 'changed', nodeId: 'agent', type: 'close', retyped: { from: 'handoff', to: 'close' }, typeVersion: null, fields: [] },
    ]);
  });
});

describe('diffFlows: config', () => {
  it('names a change deep inside nested arrays by its dotted path', () => {
    const refunds = {
      ...refund,
      rules: [
        { kind: 'text', op: 'contains', value: 'refunds' },
        { kind: 'channel', values: ['whatsapp', 'messenger'] },
      ],
    };
    const after = withData(orderBot(), 'triage', { branches: [refunds, order, human] });
    expect(diffFlows(orderBot(), after).nodes).toEqual([
      {
        kind: 'changed',
        nodeId: 'triage',
        type: 'condition',
        retyped: null,
        typeVersion: null,
        moved: null,
        fields: [
          { kind: 'changed', path: 'branches.0.rules.0.value', before: 'refund', after: 'refunds' },
          { kind: 'changed', path: 'branches.0.rules.1.values.1', before: 'telegram', after: 'messenger' },
        ],
      },
    ]);
  });

  it('matches branches by id, so removing a middle branch reports only that branch and real edits after it', () => {
    const after = withData(orderBot(), 'triage', { branches: [refund, { ...human, label: 'Human agent' }] });
    const [change] = diffFlows(orderBot(), after).nodes;
    expect(change).toMatchObject({
      kind: 'changed',
      nodeId: 'triage',
      fields: [
        { kind: 'changed', path: 'branches.1.label', before: 'Agent', after: 'Human agent' },
        { kind: 'removed', path: 'branches.1', before: order },
      ],
    });
  });

  it('reports buttons put in a new order as one reordered change, since order decides which branch wins', () => {
    const after = withData(orderBot(), 'reply', { text: 'Did that help?', buttons: [{ ...no }, { ...yes }] });
    const [change] = diffFlows(orderBot(), after).nodes;
    expect(change).toMatchObject({ kind: 'changed', nodeId: 'reply', fields: [{ kind: 'reordered', path: 'buttons', before: ['yes', 'no'], after: ['no', 'yes'] }] });
  });

  it('compares arrays of values without ids by index', () => {
    const shorter = { ...refund, rules: [refund.rules[0], { kind: 'channel', values: ['telegram'] }] };
    const after = withData(orderBot(), 'triage', { branches: [shorter, order, human] });
    const [change] = diffFlows(orderBot(), after).nodes;
    expect(change).toMatchObject({
      fields: [
        { kind: 'changed', path: 'branches.0.rules.1.values.0', before: 'whatsapp', after: 'telegram' },
        { kind: 'removed', path: 'branches.0.rules.1.values.1', before: 'telegram' },
      ],
    });
  });

  it('reports added config keys before removed ones, and treats a key holding undefined as missing', () => {
    const after = withData(withData(orderBot(), 'agent', { queue: 'vip' }), 'start', { trigger: 'message', keyword: undefined });
    expect(diffFlows(orderBot(), after).nodes).toEqual([
      {
        kind: 'changed',
        nodeId: 'agent',
        type: 'handoff',
        retyped: null,
        typeVersion: null,
        moved: null,
        fields: [
          { kind: 'added', path: 'queue', after: 'vip' },
          { kind: 'removed', path: 'team', before: 'support' },
        ],
      },
    ]);
  });
});

describe('diffFlows: edges', () => {
  it('does not count a re-drawn edge with a new id as a change', () => {
    const after = withEdge(orderBot(), 'e2', (e) => ({ ...e, id: 'e2-redrawn' }));
    expect(diffFlows(orderBot(), after)).toMatchObject({ edges: [], identical: true });
  });

  it('sees an unchanged graph when two edges swap ids', () => {
    const before = orderBot();
    const swapped: Record<string, string> = { e3: 'e4', e4: 'e3' };
    const after = { ...before, edges: before.edges.map((e) => ({ ...e, id: swapped[e.id] ?? e.id })) };
    expect(after.edges.map((e) => e.id)).toEqual(['e1', 'e2', 'e4', 'e3', 'e5']);
    expect(diffFlows(before, after)).toMatchObject({ edges: [], identical: true });
  });

  it('treats a missing and a null targetHandle as the same connection', () => {
    const after = withEdge(orderBot(), 'e1', (e) => ({ ...e, targetHandle: null }));
    expect(diffFlows(orderBot(), after).identical).toBe(true);
  });

  it('reports an edge that keeps its id but gets a new target as rewired', () => {
    const after = withEdge(orderBot(), 'e4', (e) => ({ ...e, target: 'reply' }));
    const diff = diffFlows(orderBot(), after);
    expect(diff.edges).toEqual([{ kind: 'rewired', edgeId: 'e4', before: edge('e4', 'triage', 'agent', 'human'), after: edge('e4', 'triage', 'reply', 'human') }]);
    expect(diff.summary).toMatchObject({ edgesAdded: 0, edgesRemoved: 0, edgesRewired: 1 });
  });

  it('lists added edges in after order, then removed edges in before order', () => {
    const before = orderBot();
    const after = { ...before, edges: [edge('e0', 'start', 'agent'), ...before.edges.filter((e) => e.id !== 'e2' && e.id !== 'e5'), edge('e6', 'reply', 'agent')] };
    expect(diffFlows(before, after).edges).toEqual([
      { kind: 'added', edge: edge('e0', 'start', 'agent') },
      { kind: 'added', edge: edge('e6', 'reply', 'agent') },
      { kind: 'removed', edge: edge('e2', 'triage', 'reply', 'refund') },
      { kind: 'removed', edge: edge('e5', 'triage', 'agent', 'else') },
    ]);
  });
});

describe('diffFlows: variables', () => {
  it('reports variables changed, added and removed, matched by name', () => {
    const before = { ...orderBot(), variables: [{ name: 'orderId', default: '' }, { name: 'locale', default: 'en' }] };
    const after = { ...orderBot(), variables: [{ name: 'orderId', default: '0', description: 'from the order form' }, { name: 'email' }] };
    expect(diffFlows(before, after).variables).toEqual([
      {
        kind: 'changed',
        name: 'orderId',
        before: { name: 'orderId', default: '' },
        after: { name: 'orderId', default: '0', description: 'from the order form' },
        fields: [
          { kind: 'changed', path: 'default', before: '', after: '0' },
          { kind: 'added', path: 'description', after: 'from the order form' },
        ],
      },
      { kind: 'added', name: 'email', after: { name: 'email' } },
      { kind: 'removed', name: 'locale', before: { name: 'locale', default: 'en' } },
    ]);
  });
});

describe('diffFlows: summary', () => {
  it('counts each kind of change, a node both edited and moved in changed and in moved', () => {
    let after = orderBot();
    after = { ...after, name: 'Orders', nodes: [...after.nodes.filter((n) => n.id !== 'agent'), node('bye', 'close', {})] };
    after = withData(after, 'start', { trigger: 'any' });
    after = withPosition(after, 'reply', 400, 120);
    after = withPosition(withData(after, 'triage', { branches: [refund, order] }), 'triage', 220, 0);
    after = { ...after, edges: [...after.edges.filter((e) => e.id !== 'e5'), edge('e7', 'reply', 'bye')] };
    after = withEdge(after, 'e4', (e) => ({ ...e, target: 'bye' }));
    after = { ...after, variables: [{ name: 'orderId', default: 'none' }] };

    const diff = diffFlows(orderBot(), after);
    expect(diff.summary).toEqual({ added: 1, removed: 1, changed: 2, moved: 2, edgesAdded: 1, edgesRemoved: 1, edgesRewired: 1, variables: 1 });
    expect(diff.renamed).toEqual({ from: 'Order bot', to: 'Orders' });
    expect(diff.identical).toBe(false);
  });

  it('is not identical when only the name changed', () => {
    const diff = diffFlows(orderBot(), { ...orderBot(), name: undefined });
    expect(diff).toMatchObject({ nodes: [], edges: [], variables: [], renamed: { from: 'Order bot', to: undefined }, identical: false });
  });
});

describe('describeFieldChange', () => {
  it('renders a change as path: before → after', () => {
    expect(describeFieldChange({ kind: 'changed', path: 'branches.0.label', before: 'Refund', after: 'Refunds' })).toBe('branches.0.label: "Refund" → "Refunds"');
  });

  it('renders added, removed and reordered values as JSON, and a whole value without a path', () => {
    expect(describeFieldChange({ kind: 'added', path: 'buttons.2', after: { id: 'maybe', title: 'Maybe' } })).toBe('buttons.2: added {"id":"maybe","title":"Maybe"}');
    expect(describeFieldChange({ kind: 'removed', path: 'quickReplies', before: true })).toBe('quickReplies: removed true');
    expect(describeFieldChange({ kind: 'reordered', path: 'buttons', before: ['yes', 'no'], after: ['no', 'yes'] })).toBe('buttons: reordered ["yes","no"] → ["no","yes"]');
    expect(describeFieldChange({ kind: 'changed', path: '', before: 1, after: 2 })).toBe('1 → 2');
  });

  it('cuts long values to 60 characters without splitting an emoji', () => {
    const text = `${'a'.repeat(58)}😀😀 and more`;
    expect(describeFieldChange({ kind: 'changed', path: 'text', before: text, after: 'short' })).toBe(`text: "${'a'.repeat(58)}😀…" → "short"`);
    const rules = Array.from({ length: 10 }, (_, i) => ({ kind: 'text', value: `rule ${i}` }));
    const rendered = describeFieldChange({ kind: 'added', path: 'rules', after: rules });
    expect(rendered).toBe(`rules: added ${JSON.stringify(rules).slice(0, 59)}…`);
  });
});
