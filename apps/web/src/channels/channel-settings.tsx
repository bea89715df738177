'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { z } from 'zod';
import { channelTypeInfo, CHANNEL_TYPES, type ChannelTypeInfo } from '@signalbox/channels/setup';
import { ConfigForm } from '../editor/inspector/ConfigForm.tsx';
import { describeForm } from '../editor/inspector/form-model.ts';
import { errorOf, useTRPC, type RouterOutputs } from '../trpc/client.tsx';
import type { Registration } from '../server/routers/channels.ts';
import { Dialog } from '../ui/dialog.tsx';
import { Badge, Button, ErrorNote, Field, Spinner, TextInput } from '../ui/primitives.tsx';
import { relativeTime } from '../ui/relative-time.ts';

/** Errors of one part of the form ('config.apiBaseUrl' -> 'apiBaseUrl'), for ConfigForm's field paths. */
function errorsUnder(fields: Map<string, string>, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, message] of fields) if (path.startsWith(`${prefix}.`)) out.set(path.slice(prefix.length + 1), message);
  return out;
}

interface SecretField {
  name: string;
  title: string;
  description?: string;
  required: boolean;
}

/** The credential fields of a channel type, from its zod schema. */
function secretFieldsOf(info: ChannelTypeInfo): SecretField[] {
  const json = z.toJSONSchema(info.secrets, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { title?: string; description?: string }>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, p]) => ({ name, title: p.title ?? name, description: p.description, required: (json.required ?? []).includes(name) }));
}

/**
 * Password inputs for credentials. Stored values are never sent to the browser: a set secret shows as set,
 * and an empty input keeps it. Generated ones (verify tokens, signing secrets) may be left empty.
 */
function SecretsFields({ info, values, onChange, stored, errors }: { info: ChannelTypeInfo; values: Record<string, string>; onChange(next: Record<string, string>): void; stored: readonly string[]; errors: Map<string, string> }) {
  const fields = useMemo(() => secretFieldsOf(info), [info]);
  if (fields.length === 0) return <p className="text-sm text-slate-500">This channel needs no credentials.</p>;
  return (
    <div className="space-y-3">
      {fields.map((f) => {
        const isStored = stored.includes(f.name);
        const generated = info.generated.includes(f.name);
        const placeholder = isStored ? '•••••••• stored — type to replace' : generated ? 'leave empty to generate one' : f.required ? 'required' : 'optional';
        return (
          <Field key={f.name} label={f.title} htmlFor={`secret-${f.name}`} error={errors.get(f.name) ?? null} hint={f.description}>
            <TextInput
              id={`secret-${f.name}`}
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder={placeholder}
              value={values[f.name] ?? ''}
              aria-invalid={errors.has(f.name)}
              onChange={(e) => onChange({ ...values, [f.name]: e.target.value })}
            />
          </Field>
        );
      })}
    </div>
  );
}

function Section({ title, children, aside }: { title: string; children: React.ReactNode; aside?: React.ReactNode }) {
  return (
    <section className="space-y-3">
      <div className="flex items-center justify-between">
        <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
        {aside}
      </div>
      {children}
    </section>
  );
}

