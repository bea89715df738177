'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorOf, useTRPC } from '../trpc/client.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Button, Field, TextInput } from '../ui/primitives.tsx';

const MAX_BYTES = 5_000_000;

export function ImportFlowDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [name, setName] = useState('');
  const [readError, setReadError] = useState<string | null>(null);
  const importFlow = useMutation(trpc.flows.import.mutationOptions({ onSuccess: ({ id }) => router.push(`/flows/${id}`) }));
  const failure = importFlow.error ? errorOf(importFlow.error) : null;

  const choose = async (chosen: File | undefined) => {
    importFlow.reset();
    setReadError(null);
    setFile(null);
    if (!chosen) return;
    if (chosen.size > MAX_BYTES) return setReadError(`${chosen.name} is larger than 5 MB`);
    setFile({ name: chosen.name, text: await chosen.text() });
    if (!name) setName(chosen.name.replace(/\.json$/i, ''));
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Import a flow"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button tone="primary" disabled={!file || importFlow.isPending} onClick={() => file && importFlow.mutate({ text: file.text, ...(name.trim() ? { name } : {}) })}>
            {importFlow.isPending ? 'Importing…' : 'Import'}
          </Button>
        </>
      }
    >
      <div className="space-y-4">
        <Field label="Flow file (JSON)" htmlFor="import-file" error={readError} hint="A file exported from Signalbox; older formats are upgraded.">
          <input id="import-file" type="file" accept="application/json,.json" onChange={(e) => void choose(e.target.files?.[0])} className="block w-full text-sm text-slate-600 file:mr-3 file:rounded-md file:border-0 file:bg-indigo-50 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-indigo-700 hover:file:bg-indigo-100" />
        </Field>
        <Field label="Name" htmlFor="import-name" error={failure?.fields.get('name')}>
          <TextInput id="import-name" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        {failure && (
          <div role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-700 ring-1 ring-inset ring-red-200">
            <p className="font-medium">{failure.message}</p>
            {failure.fields.size > 0 && (
              <ul className="mt-2 max-h-48 space-y-1 overflow-y-auto font-mono text-xs">
                {[...failure.fields].map(([path, message]) => (
                  <li key={path}>
                    <span className="text-red-900">{path}</span> {message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </Dialog>
  );
}
