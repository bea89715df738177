'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC, type RouterOutputs } from '../trpc/client.tsx';
import { useFormErrors } from '../ui/use-form-errors.ts';
import { AppShell } from '../ui/app-shell.tsx';
import { Button, Card, ErrorNote, Field, Select, Spinner, TextArea, TextInput } from '../ui/primitives.tsx';
import { relativeTime } from '../ui/relative-time.ts';

const PROVIDERS = {
  deepl: { label: 'DeepL', key: 'required', baseUrl: 'chosen from the key (free keys end in :fx)', model: false },
  google: { label: 'Google Cloud Translation', key: 'required', baseUrl: 'https://translation.googleapis.com/language/translate/v2', model: false },
  libretranslate: { label: 'LibreTranslate (self-hosted or libretranslate.com)', key: 'if the server asks for one', baseUrl: 'https://libretranslate.com', model: false },
  openai: { label: 'OpenAI-compatible chat model', key: 'if the server asks for one', baseUrl: 'https://api.openai.com/v1', model: true },
} as const;
type ProviderId = keyof typeof PROVIDERS;

/** The workspace's settings an owner or admin keeps: for now, what translates customers' messages. */
export function SettingsPage() {
  const trpc = useTRPC();
  const current = useQuery(trpc.settings.translation.queryOptions());
  return (
    <AppShell title="Settings">
      {current.isLoading ? (
        <Card className="p-8 text-center">
          <Spinner label="Loading settings" />
        </Card>
      ) : current.error || !current.data ? (
        <ErrorNote>{current.error?.message ?? 'no settings'}</ErrorNote>
      ) : (
        <TranslationSettings key={current.data.own?.revision ?? 0} current={current.data} />
      )}
    </AppShell>
  );
}

function TranslationSettings({ current }: { current: RouterOutputs['settings']['translation'] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const own = current.own;
  const [provider, setProvider] = useState<ProviderId | ''>((own?.provider as ProviderId | undefined) ?? '');
  const [apiKey, setApiKey] = useState('');
  const [baseUrl, setBaseUrl] = useState(own?.baseUrl ?? '');
  const [model, setModel] = useState(own?.model ?? '');
  const [glossary, setGlossary] = useState((own?.glossary ?? []).join('\n'));
  const [sample, setSample] = useState('Where is my order? I bought it last week.');
  const { message, error, failed, clear: clearErrors } = useFormErrors();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.settings.translation.queryKey() });
  const save = useMutation(trpc.settings.saveTranslation.mutationOptions({ onSuccess: () => void refresh(), onError: failed }));
  const clear = useMutation(trpc.settings.clearTranslation.mutationOptions({ onSuccess: () => void refresh(), onError: failed }));
  const test = useMutation(trpc.settings.testTranslation.mutationOptions({ onError: failed }));
  const chosen = provider === '' ? null : PROVIDERS[provider];
  const form = provider === '' ? null : { provider, apiKey, baseUrl, model: chosen?.model ? model : '', glossary: glossary.split('\n').map((t) => t.trim()).filter((t) => t !== '') };

  return (
    <Card className="max-w-3xl p-6">
      <h2 className="text-base font-semibold text-slate-900">Translation</h2>
      <p className="mt-1 text-sm text-slate-600" data-testid="translation-status">
        {own
          ? `Translate nodes use this workspace's ${PROVIDERS[own.provider as ProviderId]?.label ?? own.provider} settings, saved ${relativeTime(own.updatedAt)}.`
          : current.server
            ? `Translate nodes use the server's settings (${current.server}) until you save your own.`
            : 'No provider is set: translate nodes take their error path until you choose one.'}{' '}
        Translations are remembered per workspace, so a sentence is paid for once.
      </p>
      <form
        className="mt-5 space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          clearErrors();
          if (form) save.mutate({ ...form, revision: own?.revision ?? null });
        }}
      >
        <Field label="Provider" htmlFor="tr-provider" error={error('provider')}>
          <Select id="tr-provider" value={provider} onChange={(e) => setProvider(e.target.value as ProviderId | '')}>
            <option value="">{current.server ? `The server's settings (${current.server})` : 'None'}</option>
            {(Object.keys(PROVIDERS) as ProviderId[]).map((id) => (
              <option key={id} value={id}>
                {PROVIDERS[id].label}
              </option>
            ))}
          </Select>
        </Field>
        {chosen && (
          <>
            <Field label="API key" htmlFor="tr-key" error={error('apiKey')} hint={`Kept encrypted; ${chosen.key}.`}>
              <TextInput
                id="tr-key"
                type="password"
                autoComplete="off"
                value={apiKey}
                placeholder={own?.hasApiKey && own.provider === provider ? 'Saved: leave empty to keep it' : ''}
                onChange={(e) => setApiKey(e.target.value)}
              />
            </Field>
            <Field label="Server address" htmlFor="tr-url" error={error('baseUrl')} hint={`Empty: ${chosen.baseUrl}.`}>
              <TextInput id="tr-url" value={baseUrl} placeholder={chosen.baseUrl.startsWith('http') ? chosen.baseUrl : ''} onChange={(e) => setBaseUrl(e.target.value)} />
            </Field>
            {chosen.model && (
              <Field label="Model" htmlFor="tr-model" error={error('model')} hint="Empty: gpt-4o-mini.">
                <TextInput id="tr-model" value={model} placeholder="gpt-4o-mini" onChange={(e) => setModel(e.target.value)} />
              </Field>
            )}
            <Field label="Never translate" htmlFor="tr-glossary" error={error('glossary')} hint="Brand and product names, one per line: they stay as written in every language.">
              <TextArea id="tr-glossary" rows={4} value={glossary} onChange={(e) => setGlossary(e.target.value)} />
            </Field>
          </>
        )}
        {message && <ErrorNote>{message}</ErrorNote>}
        <div className="flex flex-wrap items-center gap-2 border-t border-slate-100 pt-4">
          <Button type="submit" tone="primary" disabled={!form || save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}
          </Button>
          {own && (
            <Button tone="ghost" onClick={() => clear.mutate()}>
              Use the server&apos;s settings
            </Button>
          )}
          {save.isSuccess && <span className="text-xs text-emerald-700">Saved: live within seconds.</span>}
        </div>
      </form>
      {form && (
        <div className="mt-6 space-y-3 rounded-lg bg-slate-50 p-4 ring-1 ring-inset ring-slate-200">
          <Field label="Try it: translate into Spanish" htmlFor="tr-sample" error={error('text')}>
            <TextInput id="tr-sample" value={sample} onChange={(e) => setSample(e.target.value)} />
          </Field>
          <Button size="sm" disabled={test.isPending} onClick={() => test.mutate({ ...form, text: sample, target: 'es' })}>
            {test.isPending ? 'Translating…' : 'Translate'}
          </Button>
          {test.data && (
            <p data-testid="translation-test" className={`text-sm ${test.data.ok ? 'text-slate-800' : 'text-red-700'}`}>
              {test.data.ok ? test.data.text : test.data.error}
            </p>
          )}
        </div>
      )}
    </Card>
  );
}