/** Choose a type, then name it and fill in its settings and credentials. */
export function AddChannelDialog({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(id: string, registration: Registration): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [type, setType] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [config, setConfig] = useState<unknown>({});
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const create = useMutation(trpc.channels.create.mutationOptions());
  const info = type ? channelTypeInfo(type) : undefined;
  const form = useMemo(() => (info ? describeForm(info.config) : null), [info]);
  const failure = create.error ? errorOf(create.error) : null;
  const onConfig = useCallback((next: unknown) => setConfig(next), []);

  const close = () => {
    setType(null);
    setName('');
    setConfig({});
    setSecrets({});
    create.reset();
    onClose();
  };
  const submit = async () => {
    if (!info) return;
    const created = await create.mutateAsync({ type: info.type, name, config: (config ?? {}) as Record<string, unknown>, secrets }).catch(() => null);
    if (!created) return;
    await queryClient.invalidateQueries({ queryKey: trpc.channels.list.queryKey() });
    close();
    onCreated(created.id, created.registration);
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title={info ? `Add ${info.title}` : 'Add a channel'}
      wide
      footer={
        info ? (
          <>
            <Button onClick={() => setType(null)}>Back</Button>
            <Button tone="primary" disabled={create.isPending} onClick={() => void submit()}>
              {create.isPending ? 'Adding…' : 'Add channel'}
            </Button>
          </>
        ) : undefined
      }
    >
      {!info ? (
        <ul className="grid grid-cols-1 gap-2 sm:grid-cols-2" aria-label="Channel types">
          {CHANNEL_TYPES.map((c) => (
            <li key={c.type}>
              <button
                type="button"
                onClick={() => setType(c.type)}
                className="flex h-full w-full flex-col items-start rounded-lg border border-slate-200 px-4 py-3 text-left transition hover:border-indigo-300 hover:bg-indigo-50/50 focus-visible:outline-2 focus-visible:outline-indigo-600"
              >
                <span className="font-medium text-slate-900">{c.title}</span>
                <span className="mt-0.5 text-xs text-slate-500">{c.description}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <div className="space-y-6">
          {failure && failure.fields.size === 0 && <ErrorNote>{failure.message}</ErrorNote>}
          <Field label="Name" htmlFor="channel-name" error={failure?.fields.get('name') ?? null} hint="Shown to your team, never to customers.">
            <TextInput id="channel-name" value={name} onChange={(e) => setName(e.target.value)} placeholder={`${info.title} — main shop`} autoFocus />
          </Field>
          {form && form.kind === 'object' && form.fields.length > 0 && (
            <Section title="Settings">
              <ConfigForm form={form} value={config} onChange={onConfig} errors={errorsUnder(failure?.fields ?? new Map(), 'config')} variables={[]} idPrefix="new-channel" />
            </Section>
          )}
          <Section title="Credentials">
            <p className="-mt-1 text-xs text-slate-500">Encrypted before they are stored; nobody can read them back.</p>
            <SecretsFields info={info} values={secrets} onChange={setSecrets} stored={[]} errors={errorsUnder(failure?.fields ?? new Map(), 'secrets')} />
          </Section>
        </div>
      )}
    </Dialog>
  );
}

function CopyField({ label, value, id }: { label: string; value: string; id: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Field label={label} htmlFor={id}>
      <div className="flex gap-2">
        <TextInput id={id} readOnly value={value} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        <Button
          size="sm"
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            });
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
    </Field>
  );
}

/** One channel: where the platform must call, its health, its settings and credentials, a test message. */
export function ChannelSettingsDialog({ channelId, onClose, canManage, registration = null }: { channelId: string | null; onClose(): void; canManage: boolean; registration?: Registration }) {
  const trpc = useTRPC();
  const details = useQuery({ ...trpc.channels.details.queryOptions({ id: channelId ?? '' }), enabled: channelId !== null });
  return (
    <Dialog open={channelId !== null} onClose={onClose} title={details.data ? details.data.name : 'Channel'} wide>
      {details.isLoading ? (
        <div className="py-10 text-center">
          <Spinner label="Loading the channel" />
        </div>
      ) : details.error ? (
        <ErrorNote>{errorOf(details.error).message}</ErrorNote>
      ) : details.data ? (
        <ChannelSettings key={details.data.id} channel={details.data} canManage={canManage} registration={registration} />
      ) : null}
    </Dialog>
  );
}

type ChannelDetails = RouterOutputs['channels']['details'];

function ChannelSettings({ channel, canManage, registration }: { channel: ChannelDetails; canManage: boolean; registration: Registration }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const info = channelTypeInfo(channel.type);
  const form = useMemo(() => (info ? describeForm(info.config) : null), [info]);
  const [name, setName] = useState(channel.name);
  const [config, setConfig] = useState<unknown>(channel.config);
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.channels.details.queryKey({ id: channel.id }) }),
      queryClient.invalidateQueries({ queryKey: trpc.channels.list.queryKey() }),
    ]);
  const update = useMutation(trpc.channels.update.mutationOptions());
  const toggle = useMutation(trpc.channels.setEnabled.mutationOptions({ onSuccess: () => void refresh() }));
  const failure = update.error ? errorOf(update.error) : null;
  const onConfig = useCallback((next: unknown) => {
    setSaved(false);
    setConfig(next);
  }, []);

  const save = async () => {
    const done = await update.mutateAsync({ id: channel.id, name, config: (config ?? {}) as Record<string, unknown>, secrets }).catch(() => null);
    if (!done) return;
    setSecrets({});
    setSaved(true);
    await refresh();
  };

  return (
    <div className="space-y-7">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Badge>{channel.typeTitle}</Badge>
        {channel.enabled ? <Badge tone="green">enabled</Badge> : <Badge tone="amber">disabled</Badge>}
        <span className="text-slate-500" data-testid="channel-health">
          {channel.lastEventAt ? `Last event ${relativeTime(channel.lastEventAt)}` : 'No events received yet'}
        </span>
        {canManage && (
          <Button size="sm" className="ml-auto" disabled={toggle.isPending} onClick={() => toggle.mutate({ id: channel.id, enabled: !channel.enabled })}>
            {channel.enabled ? 'Disable' : 'Enable'}
          </Button>
        )}
      </div>
      {channel.lastError && (
        <div role="status" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          <p className="font-medium">Last problem {channel.lastErrorAt ? relativeTime(channel.lastErrorAt) : ''}</p>
          <p className="mt-0.5 break-words font-mono text-xs">{channel.lastError}</p>
        </div>
      )}

      <Section title="Connect the platform">
        {info && <p className="-mt-1 text-sm text-slate-600">{info.instructions}</p>}
        <RegistrationNote registration={update.data?.registration ?? registration} />
        {channel.webhookUrl && <CopyField label="Webhook URL" value={channel.webhookUrl} id="channel-webhook-url" />}
        {channel.verifyToken && <CopyField label="Verify token" value={channel.verifyToken} id="channel-verify-token" />}
        {channel.widgetSnippet && <CopyField label="Script tag for your site" value={channel.widgetSnippet} id="channel-widget" />}
        {channel.chatUrl && (
          <a href={channel.chatUrl} target="_blank" rel="noreferrer" className="inline-block text-sm font-medium text-indigo-700 hover:underline">
            Open the chat page ↗
          </a>
        )}
      </Section>

      {canManage && (
        <>
          <Section title="Settings">
            {failure && failure.fields.size === 0 && <ErrorNote>{failure.message}</ErrorNote>}
            <Field label="Name" htmlFor="channel-settings-name" error={failure?.fields.get('name') ?? null}>
              <TextInput id="channel-settings-name" value={name} onChange={(e) => { setSaved(false); setName(e.target.value); }} />
            </Field>
            {form && form.kind === 'object' && form.fields.length > 0 && (
              <ConfigForm form={form} value={config} onChange={onConfig} errors={errorsUnder(failure?.fields ?? new Map(), 'config')} variables={[]} idPrefix="channel-settings" />
            )}
          </Section>
          {info && (
            <Section title="Credentials">
              <SecretsFields info={info} values={secrets} onChange={(next) => { setSaved(false); setSecrets(next); }} stored={channel.secretsSet} errors={errorsUnder(failure?.fields ?? new Map(), 'secrets')} />
            </Section>
          )}
          <div className="flex items-center justify-end gap-3">
            {saved && <span className="text-sm text-green-700">Saved</span>}
            <Button tone="primary" disabled={update.isPending} onClick={() => void save()}>
              {update.isPending ? 'Saving…' : 'Save changes'}
            </Button>
          </div>
          {channel.type !== 'webchat' && <TestMessage channelId={channel.id} />}
        </>
      )}
    </div>
  );
}

