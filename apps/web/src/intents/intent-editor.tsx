'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorOf, useTRPC, type RouterOutputs } from '../trpc/client.tsx';
import { Badge, Button, Card, ErrorNote, Field, Select, Spinner, TextArea, TextInput } from '../ui/primitives.tsx';

type Intent = RouterOutputs['intents']['get'];
type RenameEffect = NonNullable<RouterOutputs['intents']['update']['renamed']>;
type FlowUse = RouterOutputs['intents']['usedBy'][number];
type Phrase = Intent['phrases'][number];
export type Languages = RouterOutputs['intents']['list']['languages'];

/** Pasted text as phrases: one a line. */
const linesOf = (text: string) => text.split(/\r?\n/);

function LanguagePicker({ id, value, onChange, languages, detect }: { id: string; value: string; onChange(value: string): void; languages: Languages; detect: string }) {
  return (
    <Select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{detect}</option>
      {languages.map((l) => (
        <option key={l.code} value={l.code}>
          {l.name} ({l.code})
        </option>
      ))}
    </Select>
  );
}

/** Refreshes what shows an intent after a write: the list's counts, the status, this intent. */
function useAfterWrite() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (written?: Intent) => {
    if (written) queryClient.setQueryData(trpc.intents.get.queryKey({ id: written.id }), written);
    void queryClient.invalidateQueries({ queryKey: trpc.intents.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.intents.status.queryKey() });
  };
}

