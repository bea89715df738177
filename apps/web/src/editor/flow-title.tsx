'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { errorOf, useTRPC } from '../trpc/client.tsx';

/** The flow's name in the editor's header; people who may edit rename it in place (Enter saves, Escape cancels). */
export function FlowTitle({ flowId, name, canRename }: { flowId: string; name: string; canRename: boolean }) {
  const trpc = useTRPC();
  const [shown, setShown] = useState(name);
  const [editing, setEditing] = useState<string | null>(null);
  const rename = useMutation(
    trpc.flows.update.mutationOptions({
      onSuccess: (_result, input) => {
        setShown(input.name ?? shown);
        setEditing(null);
      },
    }),
  );
  if (!canRename) return <h1 className="truncate text-base font-semibold text-slate-900">{shown}</h1>;
  if (editing === null) {
    return (
      <h1 className="min-w-0">
        <button type="button" onClick={() => setEditing(shown)} title="Rename the flow" className="max-w-72 truncate rounded px-1 text-base font-semibold text-slate-900 hover:bg-slate-100">
          {shown}
        </button>
      </h1>
    );
  }
  const failure = rename.error ? errorOf(rename.error) : null;
  return (
    <form
      className="flex items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (editing.trim() === shown) setEditing(null);
        else rename.mutate({ id: flowId, name: editing });
      }}
    >
      <input
        autoFocus
        aria-label="Flow name"
        value={editing}
        maxLength={120}
        onChange={(e) => setEditing(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            rename.reset();
            setEditing(null);
          }
        }}
        onBlur={(e) => {
          if (!e.currentTarget.form?.contains(e.relatedTarget)) e.currentTarget.form?.requestSubmit();
        }}
        aria-invalid={failure !== null}
        className="w-64 rounded-md border-0 px-2 py-1 text-base font-semibold ring-1 ring-inset ring-indigo-400 focus:ring-2 focus:ring-indigo-600 aria-[invalid=true]:ring-red-400"
      />
      {failure && <span className="text-xs text-red-600">{failure.fields.get('name') ?? failure.message}</span>}
    </form>
  );
}
