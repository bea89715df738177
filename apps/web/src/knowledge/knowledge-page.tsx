'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { usePathname, useSearchParams } from 'next/navigation';
import { useDeferredValue, useState } from 'react';
import { useViewer } from '../app/(workspace)/viewer.tsx';
import { useTRPC } from '../trpc/client.tsx';
import { AppShell } from '../ui/app-shell.tsx';
import { Badge, Button, Card, EmptyState, ErrorNote, Select, Spinner, TextInput } from '../ui/primitives.tsx';
import { relativeTime } from '../ui/relative-time.ts';
import { ArticleEditor } from './article-editor.tsx';
import { TryQuestion } from './try-question.tsx';

const PAGE = 25;

export interface ListFilters {
  query: string;
  language: string;
  /** null: every category; '' is the articles without one. */
  category: string | null;
  status: '' | 'draft' | 'published';
  kind: '' | 'article' | 'faq';
  offset: number;
}

const NO_FILTERS: ListFilters = { query: '', language: '', category: null, status: '', kind: '', offset: 0 };

/**
 * The knowledge base: the list (`/knowledge`) or one article (`/knowledge?article=<id>`, `?article=new`). The
 * list's filters live here, so they are still set when an editor comes back from an article.
 */
export function KnowledgePage() {
  const params = useSearchParams();
  const pathname = usePathname();
  const [filters, setFilters] = useState<ListFilters>(NO_FILTERS);
  const selected = params.get('article');
  // The browser's history API rather than Next's router: Next keys a page by its search parameters, so a router
  // navigation would remount this page and lose the filters. Next syncs useSearchParams with these calls.
  const open = (id: string | null, options: { replace?: boolean } = {}) => {
    const href = id === null ? pathname : `${pathname}?article=${encodeURIComponent(id)}`;
    if (options.replace) window.history.replaceState(null, '', href);
    else window.history.pushState(null, '', href);
  };
  if (selected !== null) {
    return <ArticleEditor key={selected} articleId={selected === 'new' ? null : selected} newLanguage={filters.language} onClose={() => open(null)} onOpen={open} />;
  }
  return <ArticleList filters={filters} onFilters={setFilters} onOpen={open} />;
}

