import { z } from 'zod';
import { FlowDocument, FlowEdge, FlowNode, FlowNote, FlowVariable } from './document.ts';

/**
 * Editor edits as data. The editor and the server apply them with the same `applyOperation`, so a draft
 * saved from operations equals the one the user saw; undo/redo (`history.ts`) replays documents it produced.
 *
 * Invariants the reducer keeps, so no operation can produce a document the editor cannot draw:
 * node, edge and note ids stay unique; every edge joins two existing, different nodes; an output port has at
 * most one edge (the interpreter follows a port's first edge, so a second one would be dead and misleading).
 * An operation that would break one is refused whole or in part, as each case says, never applied halfway
 * differently on client and server.
 */

const Position = z.object({ x: z.number(), y: z.number() });
type Position = z.infer<typeof Position>;

export const FlowOperation = z.discriminatedUnion('type', [
  z.object({
    /** Inserting a node, pasting or duplicating a selection. */
    type: z.literal('add-nodes'),
    /** Refused whole if any id is already a node's, or repeats. */
    nodes: z.array(FlowNode),
    /** Applied one by one after the nodes, by the `connect` rule; so an edge may also start at an existing node. */
    edges: z.array(FlowEdge).optional(),
  }),
  z.object({
    /** Deleting a selection; removing a node removes its edges. Unknown ids are ignored. */
    type: z.literal('remove'),
    nodeIds: z.array(z.string()).optional(),
    edgeIds: z.array(z.string()).optional(),
    noteIds: z.array(z.string()).optional(),
  }),
  z.object({
    /** Drag end and auto-layout; one operation for a whole selection, so it undoes as one step. */
    type: z.literal('move-nodes'),
    positions: z.record(z.string(), Position),
    notePositions: z.record(z.string(), Position).optional(),
  }),
  z.object({
    /** Replaces the node's config object (the form submits the whole config, so fields it dropped go). */
    type: z.literal('update-node-data'),
    nodeId: z.string(),
    data: z.record(z.string(), z.unknown()),
  }),
  z.object({
    /** Replaces the edge leaving the same port, if any. Refused: self-connections, missing nodes, an id another edge has. */
    type: z.literal('connect'),
    edge: FlowEdge,
  }),
  z.object({
    type: z.literal('set-variables'),
    variables: z.array(FlowVariable),
  }),
  z.object({
    /** Refused whole if any id is already a note's, or repeats. */
    type: z.literal('add-notes'),
    notes: z.array(FlowNote),
  }),
  z.object({
    /** Changes only the fields given; an absent field keeps its value. */
    type: z.literal('update-note'),
    noteId: z.string(),
    changes: FlowNote.omit({ id: true }).partial(),
  }),
  z.object({
    /** Restoring a version into the draft: the whole document at once, undoable like any edit. */
    type: z.literal('replace-document'),
    document: FlowDocument,
  }),
]);
export type FlowOperation = z.infer<typeof FlowOperation>;

/** What copy puts on the clipboard and paste reads back; validate pasted text with `FlowFragment.safeParse`. */
export const FlowFragment = z.object({
  nodes: z.array(FlowNode),
  edges: z.array(FlowEdge).default([]),
});
export type FlowFragment = z.infer<typeof FlowFragment>;

/** Anything with nodes and edges: a whole document or a clipboard fragment. */
export interface NodesAndEdges {
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly FlowEdge[];
}

/**
 * Applies one operation. Pure: the input is never mutated, unchanged nodes, edges, notes and arrays are
 * shared by reference, and an operation that changes nothing returns `document` itself (so history can tell
 * a no-op from an edit by identity).
 */
export function applyOperation(document: FlowDocument, op: FlowOperation): FlowDocument {
  switch (op.type) {
    case 'add-nodes': {
      const existing = new Set(document.nodes.map((n) => n.id));
      if (!allFresh(op.nodes, existing)) return document;
      const nodes = op.nodes.length > 0 ? [...document.nodes, ...op.nodes] : document.nodes;
      for (const node of op.nodes) existing.add(node.id);
      const edges = (op.edges ?? []).reduce((acc, edge) => connectEdge(acc, existing, edge), document.edges);
      return withParts(document, { nodes, edges });
    }
    case 'remove': {
      const nodeIds = new Set(op.nodeIds ?? []);
      const edgeIds = new Set(op.edgeIds ?? []);
      const noteIds = new Set(op.noteIds ?? []);
      return withParts(document, {
        nodes: keep(document.nodes, (n) => !nodeIds.has(n.id)),
        edges: keep(document.edges, (e) => !edgeIds.has(e.id) && !nodeIds.has(e.source) && !nodeIds.has(e.target)),
        notes: document.notes && keep(document.notes, (n) => !noteIds.has(n.id)),
      });
    }
    case 'move-nodes': {
      // A Map, not the record: a node id like "constructor" must not find Object.prototype's.
      const positions = new Map(Object.entries(op.positions));
      const notePositions = new Map(Object.entries(op.notePositions ?? {}));
      return withParts(document, {
        nodes: replace(document.nodes, (node) => moved(node, positions.get(node.id))),
        notes: document.notes && replace(document.notes, (note) => moved(note, notePositions.get(note.id))),
      });
    }
    case 'update-node-data':
      return withParts(document, {
        nodes: replace(document.nodes, (node) => (node.id !== op.nodeId || sameValue(node.data, op.data) ? node : { ...node, data: op.data })),
      });
    case 'connect':
      return withParts(document, { edges: connectEdge(document.edges, new Set(document.nodes.map((n) => n.id)), op.edge) });
    case 'set-variables':
      return sameValue(document.variables, op.variables) ? document : { ...document, variables: op.variables };
    case 'add-notes': {
      const notes = document.notes ?? [];
      if (op.notes.length === 0 || !allFresh(op.notes, new Set(notes.map((n) => n.id)))) return document;
      return { ...document, notes: [...notes, ...op.notes] };
    }
    case 'replace-document':
      return sameValue(document, op.document) ? document : op.document;
    case 'update-note':
      return withParts(document, {
        notes: document.notes && replace(document.notes, (note) => (note.id === op.noteId ? updatedNote(note, op.changes) : note)),
      });
    default: {
      const unknown: never = op;
      return unknown;
    }
  }
}

