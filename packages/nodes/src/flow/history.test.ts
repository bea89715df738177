import { describe, expect, it } from 'vitest';
import { FlowDocument } from './document.ts';
import { canRedo, canUndo, COALESCE_WINDOW_MS, createHistory, record, redo, undo, type History } from './history.ts';
import type { FlowOperation } from './operations.ts';

const doc: FlowDocument = FlowDocument.parse({
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', data: { trigger: 'message' } },
    { id: 'hi', type: 'send-message', data: { text: '' } },
    { id: 'bye', type: 'send-message', data: { text: '' } },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'hi' }],
});

const setText = (nodeId: string, text: string): FlowOperation => ({ type: 'update-node-data', nodeId, data: { text } });
const textOf = (history: History, nodeId: string) => history.present.nodes.find((n) => n.id === nodeId)?.data.text;

/** Types `text` into a node's text field one character per `gapMs`, as a controlled input records it. */
function type(history: History, nodeId: string, text: string, start: number, gapMs = 100): History {
  let h = history;
  for (let i = 1; i <= text.length; i += 1) {
    h = record(h, setText(nodeId, text.slice(0, i)), { coalesceKey: `data:${nodeId}:text`, now: start + (i - 1) * gapMs });
  }
  return h;
}

describe('undo and redo', () => {
  it('round-trips: undo returns each earlier document, redo each later one, by identity', () => {
    const h0 = createHistory(doc);
    const h1 = record(h0, { type: 'move-nodes', positions: { hi: { x: 10, y: 10 } } });
    const h2 = record(h1, { type: 'connect', edge: { id: 'e2', source: 'hi', sourceHandle: 'next', target: 'bye' } });
    const h3 = record(h2, { type: 'remove', nodeIds: ['start'] });

    const back = undo(undo(undo(h3)));
    expect(back.present).toBe(doc);
    expect(canUndo(back)).toBe(false);
    expect(canRedo(back)).toBe(true);

    const forward = redo(redo(redo(back)));
    expect(forward.present).toBe(h3.present);
    expect(undo(forward).present).toBe(h2.present);
    expect(canRedo(forward)).toBe(false);
  });

  it('undo with nothing to undo and redo with nothing to redo return the history unchanged', () => {
    const h = createHistory(doc);
    expect(undo(h)).toBe(h);
    expect(redo(h)).toBe(h);
    expect(canUndo(h)).toBe(false);
  });

  it('a new edit after undo clears the redo stack', () => {
    const h = undo(record(createHistory(doc), setText('hi', 'Hello')));
    expect(canRedo(h)).toBe(true);
    const edited = record(h, setText('bye', 'Bye'));
    expect(canRedo(edited)).toBe(false);
    expect(textOf(edited, 'hi')).toBe('');
    expect(undo(edited).present).toBe(doc);
  });

  it('an operation that changes nothing adds no undo step and keeps the redo stack', () => {
    const h = undo(record(createHistory(doc), setText('hi', 'Hello')));
    expect(record(h, { type: 'connect', edge: { id: 'self', source: 'hi', sourceHandle: 'next', target: 'hi' } })).toBe(h);
    expect(record(h, setText('hi', ''))).toBe(h);
    expect(record(h, { type: 'remove', nodeIds: ['ghost'] })).toBe(h);
  });
});

describe('coalescing', () => {
  it('merges typing in one field into one undo step', () => {
    const h = type(createHistory(doc), 'hi', 'Hello', 0);
    expect(textOf(h, 'hi')).toBe('Hello');
    expect(h.past).toHaveLength(1);
    expect(undo(h).present).toBe(doc);
  });

  it('keeps merging while each keystroke comes within the window of the previous one', () => {
    const h = type(createHistory(doc), 'hi', 'Hello', 0, COALESCE_WINDOW_MS);
    expect(h.past).toHaveLength(1);
  });

  it('starts a new step after a pause longer than the window', () => {
    const first = type(createHistory(doc), 'hi', 'Hel', 0);
    const h = type(first, 'hi', 'Hello', 200 + COALESCE_WINDOW_MS + 1);
    expect(h.past).toHaveLength(2);
    expect(textOf(undo(h), 'hi')).toBe('Hel');
  });

  it('does not merge edits to different fields, even at once', () => {
    let h = record(createHistory(doc), setText('hi', 'H'), { coalesceKey: 'data:hi:text', now: 0 });
    h = record(h, setText('bye', 'B'), { coalesceKey: 'data:bye:text', now: 10 });
    h = record(h, setText('hi', 'Ha'), { coalesceKey: 'data:hi:text', now: 20 });
    expect(h.past).toHaveLength(3);
    expect(textOf(undo(h), 'hi')).toBe('H');
  });

  it('does not merge edits without a key', () => {
    let h = record(createHistory(doc), setText('hi', 'H'), { now: 0 });
    h = record(h, setText('hi', 'Ha'), { now: 1 });
    expect(h.past).toHaveLength(2);
  });

  it('after undo, typing in the same field again starts a new step instead of joining the one before', () => {
    const moved = record(createHistory(doc), { type: 'move-nodes', positions: { hi: { x: 5, y: 5 } } });
    const typed = type(moved, 'hi', 'Hi', 0);
    const h = type(undo(typed), 'hi', 'Yo', 300);
    expect(h.past).toHaveLength(2);
    expect(undo(h).present).toBe(moved.present);
  });

  it('does not merge into a step that was undone and redone', () => {
    const typed = type(createHistory(doc), 'hi', 'Hi', 0);
    const h = type(redo(undo(typed)), 'hi', 'Hi!', 300);
    expect(h.past).toHaveLength(2);
    expect(textOf(undo(h), 'hi')).toBe('Hi');
  });
});

describe('depth', () => {
  it('keeps at most `limit` undo steps, dropping the oldest', () => {
    let h = createHistory(doc, { limit: 3 });
    for (let x = 1; x <= 5; x += 1) h = record(h, { type: 'move-nodes', positions: { hi: { x, y: 0 } } });
    expect(h.past).toHaveLength(3);
    const oldest = undo(undo(undo(h)));
    expect(canUndo(oldest)).toBe(false);
    expect(oldest.present.nodes[1]?.position).toEqual({ x: 2, y: 0 });
    expect(redo(redo(redo(oldest))).present).toBe(h.present);
  });

  it('defaults to 200 steps and rejects a limit below one', () => {
    expect(createHistory(doc).limit).toBe(200);
    expect(() => createHistory(doc, { limit: 0 })).toThrow(RangeError);
  });
});
