import type { FlowDocument } from './document.ts';
import { applyOperation, type FlowOperation } from './operations.ts';

/** Undo steps kept by default; older ones are dropped. Documents share unchanged parts, so a step is small. */
export const HISTORY_LIMIT = 200;

/** Edits with the same coalesce key this close together (ms, from the previous one) are one undo step. */
export const COALESCE_WINDOW_MS = 1000;

/** The editor's undo/redo state, as a plain value: every function returns a new one (or the same, if nothing changed). */
export interface History {
  readonly past: readonly FlowDocument[];
  readonly present: FlowDocument;
  readonly future: readonly FlowDocument[];
  /** Most undo steps kept. */
  readonly limit: number;
  /** The key and time of the last recorded edit while the next one may still join its step; null after undo/redo. */
  readonly open: { readonly key: string; readonly at: number } | null;
}

export interface RecordOptions {
  /**
   * Edits sharing a key join one undo step while they come within `COALESCE_WINDOW_MS` of each other, so typing
   * in a field undoes as a whole: use one key per field, e.g. `data:<nodeId>:<field>` or `note:<noteId>:text`.
   */
  coalesceKey?: string;
  /** Milliseconds, as `Date.now()`; pass it to make coalescing deterministic. Defaults to `Date.now()`. */
  now?: number;
}

export function createHistory(document: FlowDocument, options: { limit?: number } = {}): History {
  const limit = options.limit ?? HISTORY_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`history limit must be a positive integer, got ${limit}`);
  return { past: [], present: document, future: [], limit, open: null };
}

/**
 * Applies `op` to the present document as a new undo step, or as part of the previous one when coalescing.
 * An operation that changes nothing returns `history` itself and adds no step. Any edit clears the redo stack.
 */
export function record(history: History, op: FlowOperation, options: RecordOptions = {}): History {
  const next = applyOperation(history.present, op);
  if (next === history.present) return history;
  const { coalesceKey } = options;
  const now = options.now ?? Date.now();
  const open = coalesceKey === undefined ? null : { key: coalesceKey, at: now };
  const last = history.open;
  // `past.length > 0`: the step being joined must exist (it always does after a record; guarded for hand-built values).
  if (last && open && last.key === open.key && now >= last.at && now - last.at <= COALESCE_WINDOW_MS && history.past.length > 0) {
    return { ...history, present: next, future: [], open };
  }
  const past = [...history.past, history.present];
  return { ...history, past: past.length > history.limit ? past.slice(past.length - history.limit) : past, present: next, future: [], open };
}

export function canUndo(history: History): boolean {
  return history.past.length > 0;
}

export function canRedo(history: History): boolean {
  return history.future.length > 0;
}

export function undo(history: History): History {
  const previous = history.past.at(-1);
  if (previous === undefined) return history;
  return { ...history, past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future], open: null };
}

export function redo(history: History): History {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { ...history, past: [...history.past, history.present], present: next, future: rest, open: null };
}