/** A new intent: its name (the node's output), a title, and its first phrases pasted one a line. */
export function NewIntentForm({ languages, onCreated, onCancel }: { languages: Languages; onCreated(id: string): void; onCancel(): void }) {
  const trpc = useTRPC();
  const afterWrite = useAfterWrite();
  const [form, setForm] = useState({ name: '', title: '', phrases: '', language: '' });
  const create = useMutation(trpc.intents.create.mutationOptions());
  const failure = create.error ? errorOf(create.error) : null;
  const lineError = failure ? [...failure.fields].find(([path]) => path.startsWith('lines'))?.[1] : undefined;

  return (
    <Card className="p-5">
      <form
        aria-label="New intent"
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(
            { name: form.name, title: form.title, lines: linesOf(form.phrases), language: form.language || null },
            {
              onSuccess: (intent) => {
                afterWrite(intent);
                onCreated(intent.id);
              },
            },
          );
        }}
      >
        <h2 className="text-base font-semibold text-slate-900">New intent</h2>
        <div className="grid grid-cols-2 gap-4">
          <Field label="Name" htmlFor="intent-name" error={failure?.fields.get('name') ?? null} hint="Lowercase letters, digits and _: the node’s output is named after it.">
            <TextInput id="intent-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder="size_exchange" aria-invalid={failure?.fields.has('name')} autoFocus />
          </Field>
          <Field label="Title" htmlFor="intent-title" error={failure?.fields.get('title') ?? null}>
            <TextInput id="intent-title" value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} placeholder="Size exchange" />
          </Field>
        </div>
        <Field label="Training phrases, one a line" htmlFor="intent-phrases" error={lineError ?? null} hint="How customers say it; a dozen or more in each language works best.">
          <TextArea id="intent-phrases" rows={6} value={form.phrases} onChange={(e) => setForm({ ...form, phrases: e.target.value })} placeholder={'Quiero cambiar la talla\nMe queda pequeño, ¿lo puedo cambiar?'} />
        </Field>
        <div className="grid grid-cols-2 gap-4">
          <Field label="Language of the phrases" htmlFor="intent-language" error={failure?.fields.get('language') ?? null}>
            <LanguagePicker id="intent-language" value={form.language} onChange={(language) => setForm({ ...form, language })} languages={languages} detect="Detect each line’s language" />
          </Field>
        </div>
        {failure && failure.fields.size === 0 && <ErrorNote>{failure.message}</ErrorNote>}
        <div className="flex justify-end gap-2">
          <Button onClick={onCancel}>Cancel</Button>
          <Button type="submit" tone="primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create intent'}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function PhraseRow({ phrase, languages, canEdit, onWritten }: { phrase: Phrase; languages: Languages; canEdit: boolean; onWritten(intent?: Intent): void }) {
  const trpc = useTRPC();
  const [editing, setEditing] = useState<{ text: string; language: string } | null>(null);
  const update = useMutation(trpc.intents.updatePhrase.mutationOptions());
  const remove = useMutation(trpc.intents.removePhrase.mutationOptions());
  const failure = update.error ? errorOf(update.error) : remove.error ? errorOf(remove.error) : null;

  if (editing) {
    return (
      <li className="space-y-1 px-4 py-2">
        <form
          className="flex items-center gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            update.mutate(
              { id: phrase.id, text: editing.text, language: editing.language || null },
              {
                onSuccess: (intent) => {
                  setEditing(null);
                  onWritten(intent);
                },
              },
            );
          }}
        >
          <TextInput aria-label="Phrase" className="flex-1" value={editing.text} onChange={(e) => setEditing({ ...editing, text: e.target.value })} aria-invalid={failure?.fields.has('text')} autoFocus />
          <div className="w-40">
            <LanguagePicker id={`phrase-language-${phrase.id}`} value={editing.language} onChange={(language) => setEditing({ ...editing, language })} languages={languages} detect="Unknown language" />
          </div>
          <Button type="submit" size="sm" tone="primary" disabled={update.isPending}>
            Save
          </Button>
          <Button size="sm" tone="ghost" onClick={() => setEditing(null)}>
            Cancel
          </Button>
        </form>
        {failure && <p className="text-xs text-red-600">{failure.fields.get('text') ?? failure.message}</p>}
      </li>
    );
  }
  return (
    <li className="group flex items-center gap-3 px-4 py-2" data-testid="phrase">
      <span className="min-w-0 flex-1 text-sm text-slate-800">{phrase.text}</span>
      {canEdit && (
        <span className="flex gap-1 opacity-0 transition group-focus-within:opacity-100 group-hover:opacity-100">
          <Button size="sm" tone="ghost" onClick={() => setEditing({ text: phrase.text, language: phrase.language ?? '' })} aria-label={`Edit “${phrase.text}”`}>
            Edit
          </Button>
          <Button size="sm" tone="ghost" disabled={remove.isPending} onClick={() => remove.mutate({ id: phrase.id }, { onSuccess: () => onWritten() })} aria-label={`Remove “${phrase.text}”`}>
            Remove
          </Button>
        </span>
      )}
      {failure && <span className="text-xs text-red-600">{failure.message}</span>}
      <span className="w-14 shrink-0 text-right" title={phrase.language ? undefined : 'language not known'}>
        <Badge tone={phrase.language ? 'indigo' : 'slate'}>{phrase.language ?? '?'}</Badge>
      </span>
    </li>
  );
}

