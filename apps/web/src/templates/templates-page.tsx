'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useViewer } from '../app/(workspace)/viewer.tsx';
import { useTRPC } from '../trpc/client.tsx';
import { RecordBrowser } from '../ui/record-browser.tsx';
import { relativeTime } from '../ui/relative-time.ts';
import { languageName } from '../ui/language-name.ts';
import { TemplateEditor } from './template-editor.tsx';

/** Reusable replies: a list on the left, the chosen template's editor and live preview on the right. */
export function TemplatesPage() {
  const trpc = useTRPC();
  const viewer = useViewer();
  const templates = useQuery(trpc.templates.list.queryOptions());
  const queryClient = useQueryClient();
  return (
    <RecordBrowser
      title="Templates"
      path="/templates"
      noun="template"
      items={templates.data?.map((t) => ({
        id: t.id,
        title: t.name,
        subtitle: `${t.languages.map(languageName).join(', ')} · ${relativeTime(t.updatedAt)}`,
        badge: t.whatsapp ? 'WhatsApp' : undefined,
      }))}
      loading={templates.isLoading}
      error={templates.error?.message ?? null}
      canEdit={viewer.permissions.includes('content.edit')}
      emptyText="Templates are replies you write once, in every language you answer in, and send from any flow: the customer gets the variant in their language."
      editor={(id, handlers) => <TemplateEditor id={id} readOnly={!viewer.permissions.includes('content.edit')} {...handlers} />}
      onChanged={() => void queryClient.invalidateQueries({ queryKey: trpc.templates.list.queryKey() })}
    />
  );
}