function ArticleList({ filters, onFilters, onOpen }: { filters: ListFilters; onFilters(next: ListFilters): void; onOpen(id: string): void }) {
  const trpc = useTRPC();
  const viewer = useViewer();
  const canEdit = viewer.permissions.includes('content.edit');
  const query = useDeferredValue(filters.query);
  const list = useQuery({
    ...trpc.knowledge.list.queryOptions({
      query: query || undefined,
      language: filters.language || undefined,
      category: filters.category ?? undefined,
      status: filters.status || undefined,
      kind: filters.kind || undefined,
      offset: filters.offset,
      limit: PAGE,
    }),
    placeholderData: keepPreviousData,
  });
  const categories = useQuery(trpc.knowledge.categories.queryOptions());
  const languages = useQuery(trpc.knowledge.languages.queryOptions());
  const filter = (change: Partial<ListFilters>) => onFilters({ ...filters, offset: 0, ...change });
  const filtered = filters.query !== '' || filters.language !== '' || filters.category !== null || filters.status !== '' || filters.kind !== '';
  const total = list.data?.total ?? 0;
  const languageName = new Map<string, string>((languages.data ?? []).map((l) => [l.code, l.name]));

  return (
    <AppShell
      title="Knowledge base"
      actions={
        canEdit && (
          <Button tone="primary" onClick={() => onOpen('new')}>
            New article
          </Button>
        )
      }
    >
      <div className="mb-4 flex items-center gap-2">
        <TextInput type="search" aria-label="Search articles" placeholder="Search titles, tags and text" className="min-w-48 flex-1" value={filters.query} onChange={(e) => filter({ query: e.target.value })} />
        <Select aria-label="Filter by language" className="max-w-44" value={filters.language} onChange={(e) => filter({ language: e.target.value })}>
          <option value="">Any language</option>
          {(languages.data ?? [])
            .filter((l) => l.articles > 0 || l.code === filters.language)
            .map((l) => (
              <option key={l.code} value={l.code}>
                {l.name} ({l.articles})
              </option>
            ))}
        </Select>
        <Select
          aria-label="Filter by category"
          className="max-w-52"
          value={filters.category === null ? 'all' : `c:${filters.category}`}
          onChange={(e) => filter({ category: e.target.value === 'all' ? null : e.target.value.slice(2) })}
        >
          <option value="all">Any category</option>
          {(categories.data ?? []).map((c) => (
            <option key={c.category} value={`c:${c.category}`}>
              {c.category || 'No category'} ({c.articles})
            </option>
          ))}
        </Select>
        <Select aria-label="Filter by status" className="max-w-36" value={filters.status} onChange={(e) => filter({ status: e.target.value === 'draft' || e.target.value === 'published' ? e.target.value : '' })}>
          <option value="">Any status</option>
          <option value="published">Published</option>
          <option value="draft">Drafts</option>
        </Select>
        <Select aria-label="Filter by kind" className="max-w-32" value={filters.kind} onChange={(e) => filter({ kind: e.target.value === 'faq' || e.target.value === 'article' ? e.target.value : '' })}>
          <option value="">Any kind</option>
          <option value="article">Articles</option>
          <option value="faq">FAQs</option>
        </Select>
        {filtered && (
          <Button size="sm" tone="ghost" onClick={() => onFilters(NO_FILTERS)}>
            Clear
          </Button>
        )}
        {list.isFetching && !list.isLoading && <Spinner label="Updating" />}
      </div>
      <div className="grid grid-cols-[minmax(0,1fr)_19rem] items-start gap-6">
        <div className="min-w-0">
          {list.isLoading ? (
            <Card className="p-8 text-center">
              <Spinner label="Loading articles" />
            </Card>
          ) : list.error ? (
            <ErrorNote>Could not load the articles: {list.error.message}</ErrorNote>
          ) : total === 0 ? (
            <EmptyState
              title={filtered ? 'No articles match these filters' : 'The knowledge base is empty'}
              action={canEdit && !filtered && <Button tone="primary" onClick={() => onOpen('new')}>Write the first article</Button>}
            >
              {filtered ? 'Try other words or clear the filters.' : 'Articles and FAQs you publish here answer customers through the “Answer from knowledge base” node.'}
            </EmptyState>
          ) : (
            <Card className="overflow-hidden">
              <table className="w-full table-fixed text-left text-sm">
                <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium tracking-wide text-slate-500 uppercase">
                  <tr>
                    <th className="px-4 py-2.5">Title</th>
                    <th className="w-28 px-3 py-2.5">Language</th>
                    <th className="w-40 px-3 py-2.5">Category</th>
                    <th className="w-24 px-3 py-2.5">Status</th>
                    <th className="w-28 px-3 py-2.5">Changed</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {list.data?.items.map((a) => (
                    <tr key={a.id} className="cursor-pointer hover:bg-slate-50" onClick={() => onOpen(a.id)} data-article={a.id}>
                      <td className="px-4 py-2.5">
                        <div className="flex min-w-0 items-center gap-2">
                          <button type="button" title={a.title} className="truncate text-left font-medium text-slate-900 hover:text-indigo-700" onClick={(e) => { e.stopPropagation(); onOpen(a.id); }}>
                            {a.title}
                          </button>
                          {a.kind === 'faq' && <Badge tone="indigo">FAQ</Badge>}
                        </div>
                        {a.tags.length > 0 && <p className="mt-0.5 truncate text-xs text-slate-500">{a.tags.join(' · ')}</p>}
                      </td>
                      <td className="px-3 py-2.5 text-slate-600" title={languageName.get(a.language) ?? a.language}>
                        {languageName.get(a.language) ?? a.language}
                      </td>
                      <td className="truncate px-3 py-2.5 text-slate-600">{a.category || <span className="text-slate-400">—</span>}</td>
                      <td className="px-3 py-2.5">{a.status === 'published' ? <Badge tone="green">Published</Badge> : <Badge tone="amber">Draft</Badge>}</td>
                      <td className="px-3 py-2.5 text-slate-600">
                        <time dateTime={a.updatedAt.toISOString()} title={a.updatedAt.toLocaleString()}>
                          {relativeTime(a.updatedAt)}
                        </time>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div className="flex items-center justify-between border-t border-slate-200 px-4 py-2.5 text-sm text-slate-600">
                <span data-testid="article-count">
                  {total > PAGE ? `${filters.offset + 1}–${Math.min(filters.offset + PAGE, total)} of ${total} articles` : `${total} ${total === 1 ? 'article' : 'articles'}`}
                </span>
                {total > PAGE && (
                  <div className="flex gap-2">
                    <Button size="sm" disabled={filters.offset === 0} onClick={() => onFilters({ ...filters, offset: Math.max(0, filters.offset - PAGE) })}>
                      Previous
                    </Button>
                    <Button size="sm" disabled={filters.offset + PAGE >= total} onClick={() => onFilters({ ...filters, offset: filters.offset + PAGE })}>
                      Next
                    </Button>
                  </div>
                )}
              </div>
            </Card>
          )}
        </div>
        <TryQuestion languages={languages.data ?? []} onOpen={onOpen} compact />
      </div>
    </AppShell>
  );
}
