'use client';

import { useMutation } from '@tanstack/react-query';
import { canRedo, canUndo, createHistory, record, redo, undo, type FlowDocument, type FlowOperation, type History } from '@signalbox/nodes';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorOf, useTRPC } from '../trpc/client.tsx';

/** How long typing may pause before the draft saves. */
const AUTOSAVE_DELAY_MS = 700;

export type SaveState =
  | { kind: 'saved'; at: Date }
  | { kind: 'unsaved' }
  | { kind: 'saving' }
  | { kind: 'conflict'; theirs: { document: FlowDocument; revision: number; updatedAt: Date; updatedByName: string | null } }
  | { kind: 'failed'; message: string };

/**
 * The draft being edited: undo/redo history over typed operations, and autosave with optimistic concurrency.
 * A save names the revision it started from; when another tab saved meanwhile, the user chooses what wins.
 */
export function useDraft(flowId: string, initial: { document: FlowDocument; revision: number; updatedAt: Date }, readOnly: boolean) {
  const trpc = useTRPC();
  const [history, setHistory] = useState<History>(() => createHistory(initial.document));
  const [revision, setRevision] = useState(initial.revision);
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'saved', at: initial.updatedAt });
  // The document the server holds at `revision`; autosave runs while the present one differs from it.
  const saved = useRef<FlowDocument>(initial.document);
  const inFlight = useRef(false);
  // `mutateAsync` keeps its identity across renders; the mutation object itself does not.
  const { mutateAsync: saveDraft } = useMutation(trpc.flows.save.mutationOptions());

  const apply = useCallback(
    (op: FlowOperation, coalesceKey?: string) => {
      if (readOnly) return;
      setHistory((h) => record(h, op, coalesceKey ? { coalesceKey } : {}));
    },
    [readOnly],
  );

  const present = history.present;
  const latest = useRef(present);
  latest.current = present;
  const conflicted = saveState.kind === 'conflict';

  const saveNow = useCallback(async () => {
    if (readOnly || inFlight.current || present === saved.current || conflicted) return;
    inFlight.current = true;
    setSaveState({ kind: 'saving' });
    const document = present;
    try {
      const result = await saveDraft({ id: flowId, baseRevision: revision, document });
      if (result.status === 'saved') {
        saved.current = document;
        setRevision(result.revision);
        setSaveState(latest.current === document ? { kind: 'saved', at: result.updatedAt } : { kind: 'unsaved' });
      } else {
        setSaveState({ kind: 'conflict', theirs: result.current });
      }
    } catch (error) {
      setSaveState({ kind: 'failed', message: errorOf(error).message });
    } finally {
      inFlight.current = false;
    }
  }, [readOnly, present, conflicted, saveDraft, flowId, revision]);

  useEffect(() => {
    if (readOnly || present === saved.current || conflicted) return;
    setSaveState((s) => (s.kind === 'saving' || s.kind === 'unsaved' ? s : { kind: 'unsaved' }));
    const timer = setTimeout(() => void saveNow(), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [present, readOnly, conflicted, saveNow, saveState.kind]);

  // Closing the tab with unsaved edits asks first; the browser shows its own wording.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (present !== saved.current) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [present]);

  /** Conflict: drop local edits and continue from the other save. */
  const takeTheirs = useCallback(() => {
    if (saveState.kind !== 'conflict') return;
    saved.current = saveState.theirs.document;
    setRevision(saveState.theirs.revision);
    setHistory(createHistory(saveState.theirs.document));
    setSaveState({ kind: 'saved', at: saveState.theirs.updatedAt });
  }, [saveState]);

  /** Conflict: keep local edits and save them over the other save (which stays in neither history nor draft). */
  const keepMine = useCallback(() => {
    if (saveState.kind !== 'conflict') return;
    saved.current = saveState.theirs.document;
    setRevision(saveState.theirs.revision);
    setSaveState({ kind: 'unsaved' });
  }, [saveState]);

  /** After the server replaced the draft (restoring a version): start over from its document. */
  const replace = useCallback((document: FlowDocument, nextRevision: number) => {
    saved.current = document;
    setRevision(nextRevision);
    setHistory(createHistory(document));
    setSaveState({ kind: 'saved', at: new Date() });
  }, []);

  return {
    document: present,
    revision,
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
    replace,
  };
}

export type Draft = ReturnType<typeof useDraft>;
