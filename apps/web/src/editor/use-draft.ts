'use client';

import { useMutation } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { canRedo, canUndo, createHistory, record, redo, undo, type FlowDocument, type FlowOperation, type History } from '@signalbox/nodes';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorOf, useTRPC } from '../trpc/client.tsx';

/** How long typing may pause before the draft saves. */
const AUTOSAVE_DELAY_MS = 700;
/** After a save failed on the network or the server, the next try. */
const RETRY_DELAY_MS = 5_000;

export type SaveState =
  | { kind: 'saved'; at: Date }
  | { kind: 'unsaved' }
  | { kind: 'saving' }
  | { kind: 'conflict'; theirs: { document: FlowDocument; revision: number; updatedAt: Date; updatedByName: string | null } }
  /** `retrying`: the error may pass (network, server); otherwise (signed out, refused) only the user can fix it. */
  | { kind: 'failed'; message: string; retrying: boolean };

/**
 * The draft being edited: undo/redo history over typed operations, and autosave with optimistic concurrency.
 * A save names the revision it started from; when another tab saved meanwhile, the user chooses what wins.
 */
export function useDraft(flowId: string, initial: { document: FlowDocument; revision: number; updatedAt: Date }, readOnly: boolean) {
  const trpc = useTRPC();
  const [history, setHistory] = useState<History>(() => createHistory(initial.document));
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'saved', at: initial.updatedAt });
  // Refs, not state, for what async saves read: a save that finishes must see the latest values, not the ones
  // of the render that started it.
  const revision = useRef(initial.revision);
  const saved = useRef<FlowDocument>(initial.document);
  const latest = useRef<FlowDocument>(initial.document);
  const inFlight = useRef<Promise<number | null> | null>(null);
  const conflicted = useRef(false);
  // `mutateAsync` keeps its identity across renders; the mutation object itself does not.
  const { mutateAsync: saveDraft } = useMutation(trpc.flows.save.mutationOptions());

  const present = history.present;
  latest.current = present;
  conflicted.current = saveState.kind === 'conflict';

  const apply = useCallback(
    (op: FlowOperation, coalesceKey?: string) => {
      if (readOnly) return;
      setHistory((h) => record(h, op, coalesceKey ? { coalesceKey } : {}));
    },
    [readOnly],
  );

  /** Saves now if anything is unsaved; resolves to the draft's revision afterwards (null on conflict or failure). */
  const saveNow = useCallback(async (): Promise<number | null> => {
    if (inFlight.current) await inFlight.current;
    if (readOnly || conflicted.current) return null;
    if (latest.current === saved.current) return revision.current;
    const document = latest.current;
    const attempt = (async () => {
      setSaveState({ kind: 'saving' });
      try {
        const result = await saveDraft({ id: flowId, baseRevision: revision.current, document });
        if (result.status !== 'saved') {
          setSaveState({ kind: 'conflict', theirs: result.current });
          return null;
        }
        saved.current = document;
        revision.current = result.revision;
        setSaveState(latest.current === document ? { kind: 'saved', at: result.updatedAt } : { kind: 'unsaved' });
        return result.revision;
      } catch (error) {
        const status = error instanceof TRPCClientError && typeof error.data?.httpStatus === 'number' ? error.data.httpStatus : 0;
        const signedOut = status === 401;
        setSaveState({
          kind: 'failed',
          message: signedOut ? 'you are signed out: sign in again in another tab, then retry' : errorOf(error).message,
          retrying: status === 0 || status >= 500,
        });
        return null;
      }
    })();
    inFlight.current = attempt;
    try {
      return await attempt;
    } finally {
      inFlight.current = null;
    }
  }, [readOnly, saveDraft, flowId]);

  // Autosave: after a pause in editing, and again a while after a failure that may pass.
  useEffect(() => {
    if (readOnly || present === saved.current || saveState.kind === 'conflict' || saveState.kind === 'saving') return;
    if (saveState.kind === 'failed') {
      if (!saveState.retrying) return;
      const retry = setTimeout(() => void saveNow(), RETRY_DELAY_MS);
      return () => clearTimeout(retry);
    }
    if (saveState.kind === 'saved') setSaveState({ kind: 'unsaved' });
    const timer = setTimeout(() => void saveNow(), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [present, readOnly, saveState, saveNow]);

  // Leaving the editor inside the app: what was typed in the last moments is saved on the way out.
  useEffect(
    () => () => {
      if (!readOnly && !conflicted.current && latest.current !== saved.current && !inFlight.current) {
        void saveDraft({ id: flowId, baseRevision: revision.current, document: latest.current }).catch(() => undefined);
      }
    },
    [readOnly, saveDraft, flowId],
  );

  // Closing the tab with unsaved edits asks first; the browser shows its own wording.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (latest.current !== saved.current) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  /** Conflict: drop local edits and continue from the other save. */
  const takeTheirs = useCallback(() => {
    if (saveState.kind !== 'conflict') return;
    saved.current = saveState.theirs.document;
    revision.current = saveState.theirs.revision;
    setHistory(createHistory(saveState.theirs.document));
    setSaveState({ kind: 'saved', at: saveState.theirs.updatedAt });
  }, [saveState]);

  /** Conflict: keep local edits and save them over the other save, knowingly. */
  const keepMine = useCallback(() => {
    if (saveState.kind !== 'conflict') return;
    saved.current = saveState.theirs.document;
    revision.current = saveState.theirs.revision;
    setSaveState({ kind: 'unsaved' });
  }, [saveState]);

  return {
    document: present,
    revision: revision.current,
    saveState,
    dirty: present !== saved.current,
    apply,
    undo: () => setHistory(undo),
    redo: () => setHistory(redo),
    canUndo: !readOnly && canUndo(history),
    canRedo: !readOnly && canRedo(history),
    saveNow,
    takeTheirs,
    keepMine,
  };
}

export type Draft = ReturnType<typeof useDraft>;