/** How setting the platform's webhook went, for platforms where Signalbox does it (Telegram). */
function RegistrationNote({ registration }: { registration: Registration }) {
  if (!registration) return null;
  return registration.ok ? (
    <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
      Webhook registered with the platform: {registration.description}
    </p>
  ) : (
    <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
      The webhook could not be registered: {registration.error}. Fix the settings and save again.
    </p>
  );
}

function TestMessage({ channelId }: { channelId: string }) {
  const trpc = useTRPC();
  const [to, setTo] = useState('');
  const [text, setText] = useState('Hello from Signalbox: this is a test message.');
  const send = useMutation(trpc.channels.sendTest.mutationOptions());
  const failure = send.error ? errorOf(send.error) : null;
  return (
    <Section title="Send a test message">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_2fr]">
        <Field label="To" htmlFor="test-to" error={failure?.fields.get('to') ?? null} hint="A phone number, chat id or address on this platform.">
          <TextInput id="test-to" value={to} onChange={(e) => setTo(e.target.value)} placeholder="+4915112345678" />
        </Field>
        <Field label="Text" htmlFor="test-text" error={failure?.fields.get('text') ?? null}>
          <TextInput id="test-text" value={text} onChange={(e) => setText(e.target.value)} />
        </Field>
      </div>
      <div className="flex items-center justify-end gap-3">
        <p className="min-w-0 flex-1 text-sm" role="status" data-testid="test-result">
          {send.isPending ? (
            <span className="text-slate-500">Sending…</span>
          ) : send.data ? (
            send.data.ok ? (
              <span className="text-green-700">Sent{send.data.externalId ? ` (platform id ${send.data.externalId})` : ''}.</span>
            ) : (
              <span className="break-words text-red-700">Not sent: {send.data.error}</span>
            )
          ) : failure && failure.fields.size === 0 ? (
            <span className="text-red-700">{failure.message}</span>
          ) : null}
        </p>
        <Button disabled={send.isPending} onClick={() => send.mutate({ id: channelId, to, text })}>
          Send test
        </Button>
      </div>
    </Section>
  );
}
