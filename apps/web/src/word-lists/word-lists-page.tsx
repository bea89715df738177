'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { useViewer } from '../app/(workspace)/viewer.tsx';
import { useTRPC } from '../trpc/client.tsx';
import { useFormErrors } from '../ui/use-form-errors.ts';
import { Card, ErrorNote, Field, Spinner, TextArea, TextInput } from '../ui/primitives.tsx';
import { EditorActions, RecordBrowser, useUnsavedChanges, type RecordEditorHandlers } from '../ui/record-browser.tsx';
import { relativeTime } from '../ui/relative-time.ts';

/** Sensitive-word lists (insults, competitors, banned terms) that the "Check sensitive words" node uses. */
export function WordListsPage() {
  const trpc = useTRPC();
  const viewer = useViewer();
  const lists = useQuery(trpc.wordLists.list.queryOptions());
  const queryClient = useQueryClient();
  const canEdit = viewer.permissions.includes('content.edit');
  return (
    <RecordBrowser
      title="Word lists"
      path="/word-lists"
      noun="word list"
      items={lists.data?.map((l) => ({ id: l.id, title: l.name, subtitle: `${l.wordCount} word${l.wordCount === 1 ? '' : 's'} · ${relativeTime(l.updatedAt)}` }))}
      loading={lists.isLoading}
      error={lists.error?.message ?? null}
      canEdit={canEdit}
      emptyText="Lists of words a flow should notice: insults to escalate, competitors' names, terms you may not use. Flows check messages against them with the “Check sensitive words” node."
      editor={(id, handlers) => <WordListEditor id={id} readOnly={!canEdit} {...handlers} />}
      onChanged={() => void queryClient.invalidateQueries({ queryKey: trpc.wordLists.list.queryKey() })}
    />
  );
}

interface Draft {
  name: string;
  description: string;
  /** One entry per line, as typed. */
  words: string;
  obfuscations: boolean;
}

const EMPTY: Draft = { name: '', description: '', words: '', obfuscations: true };
const wordsOf = (text: string) => text.split('\n').map((w) => w.trim()).filter((w) => w !== '');

function WordListEditor({ id, readOnly, ...handlers }: { id: string | null; readOnly: boolean } & RecordEditorHandlers) {
  const trpc = useTRPC();
  const loaded = useQuery({ ...trpc.wordLists.get.queryOptions({ id: id ?? '' }), enabled: id !== null, refetchOnWindowFocus: false });
  if (id === null) return <WordListForm id={null} revision={0} initial={EMPTY} readOnly={readOnly} {...handlers} />;
  if (loaded.isLoading) {
    return (
      <Card className="p-8 text-center">
        <Spinner label="Loading the list" />
      </Card>
    );
  }
  if (loaded.error || !loaded.data) return <ErrorNote>{loaded.error?.message ?? 'no such word list'}</ErrorNote>;
  const list = loaded.data;
  return (
    <WordListForm
      key={list.revision}
      id={list.id}
      revision={list.revision}
      initial={{ name: list.name, description: list.description, words: list.words.join('\n'), obfuscations: list.obfuscations }}
      readOnly={readOnly}
      {...handlers}
    />
  );
}

