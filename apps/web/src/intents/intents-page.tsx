'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useViewer } from '../app/(workspace)/viewer.tsx';
import { errorOf, useTRPC, type RouterOutputs } from '../trpc/client.tsx';
import { AppShell } from '../ui/app-shell.tsx';
import { Button, Card, EmptyState, ErrorNote, Spinner } from '../ui/primitives.tsx';
import { ImportCsv } from './import-csv.tsx';
import { IntentEditor, NewIntentForm } from './intent-editor.tsx';
import { TrainingBadge } from './training-status.tsx';
import { TryIntent } from './try-intent.tsx';

type Panel = { kind: 'intent'; id: string } | { kind: 'new' } | { kind: 'import' } | null;

/**
 * The workspace's intents: what classify-intent nodes route on. The list with phrase counts, one intent's phrases,
 * CSV import and export, the model's training status (polled while it trains) and a box to try a message.
 */
export function IntentsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const canEdit = viewer.permissions.includes('content.edit');
  const [panel, setPanel] = useState<Panel>(null);
  const [exporting, setExporting] = useState(false);
  const list = useQuery(trpc.intents.list.queryOptions());
  const status = useQuery({
    ...trpc.intents.status.queryOptions(),
    refetchInterval: (query) => (query.state.data?.state === 'training' || list.data?.status.state === 'training' ? 1000 : false),
  });
  const shownStatus = status.data ?? list.data?.status;
  const intents = list.data?.intents ?? [];
  const selected = panel?.kind === 'intent' ? panel.id : (panel === null ? intents[0]?.id : undefined);

  const exportCsv = async () => {
    setExporting(true);
    try {
      const { csv, filename } = await queryClient.fetchQuery({ ...trpc.intents.exportCsv.queryOptions(), staleTime: 0 });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      link.download = filename;
      link.click();
      URL.revokeObjectURL(link.href);
    } finally {
      setExporting(false);
    }
  };

  return (
    <AppShell
      title="Intents"
      actions={
        <>
          {shownStatus && <TrainingBadge status={shownStatus} />}
          <Button onClick={() => void exportCsv()} disabled={exporting}>
            Export CSV
          </Button>
          {canEdit && (
            <>
              <Button onClick={() => setPanel({ kind: 'import' })}>Import CSV</Button>
              <Button tone="primary" onClick={() => setPanel({ kind: 'new' })}>
                New intent
              </Button>
            </>
          )}
        </>
      }
    >
      {list.isLoading ? (
        <Card className="p-8 text-center">
          <Spinner label="Loading intents" />
        </Card>
      ) : list.error || !list.data ? (
        <ErrorNote>Could not load the intents: {list.error?.message}</ErrorNote>
      ) : (
        <div className="grid grid-cols-[16rem_minmax(0,1fr)_18rem] items-start gap-6">
          <nav aria-label="Intents" className="space-y-1">
            {intents.length === 0 && <p className="px-2 text-sm text-slate-500">No intents: every message is “not sure”.</p>}
            {intents.map((intent) => (
              <button
                key={intent.id}
                type="button"
                onClick={() => setPanel({ kind: 'intent', id: intent.id })}
                aria-current={selected === intent.id ? 'true' : undefined}
                className={`block w-full rounded-lg px-3 py-2 text-left transition ${selected === intent.id ? 'bg-white shadow-sm ring-1 ring-slate-200' : 'hover:bg-white/70'}`}
              >
                <span className="flex items-center justify-between gap-2">
                  <span className="truncate font-mono text-sm font-medium text-slate-900">{intent.name}</span>
                  <span className="shrink-0 text-xs tabular-nums text-slate-500" title="training phrases">
                    {intent.phraseCount}
                  </span>
                </span>
                <span className="block truncate text-xs text-slate-500">
                  {intent.title || 'No title'}
                  {intent.languages.length > 0 && ` · ${intent.languages.join(' ')}`}
                </span>
              </button>
            ))}
            {canEdit && list.data.missingDefaults.length > 0 && <MissingDefaults missing={list.data.missingDefaults} />}
          </nav>

          <div className="min-w-0">
            {panel?.kind === 'new' ? (
              <NewIntentForm languages={list.data.languages} onCreated={(id) => setPanel({ kind: 'intent', id })} onCancel={() => setPanel(null)} />
            ) : panel?.kind === 'import' ? (
              <ImportCsv onClose={() => setPanel(null)} />
            ) : selected ? (
              <IntentEditor key={selected} intentId={selected} languages={list.data.languages} canEdit={canEdit} onDeleted={() => setPanel(null)} />
            ) : (
              <EmptyState title="No intents yet" action={canEdit && <Button tone="primary" onClick={() => setPanel({ kind: 'new' })}>Create an intent</Button>}>
                Intents are what a “Classify intent” node routes on: each gets an output.
              </EmptyState>
            )}
          </div>

          <TryIntent />
        </div>
      )}
    </AppShell>
  );
}

/**
 * Default intents the workspace has none of (a newer release's, such as small_talk, or ones it deleted), offered
 * rather than added behind its back: a new intent changes where some messages of its live flows go.
 */
function MissingDefaults({ missing }: { missing: RouterOutputs['intents']['list']['missingDefaults'] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const add = useMutation(trpc.intents.addDefaults.mutationOptions());
  const failure = add.error ? errorOf(add.error) : null;
  return (
    <div className="mt-3 rounded-lg border border-dashed border-slate-300 p-3 text-xs text-slate-600" data-testid="missing-defaults">
      <p>
        Default {missing.length === 1 ? 'intent' : 'intents'} you don't have:{' '}
        {missing.map((d, i) => (
          <span key={d.name}>
            {i > 0 && ', '}
            <span className="font-mono text-slate-800">{d.name}</span> ({d.title})
          </span>
        ))}
        . Flows that do not route on {missing.length === 1 ? 'it' : 'them'} send {missing.length === 1 ? 'its' : 'their'} messages to “Not sure”.
      </p>
      <Button
        size="sm"
        className="mt-2"
        disabled={add.isPending}
        onClick={() =>
          add.mutate(undefined, {
            onSuccess: () => {
              void queryClient.invalidateQueries({ queryKey: trpc.intents.list.queryKey() });
              void queryClient.invalidateQueries({ queryKey: trpc.intents.status.queryKey() });
            },
          })
        }
      >
        {add.isPending ? 'Adding…' : `Add ${missing.length === 1 ? 'it' : 'them'}`}
      </Button>
      {failure && <ErrorNote>{failure.message}</ErrorNote>}
    </div>
  );
}

