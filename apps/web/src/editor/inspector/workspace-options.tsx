'use client';

import { useQuery } from '@tanstack/react-query';
import { createContext, use, useMemo, type ReactNode } from 'react';
import { useTRPC } from '../../trpc/client.tsx';
import { languageName } from '../../ui/language-name.ts';
import type { OptionsSource, SelectOption } from './form-model.ts';

/** The choices of a field whose options are the workspace's own records (`optionsFrom`), and where they are kept. */
export interface WorkspaceOptions {
  options: readonly SelectOption[];
  loading: boolean;
  /** What a chosen option means, shown under the field ("English, Spanish"). */
  details: ReadonlyMap<string, string>;
  /** The page where people make and change them. */
  manage: { href: string; label: string };
}

const WorkspaceOptionsContext = createContext<Partial<Record<OptionsSource, WorkspaceOptions>>>({});

/** What a field offers; undefined outside a provider (forms rendered on their own show the stored value only). */
export function useWorkspaceOptions(source: OptionsSource | undefined): WorkspaceOptions | undefined {
  const all = use(WorkspaceOptionsContext);
  return source ? all[source] : undefined;
}

/** Loads the workspace's templates, intents and word lists for the node forms below it. */
export function WorkspaceOptionsProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const templates = useQuery({ ...trpc.templates.list.queryOptions(), staleTime: 10_000 });
  const intents = useQuery({ ...trpc.intents.list.queryOptions(), staleTime: 10_000 });
  const wordLists = useQuery({ ...trpc.wordLists.list.queryOptions(), staleTime: 10_000 });
  const value = useMemo(
    () => ({
      'message-templates': {
        options: (templates.data ?? []).map((t) => ({ value: t.id, label: t.name })),
        loading: templates.isPending,
        details: new Map((templates.data ?? []).map((t) => [t.id, `${t.languages.map(languageName).join(', ')}${t.description ? ` · ${t.description}` : ''}`])),
        manage: { href: '/templates', label: 'Manage templates' },
      },
      intents: {
        options: (intents.data?.intents ?? []).map((i) => ({ value: i.name, label: i.title || i.name })),
        loading: intents.isPending,
        details: new Map((intents.data?.intents ?? []).map((i) => [i.name, `${i.phraseCount} phrases`])),
        manage: { href: '/intents', label: 'Manage intents' },
      },
      'word-lists': {
        options: (wordLists.data ?? []).map((l) => ({ value: l.id, label: l.name })),
        loading: wordLists.isPending,
        details: new Map((wordLists.data ?? []).map((l) => [l.id, `${l.wordCount} words`])),
        manage: { href: '/word-lists', label: 'Manage word lists' },
      },
    }),
    [templates.data, templates.isPending, intents.data, intents.isPending, wordLists.data, wordLists.isPending],
  );
  return <WorkspaceOptionsContext value={value}>{children}</WorkspaceOptionsContext>;
}
