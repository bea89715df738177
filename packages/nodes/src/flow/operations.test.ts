import { describe, expect, it } from 'vitest';
import { FlowDocument, type FlowEdge, type FlowNode } from './document.ts';
import { applyOperation, duplicateSelection, FlowFragment, FlowOperation } from './operations.ts';

const node = (id: string, type = 'send-message', data: Record<string, unknown> = {}, x = 0, y = 0): FlowNode => ({
  id,
  type,
  typeVersion: 1,
  position: { x, y },
  data,
});
const edge = (id: string, source: string, target: string, sourceHandle = 'next'): FlowEdge => ({ id, source, sourceHandle, target });

/** start -> ask; ask.answered -> thanks; ask.timeout -> human; and one sticky note. */
const base: FlowDocument = FlowDocument.parse({
  schemaVersion: 1,
  name: 'Orders',
  nodes: [
    node('start', 'start', { trigger: 'message' }),
    node('ask', 'ask-question', { question: 'Order number?', saveAs: 'order' }, 0, 100),
    node('thanks', 'send-message', { text: 'Thanks {{order}}' }, 0, 200),
    node('human', 'handoff', { team: 'support' }, 200, 200),
  ],
  edges: [edge('e1', 'start', 'ask'), edge('e2', 'ask', 'thanks', 'answered'), edge('e3', 'ask', 'human', 'timeout')],
  variables: [{ name: 'order' }],
  notes: [{ id: 'n1', position: { x: 400, y: 0 }, text: 'Ask for the order first', color: 'yellow' }],
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** One operation of every kind, each changing `base`; typed by kind, so adding an operation fails here until it has one. */
const oneOfEach: { [K in FlowOperation['type']]: Extract<FlowOperation, { type: K }> } = {
  'add-nodes': { type: 'add-nodes', nodes: [node('bye', 'close')], edges: [edge('e4', 'thanks', 'bye')] },
  remove: { type: 'remove', nodeIds: ['human'], edgeIds: ['e1'], noteIds: ['n1'] },
  'move-nodes': { type: 'move-nodes', positions: { ask: { x: 50, y: 120 } }, notePositions: { n1: { x: 0, y: 0 } } },
  'update-node-data': { type: 'update-node-data', nodeId: 'thanks', data: { text: 'Got it' } },
  connect: { type: 'connect', edge: edge('e9', 'ask', 'human', 'invalid') },
  'set-variables': { type: 'set-variables', variables: [{ name: 'order' }, { name: 'email' }] },
  'add-notes': { type: 'add-notes', notes: [{ id: 'n2', position: { x: 0, y: 0 }, text: 'Escalations go to support' }] },
  'update-note': { type: 'update-note', noteId: 'n1', changes: { text: 'Ask for the order number first' } },
  'replace-document': { type: 'replace-document', document: { schemaVersion: 1, nodes: [node('start', 'start')], edges: [], variables: [] } },
};

describe('replace-document (restoring a version)', () => {
  it('swaps the whole document, and an equal one changes nothing', () => {
    const other = { schemaVersion: 1 as const, nodes: [node('start', 'start')], edges: [], variables: [] };
    expect(applyOperation(base, { type: 'replace-document', document: other })).toBe(other);
    expect(applyOperation(base, { type: 'replace-document', document: structuredClone(base) })).toBe(base);
  });
});

describe('applyOperation: every operation leaves its input untouched', () => {
  it.each(Object.values(oneOfEach).map((op) => [op.type, op] as const))('%s returns a new document and mutates nothing', (_type, op) => {
    const input = deepFreeze(structuredClone(base));
    const snapshot = structuredClone(input);
    // Frozen: a mutation inside the reducer would throw here (modules are strict mode).
    const result = applyOperation(input, deepFreeze(structuredClone(op)));
    expect(result).not.toBe(input);
    expect(result).not.toEqual(input);
    expect(input).toEqual(snapshot);
  });
});

describe('applyOperation: add-nodes', () => {
  it('appends the nodes and their edges, keeping existing nodes and edges by identity', () => {
    const result = applyOperation(base, oneOfEach['add-nodes']);
    expect(result.nodes.map((n) => n.id)).toEqual(['start', 'ask', 'thanks', 'human', 'bye']);
    expect(result.edges.at(-1)).toEqual(edge('e4', 'thanks', 'bye'));
    base.nodes.forEach((n, i) => expect(result.nodes[i]).toBe(n));
    base.edges.forEach((e, i) => expect(result.edges[i]).toBe(e));
    expect(result.variables).toBe(base.variables);
    expect(result.notes).toBe(base.notes);
  });

  it('refuses the whole operation when a node id is taken or repeated', () => {
    expect(applyOperation(base, { type: 'add-nodes', nodes: [node('new'), node('ask')] })).toBe(base);
    expect(applyOperation(base, { type: 'add-nodes', nodes: [node('new'), node('new')] })).toBe(base);
  });

  it('connects its edges by the connect rule: replacing a used port, dropping edges to missing nodes', () => {
    const result = applyOperation(base, {
      type: 'add-nodes',
      nodes: [node('greet')],
      edges: [edge('e5', 'start', 'greet'), edge('e6', 'greet', 'ask'), edge('e7', 'greet', 'nowhere', 'error')],
    });
    expect(result.edges).toEqual([edge('e5', 'start', 'greet'), base.edges[1], base.edges[2], edge('e6', 'greet', 'ask')]);
  });

  it('returns the same document for an empty paste', () => {
    expect(applyOperation(base, { type: 'add-nodes', nodes: [], edges: [] })).toBe(base);
  });
});

describe('applyOperation: remove', () => {
  it('removing a node removes every edge into and out of it', () => {
    const result = applyOperation(base, { type: 'remove', nodeIds: ['ask'] });
    expect(result.nodes.map((n) => n.id)).toEqual(['start', 'thanks', 'human']);
    expect(result.edges).toEqual([]);
    expect(result.nodes[0]).toBe(base.nodes[0]);
  });

  it('removes edges and notes by id, leaving their nodes', () => {
    const result = applyOperation(base, { type: 'remove', edgeIds: ['e2'], noteIds: ['n1'] });
    expect(result.nodes).toBe(base.nodes);
    expect(result.edges.map((e) => e.id)).toEqual(['e1', 'e3']);
    expect(result.notes).toEqual([]);
  });

  it('returns the same document when no id matches', () => {
    expect(applyOperation(base, { type: 'remove', nodeIds: ['ghost'], edgeIds: ['ghost'], noteIds: ['ghost'] })).toBe(base);
    expect(applyOperation(base, { type: 'remove' })).toBe(base);
  });
});

describe('applyOperation: move-nodes', () => {
  it('moves only the listed nodes and notes; the others keep their identity', () => {
    const result = applyOperation(base, oneOfEach['move-nodes']);
    expect(result.nodes[1]?.position).toEqual({ x: 50, y: 120 });
    expect(result.notes?.[0]?.position).toEqual({ x: 0, y: 0 });
    expect(result.nodes[0]).toBe(base.nodes[0]);
    expect(result.nodes[2]).toBe(base.nodes[2]);
    expect(result.edges).toBe(base.edges);
  });

  it('returns the same document when every position is unchanged or names no node', () => {
    expect(applyOperation(base, { type: 'move-nodes', positions: { ask: { x: 0, y: 100 }, ghost: { x: 1, y: 1 } } })).toBe(base);
  });

  it('does not take inherited object keys for node ids', () => {
    const doc = applyOperation(base, { type: 'add-nodes', nodes: [node('constructor')] });
    expect(applyOperation(doc, { type: 'move-nodes', positions: {} })).toBe(doc);
  });
});

describe('applyOperation: update-node-data', () => {
  it('replaces the config object rather than merging into it', () => {
    const result = applyOperation(base, { type: 'update-node-data', nodeId: 'ask', data: { question: 'Which order?' } });
    expect(result.nodes[1]?.data).toEqual({ question: 'Which order?' });
    expect(result.nodes[0]).toBe(base.nodes[0]);
  });

  it('returns the same document for an equal config or a missing node', () => {
    expect(applyOperation(base, { type: 'update-node-data', nodeId: 'ask', data: { saveAs: 'order', question: 'Order number?' } })).toBe(base);
    expect(applyOperation(base, { type: 'update-node-data', nodeId: 'ghost', data: { text: 'x' } })).toBe(base);
  });
});

describe('applyOperation: connect', () => {
  it('adds an edge from a free port', () => {
    const result = applyOperation(base, oneOfEach.connect);
    expect(result.edges).toEqual([...base.edges, edge('e9', 'ask', 'human', 'invalid')]);
  });

  it('replaces the edge already leaving the same port, in its place, and keeps the other ports of that node', () => {
    const result = applyOperation(base, { type: 'connect', edge: edge('e9', 'ask', 'human', 'answered') });
    expect(result.edges).toEqual([base.edges[0], edge('e9', 'ask', 'human', 'answered'), base.edges[2]]);
    expect(result.edges.filter((e) => e.source === 'ask' && e.sourceHandle === 'answered')).toHaveLength(1);
  });

  it('refuses self-connections and edges whose source or target node does not exist', () => {
    expect(applyOperation(base, { type: 'connect', edge: edge('e9', 'ask', 'ask', 'invalid') })).toBe(base);
    expect(applyOperation(base, { type: 'connect', edge: edge('e9', 'ask', 'ghost', 'invalid') })).toBe(base);
    expect(applyOperation(base, { type: 'connect', edge: edge('e9', 'ghost', 'ask') })).toBe(base);
  });

  it('refuses an edge id another edge already has', () => {
    expect(applyOperation(base, { type: 'connect', edge: edge('e1', 'ask', 'human', 'invalid') })).toBe(base);
  });

  it('returns the same document when the port already leads to that target', () => {
    expect(applyOperation(base, { type: 'connect', edge: edge('other-id', 'ask', 'thanks', 'answered') })).toBe(base);
  });
});

describe('applyOperation: variables and notes', () => {
  it('set-variables replaces the list, and an equal list changes nothing', () => {
    expect(applyOperation(base, oneOfEach['set-variables']).variables).toEqual([{ name: 'order' }, { name: 'email' }]);
    expect(applyOperation(base, { type: 'set-variables', variables: [{ name: 'order' }] })).toBe(base);
  });

  it('add-notes adds notes to a document that had none, and refuses a taken id', () => {
    const { notes: _notes, ...withoutNotes } = base;
    const result = applyOperation(withoutNotes, oneOfEach['add-notes']);
    expect(result.notes?.map((n) => n.id)).toEqual(['n2']);
    expect(applyOperation(result, oneOfEach['add-notes'])).toBe(result);
  });

  it('update-note changes only the given fields', () => {
    const result = applyOperation(base, { type: 'update-note', noteId: 'n1', changes: { text: 'Be quick', width: 240, color: undefined } });
    expect(result.notes).toEqual([{ id: 'n1', position: { x: 400, y: 0 }, text: 'Be quick', width: 240, color: 'yellow' }]);
  });

  it('update-note returns the same document for an unchanged text or a missing note', () => {
    expect(applyOperation(base, { type: 'update-note', noteId: 'n1', changes: { text: 'Ask for the order first' } })).toBe(base);
    expect(applyOperation(base, { type: 'update-note', noteId: 'ghost', changes: { text: 'x' } })).toBe(base);
  });
});

describe('FlowOperation and FlowDocument schemas at the boundary', () => {
  it('parses operations as JSON from the editor and rejects unknown or malformed ones', () => {
    const wire = JSON.parse(JSON.stringify(Object.values(oneOfEach)));
    expect(FlowOperation.array().parse(wire)).toEqual(Object.values(oneOfEach));
    expect(FlowOperation.safeParse({ type: 'rename-flow', name: 'x' }).success).toBe(false);
    expect(FlowOperation.safeParse({ type: 'connect', edge: { id: 'e', source: 'a' } }).success).toBe(false);
  });

  it('still accepts documents without notes, and limits a note to 2000 characters', () => {
    const legacy = FlowDocument.parse({ schemaVersion: 1, nodes: [node('start', 'start')] });
    expect(legacy.notes).toBeUndefined();
    const note = (text: string) => ({ schemaVersion: 1, nodes: [], notes: [{ id: 'n', position: { x: 0, y: 0 }, text }] });
    expect(FlowDocument.safeParse(note('x'.repeat(2000))).success).toBe(true);
    expect(FlowDocument.safeParse(note('x'.repeat(2001))).success).toBe(false);
    expect(FlowDocument.safeParse({ ...note('x'), notes: [{ id: 'n', position: { x: 0, y: 0 }, text: 'x', color: 'plaid' }] }).success).toBe(false);
  });
});

describe('duplicateSelection', () => {
  const counter = () => {
    let n = 0;
    return () => `new-${(n += 1)}`;
  };

  it('copies the selected nodes with fresh ids, offset positions and their own config objects', () => {
    const { nodes } = duplicateSelection(base, ['ask', 'thanks'], { newId: counter(), offset: { x: 40, y: 40 } });
    expect(nodes).toEqual([
      { ...base.nodes[1], id: 'new-1', position: { x: 40, y: 140 } },
      { ...base.nodes[2], id: 'new-2', position: { x: 40, y: 240 } },
    ]);
    expect(nodes[0]?.data).not.toBe(base.nodes[1]?.data);
  });

  it('remaps the edges between selected nodes and drops the edges to unselected ones', () => {
    const { edges } = duplicateSelection(base, ['start', 'ask', 'thanks'], { newId: counter(), offset: { x: 0, y: 0 } });
    // start=new-1, ask=new-2, thanks=new-3; e3 (ask -> human) leaves the selection.
    expect(edges).toEqual([edge('new-4', 'new-1', 'new-2'), edge('new-5', 'new-2', 'new-3', 'answered')]);
  });

  it('ignores ids that are not in the source', () => {
    expect(duplicateSelection(base, ['ghost'], { newId: counter(), offset: { x: 0, y: 0 } })).toEqual({ nodes: [], edges: [] });
  });

  it('pastes a clipboard fragment from another flow, twice, without id clashes', () => {
    const copied = JSON.stringify(duplicateSelection(base, ['ask', 'thanks'], { newId: counter(), offset: { x: 0, y: 0 } }));
    const fragment = FlowFragment.parse(JSON.parse(copied));
    const target = FlowDocument.parse({ schemaVersion: 1, nodes: [node('start', 'start')] });
    const newId = (() => {
      let n = 0;
      return () => `paste-${(n += 1)}`;
    })();
    const paste = (doc: FlowDocument) =>
      applyOperation(doc, { type: 'add-nodes', ...duplicateSelection(fragment, fragment.nodes.map((n) => n.id), { newId, offset: { x: 20, y: 20 } }) });
    const twice = paste(paste(target));
    expect(twice.nodes.map((n) => n.id)).toEqual(['start', 'paste-1', 'paste-2', 'paste-4', 'paste-5']);
    expect(twice.edges).toEqual([edge('paste-3', 'paste-1', 'paste-2', 'answered'), edge('paste-6', 'paste-4', 'paste-5', 'answered')]);
  });
});
