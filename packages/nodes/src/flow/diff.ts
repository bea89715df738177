import type { FlowDocument, FlowEdge, FlowNode } from './document.ts';

type Position = FlowNode['position'];
type FlowVariable = FlowDocument['variables'][number];

/**
 * One difference inside a value. `path` is dotted like `ValidationIssue.field` (`branches.0.rules.1.value`),
 * so the editor can focus the same field; `''` is the whole value.
 */
export type FieldChange =
  | { kind: 'added'; path: string; after: unknown }
  | { kind: 'removed'; path: string; before: unknown }
  | { kind: 'changed'; path: string; before: unknown; after: unknown }
  /** The items of an id-keyed array (below) that are in both versions, by id, in each version's order. */
  | { kind: 'reordered'; path: string; before: string[]; after: string[] };

export type NodeChange =
  | { kind: 'added'; nodeId: string; type: string; node: FlowNode }
  | { kind: 'removed'; nodeId: string; type: string; node: FlowNode }
  | {
      kind: 'changed';
      nodeId: string;
      /** The type in `after`. */
      type: string;
      retyped: { from: string; to: string } | null;
      typeVersion: { from: number; to: number } | null;
      moved: { from: Position; to: Position } | null;
      /** Paths are inside the node's `data`. */
      fields: FieldChange[];
    };

export type EdgeChange =
  | { kind: 'added'; edge: FlowEdge }
  | { kind: 'removed'; edge: FlowEdge }
  | { kind: 'rewired'; edgeId: string; before: FlowEdge; after: FlowEdge };

export type VariableChange =
  | { kind: 'added'; name: string; after: FlowVariable }
  | { kind: 'removed'; name: string; before: FlowVariable }
  | { kind: 'changed'; name: string; before: FlowVariable; after: FlowVariable; fields: FieldChange[] };

export interface FlowDiffSummary {
  added: number;
  removed: number;
  /** Nodes whose type, typeVersion or config changed. */
  changed: number;
  /** Nodes whose position changed; a node both edited and moved counts in `changed` and here. */
  moved: number;
  edgesAdded: number;
  edgesRemoved: number;
  edgesRewired: number;
  /** Variables added, removed or changed. */
  variables: number;
}

/** Every list is in `after` document order, then the removed items in `before` document order. */
export interface FlowDiff {
  nodes: NodeChange[];
  edges: EdgeChange[];
  variables: VariableChange[];
  renamed: { from: string | undefined; to: string | undefined } | null;
  summary: FlowDiffSummary;
  identical: boolean;
}

/** Nudges smaller than this, per axis, come from snapping and zoom rounding, not from someone moving a node. */
const MOVE_THRESHOLD_PX = 1;

const MAX_VALUE_CHARS = 60;

/** What changed from `before` to `after`, for the editor's version comparison. */
export function diffFlows(before: FlowDocument, after: FlowDocument): FlowDiff {
  const nodes = diffNodes(before.nodes, after.nodes);
  const edges = diffEdges(before.edges, after.edges);
  const variables = diffVariables(before.variables, after.variables);
  const renamed = before.name === after.name ? null : { from: before.name, to: after.name };
  const count = <T>(items: readonly T[], test: (item: T) => boolean) => items.filter(test).length;
  const summary: FlowDiffSummary = {
    added: count(nodes, (c) => c.kind === 'added'),
    removed: count(nodes, (c) => c.kind === 'removed'),
    changed: count(nodes, (c) => c.kind === 'changed' && (c.retyped !== null || c.typeVersion !== null || c.fields.length > 0)),
    moved: count(nodes, (c) => c.kind === 'changed' && c.moved !== null),
    edgesAdded: count(edges, (c) => c.kind === 'added'),
    edgesRemoved: count(edges, (c) => c.kind === 'removed'),
    edgesRewired: count(edges, (c) => c.kind === 'rewired'),
    variables: variables.length,
  };
  const identical = nodes.length === 0 && edges.length === 0 && variables.length === 0 && renamed === null;
  return { nodes, edges, variables, renamed, summary, identical };
}

/**
 * Every difference between two JSON-like values. Objects are compared by key (a key holding `undefined` counts
 * as absent, as it would after a JSON round trip), arrays by index, except arrays whose items all carry a
 * unique string `id` (condition branches, buttons): those are matched by id, so removing one item does not
 * report every later one as changed. Such items are named by their index in `after`, or in `before` once
 * removed; a new order of the same ids is one `reordered` change, since order decides which branch wins.
 */
