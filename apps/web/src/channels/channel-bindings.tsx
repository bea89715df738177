'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ChannelBindingView } from '@signalbox/db/app';
import { useViewer } from '../app/(workspace)/viewer.tsx';
import { errorOf, useTRPC } from '../trpc/client.tsx';
import { AppShell } from '../ui/app-shell.tsx';
import { Badge, Button, Card, EmptyState, ErrorNote, Select, Spinner } from '../ui/primitives.tsx';
import { relativeTime } from '../ui/relative-time.ts';
import { AddChannelDialog, ChannelSettingsDialog } from './channel-settings.tsx';

/** Which flow answers each channel: the flow's latest published version, or a pinned one. */
export function ChannelBindingsPage() {
  const trpc = useTRPC();
  const viewer = useViewer();
  const canBind = viewer.permissions.includes('channels.bind');
  const canManage = viewer.permissions.includes('channels.manage');
  const channels = useQuery(trpc.channels.list.queryOptions());
  const flows = useQuery(trpc.flows.list.queryOptions({ limit: 100 }));
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [registration, setRegistration] = useState<Parameters<typeof ChannelSettingsDialog>[0]['registration']>(null);

  return (
    <AppShell
      title="Channels"
      actions={
        canManage ? (
          <Button tone="primary" onClick={() => setAdding(true)}>
            Add channel
          </Button>
        ) : undefined
      }
    >
      <AddChannelDialog
        open={adding}
        onClose={() => setAdding(false)}
        onCreated={(id, result) => {
          setRegistration(result);
          setOpen(id);
        }}
      />
      <ChannelSettingsDialog
        channelId={open}
        onClose={() => {
          setOpen(null);
          setRegistration(null);
        }}
        canManage={canManage}
        registration={registration}
      />
      {channels.isLoading ? (
        <Card className="p-8 text-center"><Spinner label="Loading channels" /></Card>
      ) : channels.error ? (
        <ErrorNote>{channels.error.message}</ErrorNote>
      ) : (channels.data ?? []).length === 0 ? (
        <EmptyState
          title="No channels yet"
          action={canManage ? <Button tone="primary" onClick={() => setAdding(true)}>Add channel</Button> : undefined}
        >
          Connect WhatsApp, Messenger, Instagram, Telegram, LINE, SMS, email or your own site.
        </EmptyState>
      ) : (
        <Card className="divide-y divide-slate-100">
          {(channels.data ?? []).map((c) => (
            <BindingRow key={c.channelId} channel={c} flows={flows.data?.items ?? []} canBind={canBind} onOpen={() => setOpen(c.channelId)} />
          ))}
        </Card>
      )}
      {!canBind && <p className="mt-4 text-sm text-slate-500">Only owners and admins change which flow answers a channel.</p>}
    </AppShell>
  );
}

type Channel = ChannelBindingView;

/** Healthy when the last event came after the last problem. */
function HealthLine({ channel }: { channel: Channel }) {
  const errorIsLatest = channel.lastErrorAt !== null && (channel.lastEventAt === null || channel.lastErrorAt > channel.lastEventAt);
  return (
    <p className="mt-0.5 flex items-center gap-1.5 text-xs text-slate-500" data-testid="health-line">
      <span aria-hidden className={`inline-block h-1.5 w-1.5 rounded-full ${errorIsLatest ? 'bg-red-500' : channel.lastEventAt ? 'bg-emerald-500' : 'bg-slate-300'}`} />
      {errorIsLatest ? (
        <span className="truncate text-red-700" title={channel.lastError ?? ''}>
          Problem {relativeTime(channel.lastErrorAt ?? '')}: {channel.lastError}
        </span>
      ) : channel.lastEventAt ? (
        `Last event ${relativeTime(channel.lastEventAt)}`
      ) : (
        'No events yet'
      )}
    </p>
  );
}

function BindingRow({ channel, flows, canBind, onOpen }: { channel: Channel; flows: { id: string; name: string; latestVersion: number | null }[]; canBind: boolean; onOpen(): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [flowId, setFlowId] = useState(channel.flowId ?? '');
  const [version, setVersion] = useState(channel.versionNumber === null ? 'latest' : String(channel.versionNumber));
  const versions = useQuery({ ...trpc.versions.list.queryOptions({ id: flowId }), enabled: flowId !== '' });
  const bind = useMutation(trpc.channels.bind.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.channels.list.queryKey() }) }));
  const changed = flowId !== (channel.flowId ?? '') || version !== (channel.versionNumber === null ? 'latest' : String(channel.versionNumber));
  const published = (versions.data ?? []).length > 0;

  return (
    <div className="flex items-center gap-4 px-5 py-4" data-channel={channel.channelId}>
      <div className="min-w-0 flex-1">
        <div className="flex items-center gap-2">
          <button type="button" onClick={onOpen} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">
            {channel.channelName}
          </button>
          <Badge>{channel.channelType}</Badge>
          {!channel.enabled && <Badge tone="amber">disabled</Badge>}
        </div>
        <p className="mt-0.5 text-xs text-slate-500">
          {channel.flowName ? `Answered by ${channel.flowName}, ${channel.mode === 'pinned' ? `pinned to v${channel.versionNumber}` : 'latest published version'}` : 'No flow: messages are stored but nobody answers'}
        </p>
        <HealthLine channel={channel} />
      </div>
      <Select aria-label={`Flow for ${channel.channelName}`} value={flowId} disabled={!canBind} onChange={(e) => { setFlowId(e.target.value); setVersion('latest'); }} className="max-w-64">
        <option value="" disabled>Choose a flow</option>
        {flows.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
      </Select>
      <Select aria-label={`Version for ${channel.channelName}`} value={version} disabled={!canBind || flowId === ''} onChange={(e) => setVersion(e.target.value)} className="max-w-44">
        <option value="latest">Latest published</option>
        {(versions.data ?? []).map((v) => <option key={v.id} value={String(v.number)}>Pinned to v{v.number}</option>)}
      </Select>
      {canBind && (
        <Button tone="primary" size="sm" disabled={!changed || flowId === '' || bind.isPending} onClick={() => bind.mutate({ channelId: channel.channelId, flowId, version: version === 'latest' ? null : Number(version) })}>
          {bind.isPending ? 'Saving…' : 'Save'}
        </Button>
      )}
      {flowId !== '' && versions.isSuccess && !published && <span className="text-xs text-amber-700">not published yet</span>}
      {bind.error && <span className="text-xs text-red-600">{errorOf(bind.error).message}</span>}
      <Button size="sm" tone="ghost" onClick={onOpen} aria-label={`Settings of ${channel.channelName}`}>
        Settings
      </Button>
    </div>
  );
}
