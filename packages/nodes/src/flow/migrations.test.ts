import { describe, expect, it } from 'vitest';
import { validateFlow } from '../validation/validate.ts';
import { CURRENT_SCHEMA_VERSION } from './document.ts';
import { formatPath, loadFlowDocument } from './migrations.ts';

/** The pre-release shape: `steps`, `links: [{ from, port, to }]`, config under `config`, variables as names. */
const v0 = {
  name: 'Legacy order bot',
  steps: [
    { id: 'start', type: 'start', x: 10, y: 20, config: { trigger: 'message' } },
    { id: 'ask', type: 'ask-question', x: 10, y: 140, config: { question: 'Order number?', saveAs: 'order' } },
    { id: 'thanks', type: 'send-message', config: { text: 'Looking up {{order}} for {{customerName}}' } },
    { id: 'human', type: 'handoff', config: { team: 'support' } },
  ],
  links: [
    { from: 'start', to: 'ask' },
    { from: 'ask', port: 'answered', to: 'thanks' },
    { from: 'ask', port: 'invalid', to: 'human' },
    { from: 'ask', port: 'timeout', to: 'human' },
  ],
  variables: ['customerName'],
};

describe('loadFlowDocument: migrations', () => {
  it('upgrades a v0 document to the current shape', () => {
    const loaded = loadFlowDocument(v0);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    expect(loaded.migratedFrom).toBe(0);
    expect(loaded.document).toEqual({
      schemaVersion: CURRENT_SCHEMA_VERSION,
      name: 'Legacy order bot',
      nodes: [
        { id: 'start', type: 'start', typeVersion: 1, position: { x: 10, y: 20 }, data: { trigger: 'message' } },
        { id: 'ask', type: 'ask-question', typeVersion: 1, position: { x: 10, y: 140 }, data: { question: 'Order number?', saveAs: 'order' } },
        { id: 'thanks', type: 'send-message', typeVersion: 1, position: { x: 0, y: 0 }, data: { text: 'Looking up {{order}} for {{customerName}}' } },
        { id: 'human', type: 'handoff', typeVersion: 1, position: { x: 0, y: 0 }, data: { team: 'support' } },
      ],
      edges: [
        { id: 'e1-start-ask', source: 'start', sourceHandle: 'next', target: 'ask' },
        { id: 'e2-ask-thanks', source: 'ask', sourceHandle: 'answered', target: 'thanks' },
        { id: 'e3-ask-human', source: 'ask', sourceHandle: 'invalid', target: 'human' },
        { id: 'e4-ask-human', source: 'ask', sourceHandle: 'timeout', target: 'human' },
      ],
      variables: [{ name: 'customerName' }],
    });
  });

  it('gives a migrated v0 flow that validates with no errors or warnings', () => {
    const loaded = loadFlowDocument(v0);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    expect(validateFlow(loaded.document)).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('upgrades a minimal v0 document with no links, variables or config', () => {
    const loaded = loadFlowDocument({ steps: [{ id: 'start', type: 'start' }] });
    expect(loaded).toMatchObject({ ok: true, migratedFrom: 0, document: { nodes: [{ id: 'start', data: {}, position: { x: 0, y: 0 } }], edges: [], variables: [] } });
  });

  it('treats a document with schemaVersion 0 like one without', () => {
    expect(loadFlowDocument({ ...v0, schemaVersion: 0 })).toEqual(loadFlowDocument(v0));
  });

  it('loads a current document as it is, without migrating', () => {
    const current = { schemaVersion: 1, nodes: [{ id: 'start', type: 'start' }] };
    expect(loadFlowDocument(current)).toMatchObject({ ok: true, migratedFrom: null, document: { nodes: [{ id: 'start', typeVersion: 1 }], edges: [] } });
  });

  it('does not change the document it was given', () => {
    const input = structuredClone(v0);
    loadFlowDocument(input);
    expect(input).toEqual(v0);
  });
});

describe('loadFlowDocument: problems, by JSON path', () => {
  it('refuses a document from a newer Signalbox', () => {
    expect(loadFlowDocument({ schemaVersion: CURRENT_SCHEMA_VERSION + 1, nodes: [] })).toEqual({
      ok: false,
      issues: [{ path: '$.schemaVersion', message: `version ${CURRENT_SCHEMA_VERSION + 1} is newer than this Signalbox understands (${CURRENT_SCHEMA_VERSION})` }],
    });
  });

  it.each([['1'], [-1], [1.5], [null]])('refuses schemaVersion %j', (schemaVersion) => {
    expect(loadFlowDocument({ schemaVersion, nodes: [] })).toEqual({ ok: false, issues: [{ path: '$.schemaVersion', message: 'must be a non-negative integer' }] });
  });

  it.each([[null], ['{"nodes":[]}'], [[]], [42]])('refuses %j, which is not a JSON object', (input) => {
    expect(loadFlowDocument(input)).toEqual({ ok: false, issues: [{ path: '$', message: 'a flow document must be a JSON object' }] });
  });

  it('points into a bad v0 document', () => {
    const loaded = loadFlowDocument({ steps: [{ id: 'start', type: 'start' }, { id: 'hi' }], links: [{ from: 'start' }] });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.issues.map((i) => i.path)).toEqual(['$.steps[1].type', '$.links[0].to']);
  });

  it('reports a v0 document with no steps at $.steps', () => {
    const loaded = loadFlowDocument({ name: 'empty' });
    expect(loaded).toMatchObject({ ok: false, issues: [{ path: '$.steps' }] });
  });

  it('points into a bad current document', () => {
    const loaded = loadFlowDocument({
      schemaVersion: 1,
      nodes: [{ id: 'start', type: 'start' }, { id: '', type: 'send-message', position: { x: 'left', y: 0 } }],
      edges: [{ id: 'e1', source: 'start' }],
      variables: [{ name: '2fast' }],
    });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.issues.map((i) => i.path).sort()).toEqual(['$.edges[0].target', '$.nodes[1].id', '$.nodes[1].position.x', '$.variables[0].name']);
  });

  it('formats paths as JSON paths', () => {
    expect(formatPath([])).toBe('$');
    expect(formatPath(['nodes', 3, 'data', 'branches', 0, 'id'])).toBe('$.nodes[3].data.branches[0].id');
  });
});