export function diffValues(before: unknown, after: unknown, path = ''): FieldChange[] {
  const changes: FieldChange[] = [];
  collectValueChanges(before, after, path, changes);
  return changes;
}

/** One line for a list of changes: `branches.0.label: "Refund" → "Refunds"`; long values are cut short. */
export function describeFieldChange(change: FieldChange): string {
  const prefix = change.path === '' ? '' : `${change.path}: `;
  switch (change.kind) {
    case 'added':
      return `${prefix}added ${shortValue(change.after)}`;
    case 'removed':
      return `${prefix}removed ${shortValue(change.before)}`;
    case 'changed':
      return `${prefix}${shortValue(change.before)} → ${shortValue(change.after)}`;
    case 'reordered':
      return `${prefix}reordered ${shortValue(change.before)} → ${shortValue(change.after)}`;
    default: {
      const unhandled: never = change;
      return unhandled;
    }
  }
}

function diffNodes(before: readonly FlowNode[], after: readonly FlowNode[]): NodeChange[] {
  const pairing = pair(before, after, [(node) => node.id]);
  const changes: NodeChange[] = [];
  for (const { item: node, match } of pairing.after) {
    if (match === undefined) {
      changes.push({ kind: 'added', nodeId: node.id, type: node.type, node });
      continue;
    }
    const change = diffNode(match.item, node);
    if (change !== null) changes.push(change);
  }
  for (const { item: node } of pairing.unmatched) changes.push({ kind: 'removed', nodeId: node.id, type: node.type, node });
  return changes;
}

function diffNode(before: FlowNode, after: FlowNode): NodeChange | null {
  const retyped = before.type === after.type ? null : { from: before.type, to: after.type };
  const typeVersion = before.typeVersion === after.typeVersion ? null : { from: before.typeVersion, to: after.typeVersion };
  const moved = isMove(before.position, after.position) ? { from: before.position, to: after.position } : null;
  const fields = diffValues(before.data, after.data);
  if (retyped === null && typeVersion === null && moved === null && fields.length === 0) return null;
  return { kind: 'changed', nodeId: after.id, type: after.type, retyped, typeVersion, moved, fields };
}

function isMove(from: Position, to: Position): boolean {
  return Math.abs(to.x - from.x) >= MOVE_THRESHOLD_PX || Math.abs(to.y - from.y) >= MOVE_THRESHOLD_PX;
}

function diffEdges(before: readonly FlowEdge[], after: readonly FlowEdge[]): EdgeChange[] {
  // An edge is its connection: a re-drawn one under a new id is no change, and the id only pairs up what is left (a rewire).
  const pairing = pair(before, after, [(edge) => JSON.stringify([edge.id, connectionOf(edge)]), connectionOf, (edge) => edge.id]);
  const changes: EdgeChange[] = [];
  for (const { item: edge, match } of pairing.after) {
    if (match === undefined) changes.push({ kind: 'added', edge });
    else if (connectionOf(match.item) !== connectionOf(edge)) changes.push({ kind: 'rewired', edgeId: edge.id, before: match.item, after: edge });
  }
  for (const { item: edge } of pairing.unmatched) changes.push({ kind: 'removed', edge });
  return changes;
}

function connectionOf(edge: FlowEdge): string {
  return JSON.stringify([edge.source, edge.sourceHandle, edge.target, edge.targetHandle ?? null]);
}

function diffVariables(before: readonly FlowVariable[], after: readonly FlowVariable[]): VariableChange[] {
  const pairing = pair(before, after, [(variable) => variable.name]);
  const changes: VariableChange[] = [];
  for (const { item: variable, match } of pairing.after) {
    if (match === undefined) {
      changes.push({ kind: 'added', name: variable.name, after: variable });
      continue;
    }
    const fields = diffValues(match.item, variable);
    if (fields.length > 0) changes.push({ kind: 'changed', name: variable.name, before: match.item, after: variable, fields });
  }
  for (const { item: variable } of pairing.unmatched) changes.push({ kind: 'removed', name: variable.name, before: variable });
  return changes;
}

function collectValueChanges(before: unknown, after: unknown, path: string, changes: FieldChange[]): void {
  if (before === after) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    const beforeItems = byUniqueId(before);
    const afterItems = byUniqueId(after);
    if (beforeItems !== null && afterItems !== null) collectIdArrayChanges(beforeItems, afterItems, path, changes);
    else collectIndexArrayChanges(before, after, path, changes);
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    collectRecordChanges(before, after, path, changes);
    return;
  }
  changes.push({ kind: 'changed', path, before, after });
}

