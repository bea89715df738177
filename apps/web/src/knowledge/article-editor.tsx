'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { KnowledgeArticle } from '@signalbox/db/app';
import { useViewer } from '../app/(workspace)/viewer.tsx';
import { errorOf, useTRPC, type RouterOutputs } from '../trpc/client.tsx';
import { AppShell } from '../ui/app-shell.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Badge, Button, Card, ErrorNote, Field, Select, Spinner, TextArea, TextInput } from '../ui/primitives.tsx';
import { relativeTime } from '../ui/relative-time.ts';
import { MarkdownPreview } from './markdown-preview.tsx';
import { TryQuestion } from './try-question.tsx';
import { confirmDiscard, keptEdits, useUnsavedChangesGuard } from './unsaved-changes.ts';

type Languages = RouterOutputs['knowledge']['languages'];

/** What the form holds: tags as the comma-separated text the editor types. */
interface Form {
  kind: 'article' | 'faq';
  title: string;
  language: string;
  category: string;
  tags: string;
  body: string;
}

const formOf = (article: KnowledgeArticle): Form => ({
  kind: article.kind,
  title: article.title,
  language: article.language,
  category: article.category,
  tags: article.tags.join(', '),
  body: article.body,
});

const fieldsOf = (form: Form) => ({
  kind: form.kind,
  title: form.title,
  language: form.language,
  category: form.category,
  tags: form.tags
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== ''),
  body: form.body,
});

const same = (a: Form, b: Form) => JSON.stringify(fieldsOf(a)) === JSON.stringify(fieldsOf(b));

/** The first problem of any `tags.N`, as "tag 3: …". */
function tagsError(fields: Map<string, string>): string | null {
  for (const [path, message] of fields) {
    if (path === 'tags') return message;
    const index = /^tags\.(\d+)$/.exec(path)?.[1];
    if (index !== undefined) return `tag ${Number(index) + 1}: ${message}`;
  }
  return null;
}

/** One article: loads it (or starts a new one) and hands it to the form. */
export function ArticleEditor({ articleId, newLanguage, onClose, onOpen }: { articleId: string | null; newLanguage: string; onClose(): void; onOpen(id: string, options?: { replace?: boolean }): void }) {
  const trpc = useTRPC();
  const article = useQuery({ ...trpc.knowledge.get.queryOptions({ id: articleId ?? '' }), enabled: articleId !== null });
  const languages = useQuery(trpc.knowledge.languages.queryOptions());
  const categories = useQuery(trpc.knowledge.categories.queryOptions());
  const loading = (articleId !== null && article.isLoading) || languages.isLoading;

  if (loading || (articleId !== null && article.error) || languages.error) {
    return (
      <AppShell title={articleId ? 'Article' : 'New article'}>
        <BackLink onClick={onClose} />
        {loading ? (
          <Card className="p-8 text-center">
            <Spinner label="Loading the article" />
          </Card>
        ) : (
          <ErrorNote>{errorOf(article.error ?? languages.error).message}</ErrorNote>
        )}
      </AppShell>
    );
  }
  return (
    <ArticleForm
      article={article.data ?? null}
      newLanguage={newLanguage}
      languages={languages.data ?? []}
      categories={(categories.data ?? []).map((c) => c.category).filter((c) => c !== '')}
      onClose={onClose}
      onOpen={onOpen}
    />
  );
}

function BackLink({ onClick }: { onClick(): void }) {
  return (
    <button type="button" onClick={onClick} className="-mt-3 mb-4 text-sm text-slate-500 hover:text-slate-900">
      ← All articles
    </button>
  );
}