function WordListForm({
  id,
  revision,
  initial,
  readOnly,
  onDirty,
  onSaved,
  onDeleted,
}: { id: string | null; revision: number; initial: Draft; readOnly: boolean } & RecordEditorHandlers) {
  const trpc = useTRPC();
  const [baseline, setBaseline] = useState(initial);
  const [draft, setDraft] = useState(initial);
  const { fields, message, error, failed, clear, forget } = useFormErrors();
  const [sample, setSample] = useState('');
  const words = wordsOf(draft.words);
  const dirty = JSON.stringify({ ...draft, words }) !== JSON.stringify({ ...baseline, words: wordsOf(baseline.words) });

  useUnsavedChanges(dirty, onDirty);

  const saved = (result: { id: string }) => {
    clear();
    setBaseline(draft);
    onSaved(result.id);
  };
  const create = useMutation(trpc.wordLists.create.mutationOptions({ onSuccess: saved, onError: failed }));
  const update = useMutation(trpc.wordLists.update.mutationOptions({ onSuccess: saved, onError: failed }));
  const remove = useMutation(trpc.wordLists.delete.mutationOptions({ onSuccess: () => onDeleted(), onError: failed }));
  const saving = create.isPending || update.isPending;
  const list = { name: draft.name, description: draft.description, words, obfuscations: draft.obfuscations };
  const set = (patch: Partial<Draft>) => {
    forget(Object.keys(patch));
    setDraft((d) => ({ ...d, ...patch }));
  };
  const wordError = [...fields].find(([path]) => path === 'words' || path.startsWith('words.'))?.[1] ?? null;

  // The try box checks the list as it stands in the editor, saved or not.
  const text = useDeferredValue(sample);
  const tried = useQuery({
    ...trpc.wordLists.try.queryOptions({ text, words, obfuscations: draft.obfuscations }),
    enabled: text.trim() !== '' && words.length > 0,
    placeholderData: (previous) => previous,
  });

  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_20rem]">
      <Card className="p-5">
        <form
          className="space-y-5"
          onSubmit={(e) => {
            e.preventDefault();
            if (id === null) create.mutate({ list });
            else update.mutate({ id, revision, list });
          }}
        >
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Name" htmlFor="list-name" error={error('name')}>
              <TextInput id="list-name" value={draft.name} readOnly={readOnly} placeholder="Insults" aria-invalid={error('name') !== null} onChange={(e) => set({ name: e.target.value })} />
            </Field>
            <Field label="Description" htmlFor="list-description" error={error('description')} hint="What the list is for.">
              <TextInput id="list-description" value={draft.description} readOnly={readOnly} onChange={(e) => set({ description: e.target.value })} />
            </Field>
          </div>
          <Field
            label={`Words (${words.length})`}
            htmlFor="list-words"
            error={wordError}
            hint="One per line. Whole words match, in any case and with or without accents; idiot* also matches idiots, *phobic matches homophobic. Chinese, Japanese, Korean and Thai entries match anywhere."
          >
            <TextArea
              id="list-words"
              rows={12}
              value={draft.words}
              readOnly={readOnly}
              className="font-mono"
              aria-invalid={wordError !== null}
              onChange={(e) => set({ words: e.target.value })}
            />
          </Field>
          <label className="flex items-start gap-2 text-sm text-slate-700">
            <input type="checkbox" className="mt-0.5" checked={draft.obfuscations} disabled={readOnly} onChange={(e) => set({ obfuscations: e.target.checked })} />
            <span>
              Catch disguised spellings
              <span className="block text-xs text-slate-500">l33t (1d10t), stretched (idiooot) and spaced-out (i d i o t) letters.</span>
            </span>
          </label>
          {message && <ErrorNote>{message}</ErrorNote>}
          {!readOnly && (
            <EditorActions
              noun="list"
              name={draft.name}
              isNew={id === null}
              dirty={dirty}
              saving={saving}
              onDiscard={() => setDraft(baseline)}
              onDelete={() => id && remove.mutate({ id })}
              consequence={<p className="text-sm text-slate-600">Flows that check this list will take their error path until you pick other lists.</p>}
            />
          )}
        </form>
      </Card>
      <aside aria-label="Try the list">
        <Card className="space-y-3 p-4">
          <h3 className="text-sm font-semibold text-slate-900">Try it</h3>
          <Field label="A customer message" htmlFor="list-try">
            <TextArea id="list-try" rows={3} value={sample} placeholder="Type a message to check" onChange={(e) => setSample(e.target.value)} />
          </Field>
          {tried.data && sample.trim() !== '' && (
            <div className="space-y-2 text-sm" data-testid="word-check">
              <p className={tried.data.matches.length > 0 ? 'font-medium text-red-700' : 'font-medium text-emerald-700'}>
                {tried.data.matches.length > 0 ? `Found ${tried.data.matches.length}: ${tried.data.matches.map((m) => `${m.text} (${m.entry})`).join(', ')}` : 'Nothing found'}
              </p>
              <p className="rounded-md bg-slate-50 p-2 font-mono text-xs text-slate-700 ring-1 ring-inset ring-slate-200">{tried.data.censored}</p>
            </div>
          )}
        </Card>
      </aside>
    </div>
  );
}