function collectRecordChanges(before: Record<string, unknown>, after: Record<string, unknown>, path: string, changes: FieldChange[]): void {
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const old = before[key];
    if (old === undefined) changes.push({ kind: 'added', path: join(path, key), after: value });
    else collectValueChanges(old, value, join(path, key), changes);
  }
  for (const [key, old] of Object.entries(before)) {
    if (old !== undefined && after[key] === undefined) changes.push({ kind: 'removed', path: join(path, key), before: old });
  }
}

function collectIndexArrayChanges(before: readonly unknown[], after: readonly unknown[], path: string, changes: FieldChange[]): void {
  const shared = Math.min(before.length, after.length);
  before.slice(0, shared).forEach((old, index) => collectValueChanges(old, after[index], join(path, index), changes));
  after.slice(shared).forEach((value, offset) => changes.push({ kind: 'added', path: join(path, shared + offset), after: value }));
  before.slice(shared).forEach((old, offset) => changes.push({ kind: 'removed', path: join(path, shared + offset), before: old }));
}

interface WithId {
  id: string;
  value: unknown;
}

function collectIdArrayChanges(before: readonly WithId[], after: readonly WithId[], path: string, changes: FieldChange[]): void {
  const pairing = pair(before, after, [(item) => item.id]);
  const keptInAfterOrder = pairing.after.flatMap(({ match }) => (match === undefined ? [] : [match]));
  const keptInBeforeOrder = [...keptInAfterOrder].sort((x, y) => x.index - y.index);
  if (keptInAfterOrder.some((kept, i) => kept !== keptInBeforeOrder[i])) {
    const ids = (kept: readonly Indexed<WithId>[]) => kept.map(({ item }) => item.id);
    changes.push({ kind: 'reordered', path, before: ids(keptInBeforeOrder), after: ids(keptInAfterOrder) });
  }
  for (const { item, index, match } of pairing.after) {
    if (match === undefined) changes.push({ kind: 'added', path: join(path, index), after: item.value });
    else collectValueChanges(match.item.value, item.value, join(path, index), changes);
  }
  for (const { item, index } of pairing.unmatched) changes.push({ kind: 'removed', path: join(path, index), before: item.value });
}

/** The items with their ids when every item is an object with a string `id` and no id repeats; otherwise null. */
function byUniqueId(items: readonly unknown[]): WithId[] | null {
  const withIds: WithId[] = [];
  for (const value of items) {
    if (!isRecord(value) || typeof value.id !== 'string') return null;
    withIds.push({ id: value.id, value });
  }
  return new Set(withIds.map(({ id }) => id)).size === withIds.length ? withIds : null;
}

interface Indexed<T> {
  item: T;
  index: number;
}

interface Pairing<T> {
  /** Every `after` item in document order, with the `before` item it was paired with, if any. */
  after: (Indexed<T> & { match: Indexed<T> | undefined })[];
  /** The `before` items left unpaired, in document order. */
  unmatched: Indexed<T>[];
}

/**
 * Pairs items one to one: each key in turn pairs every still unpaired `after` item with the first still unpaired
 * `before` item of the same key, so duplicates pair up in document order.
 */
function pair<T>(before: readonly T[], after: readonly T[], keys: readonly ((item: T) => string)[]): Pairing<T> {
  const matches = new Map<number, Indexed<T>>();
  const taken = new Set<number>();
  for (const key of keys) {
    const waiting = new Map<string, Indexed<T>[]>();
    before.forEach((item, index) => {
      if (taken.has(index)) return;
      const queue = waiting.get(key(item));
      if (queue === undefined) waiting.set(key(item), [{ item, index }]);
      else queue.push({ item, index });
    });
    after.forEach((item, index) => {
      if (matches.has(index)) return;
      const match = waiting.get(key(item))?.shift();
      if (match === undefined) return;
      matches.set(index, match);
      taken.add(match.index);
    });
  }
  return {
    after: after.map((item, index) => ({ item, index, match: matches.get(index) })),
    unmatched: before.flatMap((item, index) => (taken.has(index) ? [] : [{ item, index }])),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(path: string, segment: string | number): string {
  return path === '' ? String(segment) : `${path}.${segment}`;
}

function shortValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(truncate(value));
  return truncate(JSON.stringify(value) ?? String(value));
}

/** Cuts by code point, so an emoji in a customer-facing message is never split in half. */
function truncate(text: string): string {
  const chars = Array.from(text);
  return chars.length <= MAX_VALUE_CHARS ? text : `${chars.slice(0, MAX_VALUE_CHARS - 1).join('')}…`;
}
