'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorOf, useTRPC } from '../trpc/client.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Button, ErrorNote, Field, TextInput } from '../ui/primitives.tsx';

export function NewFlowDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const starters = useQuery({ ...trpc.flows.starters.queryOptions(), enabled: open });
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [starter, setStarter] = useState('blank');
  const create = useMutation(trpc.flows.create.mutationOptions({ onSuccess: ({ id }) => router.push(`/flows/${id}`) }));
  const failure = create.error ? errorOf(create.error) : null;
  const submit = () => create.mutate({ name, description, starter });

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New flow"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button tone="primary" onClick={submit} disabled={create.isPending || create.isSuccess}>
            {create.isPending || create.isSuccess ? 'Creating…' : 'Create flow'}
          </Button>
        </>
      }
    >
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Field label="Name" htmlFor="flow-name" error={failure?.fields.get('name')}>
          <TextInput id="flow-name" autoFocus value={name} onChange={(e) => setName(e.target.value)} placeholder="Refunds, EU" aria-invalid={failure?.fields.has('name')} />
        </Field>
        <Field label="Description" htmlFor="flow-description" error={failure?.fields.get('description')} hint="Optional: what the flow handles, for the people who open it later.">
          <TextInput id="flow-description" value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Start from</legend>
          <div className="mt-2 grid grid-cols-1 gap-2">
            {(starters.data ?? []).map((s) => (
              <label key={s.id} className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 p-3 has-[:checked]:border-indigo-500 has-[:checked]:bg-indigo-50/50">
                <input type="radio" name="starter" value={s.id} checked={starter === s.id} onChange={() => setStarter(s.id)} className="mt-0.5 accent-indigo-600" />
                <span>
                  <span className="block text-sm font-medium text-slate-900">{s.title}</span>
                  <span className="block text-xs text-slate-500">{s.description}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        {failure && failure.fields.size === 0 && <ErrorNote>{failure.message}</ErrorNote>}
      </form>
    </Dialog>
  );
}