function ArticleForm({
  article,
  newLanguage,
  languages,
  categories,
  onClose,
  onOpen,
}: {
  article: KnowledgeArticle | null;
  newLanguage: string;
  languages: Languages;
  categories: string[];
  onClose(): void;
  onOpen(id: string, options?: { replace?: boolean }): void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const canEdit = viewer.permissions.includes('content.edit');
  const blank: Form = { kind: 'article', title: '', language: newLanguage || 'en', category: '', tags: '', body: '' };
  const kept = useMemo(() => keptEdits<Form>(article?.id ?? 'new'), [article?.id]);
  const [saved, setSaved] = useState<Form>(() => (article ? formOf(article) : blank));
  // Edits left unsaved in this tab (by the back button, say) come back, and the editor says so.
  const [restored, setRestored] = useState<Form | null>(() => {
    const edits = canEdit ? kept.read() : null;
    return edits && !same(edits, saved) ? edits : null;
  });
  const [form, setForm] = useState<Form>(restored ?? saved);
  const [current, setCurrent] = useState<KnowledgeArticle | null>(article);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const dirty = canEdit && (current === null ? !same(form, blank) : !same(form, saved));
  const forget = useCallback(() => kept.write(null), [kept]);
  useUnsavedChangesGuard(dirty, forget);
  useEffect(() => kept.write(dirty ? form : null), [kept, dirty, form]);

  const afterWrite = (written: KnowledgeArticle) => {
    queryClient.setQueryData(trpc.knowledge.get.queryKey({ id: written.id }), written);
    void queryClient.invalidateQueries({ queryKey: trpc.knowledge.pathKey() });
  };
  const create = useMutation(trpc.knowledge.create.mutationOptions());
  const update = useMutation(trpc.knowledge.update.mutationOptions());
  const publish = useMutation(trpc.knowledge.publish.mutationOptions());
  const unpublish = useMutation(trpc.knowledge.unpublish.mutationOptions());
  const remove = useMutation(trpc.knowledge.delete.mutationOptions());
  const busy = create.isPending || update.isPending || publish.isPending || unpublish.isPending || remove.isPending;

  /** Writes the form; keeps what was typed meanwhile. Null when the server refused it (the fields show why). */
  const save = async (status?: 'published'): Promise<KnowledgeArticle | null> => {
    const submitted = form;
    setError(null);
    try {
      let written: KnowledgeArticle;
      if (current === null) {
        written = await create.mutateAsync({ ...fieldsOf(submitted), status: status ?? 'draft' });
      } else {
        written = dirty ? await update.mutateAsync({ id: current.id, updatedAt: current.updatedAt, ...fieldsOf(submitted) }) : current;
        if (status === 'published' && written.status !== 'published') written = await publish.mutateAsync({ id: current.id });
      }
      const stored = formOf(written);
      setSaved(stored);
      setForm((now) => (now === submitted ? stored : now));
      setCurrent(written);
      afterWrite(written);
      // A new article gets its address, so a reload or the back button finds it.
      if (current === null) onOpen(written.id, { replace: true });
      return written;
    } catch (caught) {
      setError(caught);
      return null;
    }
  };

  const setStatus = async (to: 'draft') => {
    if (!current) return;
    setError(null);
    try {
      const written = await (to === 'draft' ? unpublish : publish).mutateAsync({ id: current.id });
      setCurrent(written);
      afterWrite(written);
    } catch (caught) {
      setError(caught);
    }
  };

  const deleteArticle = async () => {
    if (!current) return;
    try {
      await remove.mutateAsync({ id: current.id });
      setConfirmDelete(false);
      void queryClient.invalidateQueries({ queryKey: trpc.knowledge.pathKey() });
      onClose();
    } catch (caught) {
      setConfirmDelete(false);
      setError(caught);
    }
  };

  const failure = error ? errorOf(error) : null;
  const fieldError = (name: string) => failure?.fields.get(name) ?? null;
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const faq = form.kind === 'faq';
  const published = current?.status === 'published';

  return (
    <AppShell
      title={current ? current.title : 'New article'}
      actions={
        canEdit && (
          <>
            {current && (
              <Button tone="danger" disabled={busy} onClick={() => setConfirmDelete(true)}>
                Delete
              </Button>
            )}
            {published ? (
              <Button disabled={busy} onClick={() => void setStatus('draft')}>
                Unpublish
              </Button>
            ) : (
              <Button disabled={busy} onClick={() => void save('published')}>
                {dirty ? 'Save and publish' : 'Publish'}
              </Button>
            )}
            <Button tone="primary" disabled={busy || (current !== null && !dirty)} onClick={() => void save()}>
              {create.isPending || update.isPending ? 'Saving…' : published ? 'Save changes' : 'Save draft'}
            </Button>
          </>
        )
      }
    >
      <BackLink
        onClick={() => {
          if (!confirmDiscard(dirty)) return;
          forget();
          onClose();
        }}
      />
      <div className="space-y-6">
        <div className="flex flex-wrap items-center gap-2 text-sm text-slate-500" data-testid="article-status">
          {current === null ? <Badge>Not saved yet</Badge> : published ? <Badge tone="green">Published</Badge> : <Badge tone="amber">Draft</Badge>}
          {current?.publishedAt && published && <span>published {relativeTime(current.publishedAt)}</span>}
          {current && <span>· saved {relativeTime(current.updatedAt)}</span>}
          {dirty && <span className="font-medium text-amber-700">· unsaved changes</span>}
          {!canEdit && <span>· You can read the knowledge base; editors and admins change it.</span>}
          {canEdit && published && <span>· Saved changes answer customers at once.</span>}
          {canEdit && !published && current && <span>· Flows do not answer with drafts.</span>}
        </div>
        {failure && (failure.fields.size === 0 || failure.fields.has('id')) && <ErrorNote>{failure.message}</ErrorNote>}
        {restored && dirty && (
          <div className="flex items-center justify-between gap-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-600/20 ring-inset" role="status" data-testid="restored-edits">
            <span>Your unsaved changes from earlier are back. Save them, or discard them to see the saved version.</span>
            <Button
              size="sm"
              onClick={() => {
                setForm(saved);
                setRestored(null);
              }}
            >
              Discard them
            </Button>
          </div>
        )}

        <Card className="space-y-4 p-5">
          <Field label={faq ? 'Question' : 'Title'} htmlFor="article-title" error={fieldError('title')} hint={faq ? 'As a customer would ask it: the search weighs these words most.' : undefined}>
            <TextInput id="article-title" value={form.title} readOnly={!canEdit} aria-invalid={fieldError('title') !== null} onChange={(e) => set('title', e.target.value)} placeholder={canEdit ? (faq ? '¿Cuánto tarda el envío?' : 'Returns and exchanges') : undefined} className="read-only:bg-slate-50" />
          </Field>
          <div className="grid grid-cols-4 gap-4">
            <Field label="Kind" htmlFor="article-kind" error={fieldError('kind')}>
              <Select id="article-kind" value={form.kind} disabled={!canEdit} onChange={(e) => set('kind', e.target.value === 'faq' ? 'faq' : 'article')}>
                <option value="article">Article</option>
                <option value="faq">FAQ (question and answer)</option>
              </Select>
            </Field>
            <Field label="Language" htmlFor="article-language" error={fieldError('language')}>
              <Select id="article-language" value={form.language} disabled={!canEdit} aria-invalid={fieldError('language') !== null} onChange={(e) => set('language', e.target.value)}>
                {languages.map((l) => (
                  <option key={l.code} value={l.code}>
                    {l.name} ({l.code})
                  </option>
                ))}
                {!languages.some((l) => l.code === form.language) && <option value={form.language}>{form.language} (not supported: choose another)</option>}
              </Select>
            </Field>
            <Field label="Category" htmlFor="article-category" error={fieldError('category')}>
              <TextInput id="article-category" list="article-categories" value={form.category} readOnly={!canEdit} aria-invalid={fieldError('category') !== null} onChange={(e) => set('category', e.target.value)} placeholder={canEdit ? 'e.g. Shipping' : undefined} className="read-only:bg-slate-50" />
              <datalist id="article-categories">
                {categories.map((c) => (
                  <option key={c} value={c} />
                ))}
              </datalist>
            </Field>
            <Field label="Tags" htmlFor="article-tags" error={tagsError(failure?.fields ?? new Map())} hint="Other words customers use, comma separated.">
              <TextInput id="article-tags" value={form.tags} readOnly={!canEdit} aria-invalid={tagsError(failure?.fields ?? new Map()) !== null} onChange={(e) => set('tags', e.target.value)} placeholder={canEdit ? 'money back, refund' : undefined} className="read-only:bg-slate-50" />
            </Field>
          </div>
          <div className="grid grid-cols-2 gap-4">
            <Field label={faq ? 'Answer (markdown)' : 'Body (markdown)'} htmlFor="article-body" error={fieldError('body')}>
              <TextArea
                id="article-body"
                rows={18}
                value={form.body}
                readOnly={!canEdit}
                aria-invalid={fieldError('body') !== null}
                onChange={(e) => set('body', e.target.value)}
                className="h-96 resize-y font-mono text-[13px] leading-relaxed read-only:bg-slate-50"
                placeholder={'**Bold**, _italic_, lists with "- ", links as [text](https://…)'}
              />
            </Field>
            <div className="space-y-1">
              <p className="block text-sm font-medium text-slate-700">Preview</p>
              <div className="h-96 overflow-y-auto rounded-md bg-slate-50 px-4 py-3 ring-1 ring-slate-200 ring-inset" aria-label="Preview" role="region">
                <MarkdownPreview markdown={form.body} />
              </div>
            </div>
          </div>
        </Card>

        <TryQuestion key={current?.id ?? 'new'} languages={languages} initialQuestion={faq ? form.title : ''} initialLanguage={form.language} />
      </div>

      <Dialog
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title="Delete this article?"
        footer={
          <>
            <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
            <Button tone="danger" disabled={remove.isPending} onClick={() => void deleteArticle()}>
              {remove.isPending ? 'Deleting…' : 'Delete article'}
            </Button>
          </>
        }
      >
        <p className="text-sm text-slate-600">
          “{current?.title}” will be gone for good{published ? ', and flows stop answering with it at once' : ''}.
        </p>
      </Dialog>
    </AppShell>
  );
}
