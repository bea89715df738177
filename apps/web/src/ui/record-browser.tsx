'use client';

import { useEffect, useState, type ReactNode } from 'react';
import { AppShell } from './app-shell.tsx';
import { Dialog } from './dialog.tsx';
import { Badge, Button, Card, EmptyState, ErrorNote, Spinner } from './primitives.tsx';

export interface RecordItem {
  id: string;
  title: string;
  subtitle: string;
  badge?: string;
}

/** What the editor beside the list may do: it reports unsaved changes, saves, and deletes. */
export interface RecordEditorHandlers {
  onDirty(dirty: boolean): void;
  /** After a save: `id` of the saved record (a new one's, the first time). */
  onSaved(id: string): void;
  /** After a delete. */
  onDeleted(): void;
}

interface RecordBrowserProps {
  /** The page title and its path (`/templates`), which keeps the open record in `?id=`. */
  title: string;
  path: string;
  noun: string;
  items: readonly RecordItem[] | undefined;
  loading: boolean;
  error: string | null;
  canEdit: boolean;
  /** What the empty page says the records are for. */
  emptyText: ReactNode;
  /** The editor of the open record; `id` null: a new one. Remounted per record. */
  editor(id: string | null, handlers: RecordEditorHandlers): ReactNode;
  onChanged(): void;
}

function idFromUrl(): string | null {
  return new URLSearchParams(window.location.search).get('id');
}

/**
 * A workspace's records of one kind (templates, word lists): the list on the left, the open one's editor on the
 * right, the open record in the URL, and a warning before unsaved changes are dropped by opening another.
 */
export function RecordBrowser({ title, path, noun, items, loading, error, canEdit, emptyText, editor, onChanged }: RecordBrowserProps) {
  // undefined: nothing chosen yet; null: a new record.
  const [open, setOpen] = useState<string | null | undefined>(undefined);
  const [dirty, setDirty] = useState(false);

  useEffect(() => setOpen(idFromUrl() ?? undefined), []);
  // The first record opens by itself, so the page never shows an empty editor beside a full list.
  const first = items?.[0]?.id;
  useEffect(() => {
    if (open === undefined && first) setOpen(first);
  }, [open, first]);

  const show = (id: string | null | undefined) => {
    setOpen(id);
    window.history.replaceState(null, '', id ? `${path}?id=${encodeURIComponent(id)}` : path);
  };
  const choose = (id: string | null) => {
    if (dirty && !window.confirm('Discard the changes you have not saved?')) return;
    setDirty(false);
    show(id);
  };
  const handlers: RecordEditorHandlers = {
    onDirty: setDirty,
    onSaved: (id) => {
      onChanged();
      setDirty(false);
      if (open !== id) show(id);
    },
    onDeleted: () => {
      onChanged();
      setDirty(false);
      show(undefined);
    },
  };
  const newButton = canEdit ? (
    <Button tone="primary" onClick={() => choose(null)}>
      New {noun}
    </Button>
  ) : undefined;

  return (
    <AppShell title={title} actions={newButton}>
      {loading ? (
        <Card className="p-8 text-center">
          <Spinner label={`Loading ${title.toLowerCase()}`} />
        </Card>
      ) : error ? (
        <ErrorNote>{error}</ErrorNote>
      ) : (items ?? []).length === 0 && open !== null ? (
        <EmptyState title={`No ${title.toLowerCase()} yet`} action={newButton}>
          {emptyText}
        </EmptyState>
      ) : (
        <div className="grid gap-6 lg:grid-cols-[16rem_minmax(0,1fr)]">
          <nav aria-label={title} className="space-y-1">
            {open === null && <div className="rounded-lg bg-indigo-50 px-3 py-2 text-sm font-medium text-indigo-700 ring-1 ring-inset ring-indigo-200">New {noun}</div>}
            {(items ?? []).map((item) => (
              <button
                key={item.id}
                type="button"
                onClick={() => choose(item.id)}
                aria-current={open === item.id ? 'true' : undefined}
                className="block w-full rounded-lg px-3 py-2 text-left ring-inset hover:bg-white aria-[current=true]:bg-white aria-[current=true]:shadow-sm aria-[current=true]:ring-1 aria-[current=true]:ring-slate-200"
              >
                <span className="flex items-center justify-between gap-2">
                  <span className="truncate text-sm font-medium text-slate-900">{item.title}</span>
                  {item.badge && <Badge tone="green">{item.badge}</Badge>}
                </span>
                <span className="mt-0.5 block truncate text-xs text-slate-500" title={item.subtitle}>
                  {item.subtitle}
                </span>
              </button>
            ))}
          </nav>
          {open !== undefined && <div key={open ?? 'new'}>{editor(open, handlers)}</div>}
        </div>
      )}
    </AppShell>
  );
}

/** Tells the page about unsaved changes and asks the browser to warn before the tab closes with them. */
export function useUnsavedChanges(dirty: boolean, onDirty: (dirty: boolean) => void): void {
  useEffect(() => onDirty(dirty), [dirty, onDirty]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
}

/**
 * Save, discard and delete under a record's form, with the delete confirmed in a dialog that says what `consequence`
 * the delete has. The save button submits the form it is in.
 */
export function EditorActions({
  noun,
  name,
  isNew,
  dirty,
  saving,
  onDiscard,
  onDelete,
  consequence,
}: {
  noun: string;
  name: string;
  isNew: boolean;
  dirty: boolean;
  saving: boolean;
  onDiscard(): void;
  onDelete(): void;
  consequence: ReactNode;
}) {
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="flex flex-wrap items-center gap-2 border-t border-slate-100 pt-4">
      <Button type="submit" tone="primary" disabled={saving || (!dirty && !isNew)}>
        {saving ? 'Saving…' : isNew ? `Create ${noun}` : 'Save changes'}
      </Button>
      {dirty && !isNew && (
        <Button tone="ghost" onClick={onDiscard}>
          Discard changes
        </Button>
      )}
      <span className="text-xs text-slate-500" aria-live="polite">
        {dirty ? 'Unsaved changes' : isNew ? '' : 'All changes saved'}
      </span>
      {!isNew && (
        <Button tone="danger" className="ml-auto" onClick={() => setConfirming(true)}>
          Delete
        </Button>
      )}
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Delete ${name}?`}
        footer={
          <>
            <Button onClick={() => setConfirming(false)}>Keep it</Button>
            <Button
              tone="danger"
              onClick={() => {
                setConfirming(false);
                onDelete();
              }}
            >
              Delete {noun}
            </Button>
          </>
        }
      >
        {consequence}
      </Dialog>
    </div>
  );
}