/** One intent: its name and title, its phrases (edited in place) and a box to paste more. */
export function IntentEditor({ intentId, languages, canEdit, onDeleted }: { intentId: string; languages: Languages; canEdit: boolean; onDeleted(): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const afterWrite = useAfterWrite();
  const intent = useQuery(trpc.intents.get.queryOptions({ id: intentId }));
  const [details, setDetails] = useState<{ name: string; title: string; description: string } | null>(null);
  const [adding, setAdding] = useState({ text: '', language: '' });
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [renamed, setRenamed] = useState<(RenameEffect & { from: string; to: string }) | null>(null);
  const usedBy = useQuery({ ...trpc.intents.usedBy.queryOptions({ id: intentId }), enabled: details !== null });
  const update = useMutation(trpc.intents.update.mutationOptions());
  const add = useMutation(trpc.intents.addPhrases.mutationOptions());
  const remove = useMutation(trpc.intents.delete.mutationOptions());
  const onWritten = (written?: Intent) => {
    afterWrite(written);
    if (!written) void queryClient.invalidateQueries({ queryKey: trpc.intents.get.queryKey({ id: intentId }) });
  };

  if (intent.isLoading) {
    return (
      <Card className="p-8 text-center">
        <Spinner label="Loading the intent" />
      </Card>
    );
  }
  if (intent.error || !intent.data) return <ErrorNote>Could not load the intent: {intent.error?.message ?? 'not found'}</ErrorNote>;
  const data = intent.data;
  const updateFailure = update.error ? errorOf(update.error) : null;
  const addFailure = add.error ? errorOf(add.error) : null;
  const addError = addFailure ? ([...addFailure.fields].find(([path]) => path.startsWith('lines'))?.[1] ?? addFailure.fields.get('language') ?? addFailure.message) : null;

  return (
    <Card className="overflow-hidden">
      {renamed && <RenameReport effect={renamed} onDismiss={() => setRenamed(null)} />}
      <div className="border-b border-slate-100 p-5">
        {details ? (
          <form
            aria-label="Intent details"
            className="space-y-3"
            onSubmit={(event) => {
              event.preventDefault();
              update.mutate(
                { id: data.id, ...details },
                {
                  onSuccess: ({ renamed: effect, ...written }) => {
                    setDetails(null);
                    setRenamed(effect ? { ...effect, from: data.name, to: written.name } : null);
                    onWritten(written);
                  },
                },
              );
            }}
          >
            <div className="grid grid-cols-2 gap-4">
              <Field label="Name" htmlFor="edit-intent-name" error={updateFailure?.fields.get('name') ?? null} hint="Renaming keeps the phrases, and renames it in the flow drafts that route on it.">
                <TextInput id="edit-intent-name" value={details.name} onChange={(e) => setDetails({ ...details, name: e.target.value })} aria-invalid={updateFailure?.fields.has('name')} />
              </Field>
              <Field label="Title" htmlFor="edit-intent-title" error={updateFailure?.fields.get('title') ?? null}>
                <TextInput id="edit-intent-title" value={details.title} onChange={(e) => setDetails({ ...details, title: e.target.value })} />
              </Field>
            </div>
            <Field label="Description" htmlFor="edit-intent-description" error={updateFailure?.fields.get('description') ?? null}>
              <TextArea id="edit-intent-description" rows={2} value={details.description} onChange={(e) => setDetails({ ...details, description: e.target.value })} />
            </Field>
            {details.name.trim() !== data.name && <RenameConsequence name={data.name} flows={usedBy.data} />}
            <div className="flex justify-end gap-2">
              <Button onClick={() => setDetails(null)}>Cancel</Button>
              <Button type="submit" tone="primary" disabled={update.isPending}>
                Save
              </Button>
            </div>
          </form>
        ) : (
          <div className="flex items-start gap-4">
            <div className="min-w-0 flex-1">
              <h2 className="font-mono text-lg font-semibold text-slate-900">{data.name}</h2>
              <p className="text-sm text-slate-600">{data.title || <span className="text-slate-400">No title</span>}</p>
              {data.description && <p className="mt-1 text-sm text-slate-500">{data.description}</p>}
            </div>
            {canEdit && (
              <div className="flex gap-2">
                <Button size="sm" onClick={() => setDetails({ name: data.name, title: data.title, description: data.description })}>
                  Rename / edit
                </Button>
                {confirmDelete ? (
                  <>
                    <Button size="sm" tone="danger" disabled={remove.isPending} onClick={() => remove.mutate({ id: data.id }, { onSuccess: () => (afterWrite(), onDeleted()) })}>
                      Delete {data.phraseCount} phrases too
                    </Button>
                    <Button size="sm" tone="ghost" onClick={() => setConfirmDelete(false)}>
                      Keep
                    </Button>
                  </>
                ) : (
                  <Button size="sm" tone="danger" onClick={() => setConfirmDelete(true)}>
                    Delete
                  </Button>
                )}
              </div>
            )}
          </div>
        )}
      </div>

      {canEdit && (
        <form
          aria-label="Add phrases"
          className="space-y-2 border-b border-slate-100 bg-slate-50/60 p-5"
          onSubmit={(event) => {
            event.preventDefault();
            add.mutate(
              { intentId: data.id, lines: linesOf(adding.text), language: adding.language || null },
              {
                onSuccess: (result) => {
                  setAdding((a) => ({ ...a, text: '' }));
                  onWritten(result.intent);
                },
              },
            );
          }}
        >
          <Field label="Add phrases, one a line (paste many at once)" htmlFor="add-phrases" error={addError}>
            <TextArea id="add-phrases" rows={3} value={adding.text} onChange={(e) => setAdding({ ...adding, text: e.target.value })} aria-invalid={addError !== null} placeholder="Type or paste customer messages" />
          </Field>
          <div className="flex items-center gap-2">
            <div className="w-64">
              <LanguagePicker id="add-phrases-language" value={adding.language} onChange={(language) => setAdding({ ...adding, language })} languages={languages} detect="Detect each line’s language" />
            </div>
            <Button type="submit" tone="primary" size="sm" disabled={add.isPending}>
              {add.isPending ? 'Adding…' : 'Add phrases'}
            </Button>
            {add.data && !add.isPending && (
              <span className="text-xs text-slate-500" role="status">
                Added {add.data.added}
                {add.data.duplicates > 0 ? `, skipped ${add.data.duplicates} already there` : ''}.
              </span>
            )}
          </div>
        </form>
      )}

      <div className="flex items-center justify-between px-4 pt-3 pb-1 text-xs font-medium uppercase tracking-wide text-slate-500">
        <span>
          {data.phraseCount} training phrase{data.phraseCount === 1 ? '' : 's'}
        </span>
        <span>Language</span>
      </div>
      {data.phrases.length === 0 ? (
        <p className="px-4 pb-4 text-sm text-slate-500">No phrases yet: the intent cannot be trained without some.</p>
      ) : (
        <ul className="max-h-[32rem] divide-y divide-slate-100 overflow-y-auto" aria-label="Training phrases">
          {data.phrases.map((phrase) => (
            <PhraseRow key={phrase.id} phrase={phrase} languages={languages} canEdit={canEdit} onWritten={onWritten} />
          ))}
        </ul>
      )}
    </Card>
  );
}

const flowLink = (f: { id: string; name: string }) => (
  <a key={f.id} className="font-medium text-indigo-600 hover:underline" href={`/flows/${f.id}`}>
    {f.name}
  </a>
);

const listed = (flows: readonly { id: string; name: string }[]) => flows.flatMap((f, i) => (i === 0 ? [flowLink(f)] : [<span key={`${f.id}-sep`}>, </span>, flowLink(f)]));

/** Before a rename is saved: which flows route on the intent, and what the rename does to them. */
function RenameConsequence({ name, flows }: { name: string; flows: readonly FlowUse[] | undefined }) {
  if (!flows) return null;
  if (flows.length === 0) return <p className="text-sm text-slate-600">No flow routes on “{name}”.</p>;
  const drafts = flows.filter((f) => f.draft);
  const published = flows.filter((f) => f.published);
  return (
    <div className="space-y-1 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" aria-label="Flows routing on this intent">
      {drafts.length > 0 && <p>Saving renames it in the drafts of {listed(drafts)}.</p>}
      {published.length > 0 && (
        <p>
          The published version of {listed(published)} routes on “{name}”: until you publish again, its Classify intent node takes “Not sure” for these
          messages.
        </p>
      )}
    </div>
  );
}

/** After a rename: the drafts it changed, and the published flows still on the old name. */
function RenameReport({ effect, onDismiss }: { effect: RenameEffect & { from: string; to: string }; onDismiss(): void }) {
  if (effect.draftsUpdated.length === 0 && effect.publishedOnOldName.length === 0) return null;
  return (
    <div role="status" className="flex items-start gap-3 border-b border-amber-200 bg-amber-50 px-5 py-3 text-sm text-amber-900">
      <div className="flex-1 space-y-1">
        {effect.draftsUpdated.length > 0 && (
          <p>
            Renamed “{effect.from}” to “{effect.to}” in the drafts of {listed(effect.draftsUpdated)}.
          </p>
        )}
        {effect.publishedOnOldName.length > 0 && (
          <p>
            Publish {listed(effect.publishedOnOldName)} again: the live version still routes on “{effect.from}”, and takes “Not sure” for these messages until then.
          </p>
        )}
      </div>
      <Button size="sm" tone="ghost" onClick={onDismiss} aria-label="Dismiss">
        ×
      </Button>
    </div>
  );
}