/**
 * Copies of the selected nodes, with fresh ids and moved by `offset`, and the edges among them with their ends
 * remapped; edges to nodes outside the selection are dropped. `source` may be a document or a clipboard
 * fragment from another flow. The result is what an `add-nodes` operation takes:
 * `{ type: 'add-nodes', ...duplicateSelection(fragment, fragment.nodes.map((n) => n.id), options) }`.
 */
export function duplicateSelection(
  source: NodesAndEdges,
  nodeIds: Iterable<string>,
  options: { newId: () => string; offset: Position },
): FlowFragment {
  const selected = new Set(nodeIds);
  const ids = new Map<string, string>();
  const nodes: FlowNode[] = [];
  for (const node of source.nodes) {
    if (!selected.has(node.id) || ids.has(node.id)) continue;
    const id = options.newId();
    ids.set(node.id, id);
    nodes.push({
      ...node,
      id,
      position: { x: node.position.x + options.offset.x, y: node.position.y + options.offset.y },
      // Two nodes must never share a config object, even while nothing mutates one.
      data: structuredClone(node.data),
    });
  }
  const edges: FlowEdge[] = [];
  for (const edge of source.edges) {
    const sourceId = ids.get(edge.source);
    const targetId = ids.get(edge.target);
    if (sourceId !== undefined && targetId !== undefined) edges.push({ ...edge, id: options.newId(), source: sourceId, target: targetId });
  }
  return { nodes, edges };
}

type DocumentParts = Partial<Pick<FlowDocument, 'nodes' | 'edges' | 'notes'>>;

/** `document` itself when every part is the one it already has; otherwise a new document with them. */
function withParts(document: FlowDocument, parts: DocumentParts): FlowDocument {
  const unchanged =
    (parts.nodes === undefined || parts.nodes === document.nodes) &&
    (parts.edges === undefined || parts.edges === document.edges) &&
    (parts.notes === undefined || parts.notes === document.notes);
  return unchanged ? document : { ...document, ...parts };
}

/** `items.filter(test)`, but `items` itself when nothing is dropped. */
function keep<T>(items: T[], test: (item: T) => boolean): T[] {
  const kept = items.filter(test);
  return kept.length === items.length ? items : kept;
}

/** `items.map(change)`, but `items` itself when `change` returns every item unchanged. */
function replace<T>(items: T[], change: (item: T) => T): T[] {
  let changed = false;
  const next = items.map((item) => {
    const result = change(item);
    if (result !== item) changed = true;
    return result;
  });
  return changed ? next : items;
}

function allFresh(items: readonly { id: string }[], taken: ReadonlySet<string>): boolean {
  const seen = new Set<string>();
  for (const { id } of items) {
    if (taken.has(id) || seen.has(id)) return false;
    seen.add(id);
  }
  return true;
}

function moved<T extends { position: Position }>(item: T, to: Position | undefined): T {
  return to === undefined || (to.x === item.position.x && to.y === item.position.y) ? item : { ...item, position: { x: to.x, y: to.y } };
}

function updatedNote(note: FlowNote, changes: Partial<Omit<FlowNote, 'id'>>): FlowNote {
  // Field by field, so a change given as `undefined` keeps the old value rather than blanking the text.
  const next: FlowNote = { ...note };
  if (changes.text !== undefined) next.text = changes.text;
  if (changes.position !== undefined) next.position = { x: changes.position.x, y: changes.position.y };
  if (changes.width !== undefined) next.width = changes.width;
  if (changes.height !== undefined) next.height = changes.height;
  if (changes.color !== undefined) next.color = changes.color;
  return sameValue(next, note) ? note : next;
}

/**
 * The one rule by which edges enter a document. Returns `edges` itself when the edge is refused (self-connection,
 * a missing end, an id another edge has) or already there (same port, same target).
 */
function connectEdge(edges: FlowEdge[], nodeIds: ReadonlySet<string>, edge: FlowEdge): FlowEdge[] {
  if (edge.source === edge.target || !nodeIds.has(edge.source) || !nodeIds.has(edge.target)) return edges;
  const fromPort = (e: FlowEdge) => e.source === edge.source && e.sourceHandle === edge.sourceHandle;
  const current = edges.find(fromPort);
  if (current && current.target === edge.target && (current.targetHandle ?? null) === (edge.targetHandle ?? null)) return edges;
  if (edges.some((e) => e.id === edge.id && !fromPort(e))) return edges;
  // The new edge takes the replaced one's place, so the edge list (and a diff of it) stays stable.
  const next: FlowEdge[] = [];
  let placed = false;
  for (const e of edges) {
    if (!fromPort(e)) next.push(e);
    else if (!placed) {
      next.push(edge);
      placed = true;
    }
  }
  if (!placed) next.push(edge);
  return next;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON-like values; a key set to `undefined` counts as absent, as in the stored JSON. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (!isRecord(a) || !isRecord(b)) return false;
  const keysA = Object.keys(a).filter((k) => a[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => b[k] !== undefined);
  return keysA.length === keysB.length && keysA.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
}
