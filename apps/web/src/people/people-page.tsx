'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Role } from '@signalbox/db/app';
import { useState } from 'react';
import { useViewer } from '../app/(workspace)/viewer.tsx';
import { errorOf, useTRPC } from '../trpc/client.tsx';
import { AppShell } from '../ui/app-shell.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Button, Card, ErrorNote, Field, Select, Spinner, TextInput } from '../ui/primitives.tsx';

const ROLE_HELP: Record<Role, string> = {
  owner: 'Everything, including managing owners',
  admin: 'Everything except managing owners',
  editor: 'Builds, previews and publishes flows',
  agent: 'Answers conversations; reads flows',
  viewer: 'Reads flows and channels',
};

export function PeoplePage() {
  const trpc = useTRPC();
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const people = useQuery(trpc.users.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const setRole = useMutation(trpc.users.setRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.users.remove.mutationOptions({ onSuccess: refresh }));
  const [adding, setAdding] = useState(false);
  const assignable = people.data?.assignable ?? [];
  const failure = setRole.error ?? remove.error;

  return (
    <AppShell title="People" actions={<Button tone="primary" onClick={() => setAdding(true)}>Add person</Button>}>
      {failure && <div className="mb-4"><ErrorNote>{errorOf(failure).message}</ErrorNote></div>}
      {people.isLoading ? (
        <Card className="p-8 text-center"><Spinner label="Loading people" /></Card>
      ) : people.error ? (
        <ErrorNote>{people.error.message}</ErrorNote>
      ) : (
        <Card className="divide-y divide-slate-100">
          {(people.data?.users ?? []).map((u) => {
            const manageable = u.id !== viewer.id && assignable.includes(u.role);
            return (
              <div key={u.id} className="flex items-center gap-4 px-5 py-3">
                <div className="min-w-0 flex-1">
                  <p className="font-medium text-slate-900">{u.name}{u.id === viewer.id && <span className="ml-1 text-xs text-slate-400">(you)</span>}</p>
                  <p className="text-xs text-slate-500">{u.email}</p>
                </div>
                <Select aria-label={`Role of ${u.name}`} value={u.role} disabled={!manageable || setRole.isPending} onChange={(e) => setRole.mutate({ id: u.id, role: e.target.value as Role })} className="max-w-40">
                  {(manageable ? assignable : [u.role]).map((r) => <option key={r} value={r}>{r}</option>)}
                </Select>
                <Button size="sm" tone="danger" disabled={!manageable || remove.isPending} onClick={() => window.confirm(`Remove ${u.name}? They can no longer sign in.`) && remove.mutate({ id: u.id })}>
                  Remove
                </Button>
              </div>
            );
          })}
        </Card>
      )}
      <dl className="mt-6 grid grid-cols-1 gap-x-6 gap-y-1 text-xs text-slate-500 sm:grid-cols-2">
        {Object.entries(ROLE_HELP).map(([role, help]) => (
          <div key={role}><dt className="inline font-medium text-slate-700">{role}</dt> <dd className="inline">— {help}</dd></div>
        ))}
      </dl>
      <AddPersonDialog open={adding} onClose={() => setAdding(false)} roles={assignable} onAdded={() => { setAdding(false); void refresh(); }} />
    </AppShell>
  );
}

function AddPersonDialog({ open, onClose, roles, onAdded }: { open: boolean; onClose(): void; roles: Role[]; onAdded(): void }) {
  const trpc = useTRPC();
  const [form, setForm] = useState({ name: '', email: '', role: 'editor' as Role, password: '' });
  const create = useMutation(trpc.users.create.mutationOptions({ onSuccess: () => { setForm({ name: '', email: '', role: 'editor', password: '' }); onAdded(); } }));
  const failure = create.error ? errorOf(create.error) : null;
  const fieldError = (name: string) => failure?.fields.get(name);
  return (
    <Dialog open={open} onClose={onClose} title="Add a person" footer={<><Button onClick={onClose}>Cancel</Button><Button tone="primary" disabled={create.isPending} onClick={() => create.mutate(form)}>{create.isPending ? 'Adding…' : 'Add'}</Button></>}>
      <div className="space-y-4">
        <Field label="Name" htmlFor="person-name" error={fieldError('name')}><TextInput id="person-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></Field>
        <Field label="Email" htmlFor="person-email" error={fieldError('email')}><TextInput id="person-email" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} /></Field>
        <Field label="Role" htmlFor="person-role" hint={ROLE_HELP[form.role]}>
          <Select id="person-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>{roles.map((r) => <option key={r} value={r}>{r}</option>)}</Select>
        </Field>
        <Field label="First password" htmlFor="person-password" error={fieldError('password')} hint="At least 10 characters; tell it to them in person.">
          <TextInput id="person-password" type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        </Field>
        {failure && !['name', 'email', 'password'].some((f) => failure.fields.has(f)) && <ErrorNote>{failure.message}</ErrorNote>}
      </div>
    </Dialog>
  );
}
