'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useDeferredValue, useState } from 'react';
import { useViewer } from '../app/(workspace)/viewer.tsx';
import { useTRPC } from '../trpc/client.tsx';
import { AppShell } from '../ui/app-shell.tsx';
import { Badge, Button, Card, EmptyState, ErrorNote, Spinner, TextInput } from '../ui/primitives.tsx';
import { downloadJson } from './download.ts';
import { ImportFlowDialog } from './import-flow-dialog.tsx';
import { NewFlowDialog } from './new-flow-dialog.tsx';
import { relativeTime } from '../ui/relative-time.ts';

const PAGE = 25;

export function FlowList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const canEdit = viewer.permissions.includes('flows.edit');
  const [query, setQuery] = useState('');
  const [archived, setArchived] = useState(false);
  const [offset, setOffset] = useState(0);
  const [dialog, setDialog] = useState<'new' | 'import' | null>(null);
  const deferredQuery = useDeferredValue(query);
  const list = useQuery({ ...trpc.flows.list.queryOptions({ query: deferredQuery, archived, offset, limit: PAGE }), placeholderData: keepPreviousData });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
  const duplicate = useMutation(trpc.flows.duplicate.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.flows.update.mutationOptions({ onSuccess: refresh }));
  const client = useQueryClient();

  const exportFlow = async (id: string) => {
    const exported = await client.fetchQuery(trpc.flows.export.queryOptions({ id }));
    downloadJson(`${exported.name}.json`, exported.document);
  };

  const total = list.data?.total ?? 0;
  return (
    <AppShell
      title="Flows"
      actions={
        canEdit && (
          <>
            <Button onClick={() => setDialog('import')}>Import</Button>
            <Button tone="primary" onClick={() => setDialog('new')}>
              New flow
            </Button>
          </>
        )
      }
    >
      <div className="mb-4 flex items-center gap-3">
        <TextInput
          type="search"
          aria-label="Search flows"
          placeholder="Search by name or description"
          className="max-w-sm"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setOffset(0);
          }}
        />
        <div className="flex rounded-lg bg-slate-100 p-0.5 text-sm" role="tablist" aria-label="Which flows">
          {[false, true].map((value) => (
            <button
              key={String(value)}
              type="button"
              role="tab"
              aria-selected={archived === value}
              onClick={() => {
                setArchived(value);
                setOffset(0);
              }}
              className="rounded-md px-3 py-1 font-medium text-slate-600 aria-selected:bg-white aria-selected:text-slate-900 aria-selected:shadow-sm"
            >
              {value ? 'Archived' : 'Active'}
            </button>
          ))}
        </div>
        {list.isFetching && !list.isLoading && <Spinner label="Updating" />}
      </div>

      {duplicate.error && <ErrorNote>{duplicate.error.message}</ErrorNote>}
      {list.isLoading ? (
        <Card className="p-8 text-center">
          <Spinner label="Loading flows" />
        </Card>
      ) : list.error ? (
        <ErrorNote>Could not load the flows: {list.error.message}</ErrorNote>
      ) : total === 0 ? (
        <EmptyState
          title={query ? `No flows match “${query}”` : archived ? 'No archived flows' : 'No flows yet'}
          action={canEdit && !query && !archived && <Button tone="primary" onClick={() => setDialog('new')}>Create your first flow</Button>}
        >
          {query ? 'Try another word.' : archived ? 'Flows you archive appear here.' : 'A flow decides how conversations on your channels are answered and routed.'}
        </EmptyState>
      ) : (
        <Card className="overflow-hidden">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2.5">Name</th>
                <th className="px-4 py-2.5">Published</th>
                <th className="px-4 py-2.5">Nodes</th>
                <th className="px-4 py-2.5">Last change</th>
                <th className="px-4 py-2.5">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {list.data?.items.map((flow) => (
                <tr key={flow.id} className="hover:bg-slate-50">
                  <td className="px-4 py-3">
                    <Link href={`/flows/${flow.id}`} className="font-medium text-slate-900 hover:text-indigo-700">
                      {flow.name}
                    </Link>
                    {flow.description && <p className="mt-0.5 max-w-md truncate text-xs text-slate-500">{flow.description}</p>}
                  </td>
                  <td className="px-4 py-3">{flow.latestVersion ? <Badge tone="green">v{flow.latestVersion}</Badge> : <Badge>Draft only</Badge>}</td>
                  <td className="px-4 py-3 tabular-nums text-slate-600">{flow.nodeCount}</td>
                  <td className="px-4 py-3 text-slate-600">
                    <time dateTime={flow.updatedAt.toISOString()} title={flow.updatedAt.toLocaleString()}>
                      {relativeTime(flow.updatedAt)}
                    </time>
                  </td>
                  <td className="px-4 py-3">
                    <div className="flex justify-end gap-1">
                      <Button size="sm" tone="ghost" onClick={() => void exportFlow(flow.id)} aria-label={`Export ${flow.name}`}>
                        Export
                      </Button>
                      {canEdit && (
                        <>
                          <Button size="sm" tone="ghost" onClick={() => duplicate.mutate({ id: flow.id })} aria-label={`Duplicate ${flow.name}`}>
                            Duplicate
                          </Button>
                          <Button size="sm" tone="ghost" onClick={() => update.mutate({ id: flow.id, archived: !flow.archived })} aria-label={`${flow.archived ? 'Restore' : 'Archive'} ${flow.name}`}>
                            {flow.archived ? 'Restore' : 'Archive'}
                          </Button>
                        </>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {total > PAGE && (
            <div className="flex items-center justify-between border-t border-slate-200 px-4 py-2.5 text-sm text-slate-600">
              <span>
                {offset + 1}–{Math.min(offset + PAGE, total)} of {total}
              </span>
              <div className="flex gap-2">
                <Button size="sm" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                  Previous
                </Button>
                <Button size="sm" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
                  Next
                </Button>
              </div>
            </div>
          )}
        </Card>
      )}
      <NewFlowDialog open={dialog === 'new'} onClose={() => setDialog(null)} />
      <ImportFlowDialog open={dialog === 'import'} onClose={() => setDialog(null)} />
    </AppShell>
  );
}
