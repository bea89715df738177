'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorOf, useTRPC, type RouterOutputs } from '../trpc/client.tsx';
import { Badge, Button, Card, ErrorNote, Field, Select, Spinner, TextInput } from '../ui/primitives.tsx';

type Tried = RouterOutputs['knowledge']['tryQuestion'];
type Hit = Tried['hits'][number];
type Languages = RouterOutputs['knowledge']['languages'];

const percent = (score: number) => `${Math.round(score * 100)}%`;

function ScoreBar({ score, threshold }: { score: number; threshold: number }) {
  return (
    <span className="relative inline-block h-1.5 w-16 shrink-0 overflow-hidden rounded-full bg-slate-200" aria-hidden="true">
      <span className={`absolute inset-y-0 left-0 rounded-full ${score >= threshold ? 'bg-emerald-500' : 'bg-slate-400'}`} style={{ width: `${Math.min(100, score * 100)}%` }} />
      <span className="absolute inset-y-0 w-px bg-slate-700" style={{ left: `${threshold * 100}%` }} />
    </span>
  );
}

function HitRow({ hit, rank, threshold, chosen, onOpen }: { hit: Hit; rank: number | null; threshold: number; chosen: boolean; onOpen?(id: string): void }) {
  // Title on its own line, and what it is beside its score under it: the row reads in a narrow side panel too.
  return (
    <li className={`flex items-start gap-2 px-3 py-2 ${chosen ? 'bg-emerald-50/60' : ''}`} data-testid="try-hit">
      {rank !== null && <span className="w-5 shrink-0 pt-0.5 text-xs tabular-nums text-slate-400">{rank}.</span>}
      <div className="min-w-0 flex-1">
        {onOpen ? (
          <button type="button" onClick={() => onOpen(hit.id)} title={hit.title} className="block max-w-full truncate text-left text-sm font-medium text-slate-900 hover:text-indigo-700 hover:underline">
            {hit.title}
          </button>
        ) : (
          <span className="block truncate text-sm font-medium text-slate-900" title={hit.title}>
            {hit.title}
          </span>
        )}
        <div className="mt-0.5 flex items-center gap-2">
          <span className="min-w-0 flex-1 truncate text-xs text-slate-500">
            {hit.kind === 'faq' ? 'FAQ' : 'Article'} · {hit.language}
            {hit.category ? ` · ${hit.category}` : ''}
          </span>
          <ScoreBar score={hit.score} threshold={threshold} />
          <span className="w-9 shrink-0 text-right text-xs font-medium tabular-nums text-slate-700" title={`normalised match ${hit.score.toFixed(3)}; rank ${hit.rank.toFixed(3)}`}>
            {percent(hit.score)}
          </span>
        </div>
      </div>
    </li>
  );
}

/**
 * Ask the knowledge base a question as a customer would, and see what the "Answer from knowledge base" node would
 * reply: the server runs the node's own search and choice over the published articles.
 */
export function TryQuestion({ languages, initialQuestion = '', initialLanguage = '', onOpen, compact = false }: { languages: Languages; initialQuestion?: string; initialLanguage?: string; onOpen?(id: string): void; compact?: boolean }) {
  const trpc = useTRPC();
  const [question, setQuestion] = useState(initialQuestion);
  const [language, setLanguage] = useState(initialLanguage);
  const [threshold, setThreshold] = useState('0.4');
  const [asked, setAsked] = useState<{ question: string; language: string | null; threshold: number } | null>(null);
  const tried = useQuery({ ...trpc.knowledge.tryQuestion.queryOptions(asked ?? { question: '' }), enabled: asked !== null, staleTime: 0 });
  const failure = tried.error ? errorOf(tried.error) : null;
  const thresholdNumber = Number(threshold);

  const submit = () => {
    // An unreadable number goes to the server as one out of range, whose error names the field.
    const next = { question, language: language || null, threshold: threshold.trim() === '' || Number.isNaN(thresholdNumber) ? -1 : thresholdNumber };
    // The same question again (after an edit elsewhere, say) asks the server again rather than showing the old answer.
    if (JSON.stringify(next) === JSON.stringify(asked)) void tried.refetch();
    else setAsked(next);
  };

  return (
    <Card className="p-4">
      <section aria-labelledby="try-title" className="space-y-3">
        <div>
          <h2 id="try-title" className="text-sm font-semibold text-slate-900">
            Try a question
          </h2>
          <p className="text-xs text-slate-500">What the “Answer from knowledge base” node would reply. It uses published articles only.</p>
        </div>
        <form
          className={compact ? 'space-y-3' : 'grid grid-cols-[1fr_12rem_7rem_auto] items-start gap-3'}
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <Field label="Customer's question" htmlFor="try-question" error={failure?.fields.get('question') ?? null}>
            <TextInput id="try-question" value={question} onChange={(e) => setQuestion(e.target.value)} placeholder="¿Cómo devuelvo un pedido?" aria-invalid={failure?.fields.has('question')} />
          </Field>
          <div className={compact ? 'grid grid-cols-[minmax(0,1fr)_7.5rem] gap-3' : 'contents'}>
            <Field label="Customer's language" htmlFor="try-language" error={failure?.fields.get('language') ?? null}>
              <Select id="try-language" value={language} onChange={(e) => setLanguage(e.target.value)}>
                <option value="">Unknown</option>
                {languages.map((l) => (
                  <option key={l.code} value={l.code}>
                    {l.name} ({l.code})
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Minimum match" htmlFor="try-threshold" error={failure?.fields.get('threshold') ?? null}>
              <TextInput id="try-threshold" type="number" min={0} max={1} step={0.05} value={threshold} onChange={(e) => setThreshold(e.target.value)} aria-invalid={failure?.fields.has('threshold')} />
            </Field>
          </div>
          <Button type="submit" tone="primary" className={compact ? 'w-full' : 'self-end'}>
            Try
          </Button>
        </form>
        {failure && failure.fields.size === 0 && <ErrorNote>{failure.message}</ErrorNote>}
        {asked && tried.isFetching && <Spinner label="Searching" />}
        {/* While it asks again (a new try, or an article saved or published elsewhere on the page), the last
            result stays in place, dimmed, rather than vanishing and coming back. */}
        {asked && tried.data && <TryResult result={tried.data} onOpen={onOpen} refreshing={tried.isFetching} />}
      </section>
    </Card>
  );
}

function TryResult({ result, onOpen, refreshing }: { result: Tried; onOpen?(id: string): void; refreshing: boolean }) {
  const { answer, hits, drafts, threshold } = result;
  return (
    <div className={`space-y-3 transition-opacity ${refreshing ? 'opacity-50' : ''}`} data-testid="try-result" aria-busy={refreshing}>
      {answer ? (
        <div className="rounded-lg bg-emerald-50 p-3 ring-1 ring-inset ring-emerald-600/20" role="status">
          <p className="text-sm text-emerald-900">
            <span className="font-semibold">Answers</span> with “{answer.title}” <Badge tone="green">match {percent(answer.score)}</Badge>
          </p>
          <p className="mt-2 rounded-lg rounded-tl-sm bg-white px-3 py-2 text-sm whitespace-pre-line text-slate-800 shadow-sm ring-1 ring-slate-200" data-testid="try-answer">
            {answer.text}
          </p>
        </div>
      ) : (
        <div className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-inset ring-amber-600/20" role="status">
          <span className="font-semibold">No answer</span>: {hits.length === 0 ? 'no published article matches' : `no published article reaches ${percent(threshold)}`}, so the node takes “No answer”.
        </div>
      )}
      {hits.length > 0 && (
        <div>
          <h3 className="mb-1 text-xs font-medium tracking-wide text-slate-500 uppercase">Published matches, best first</h3>
          <ol className="divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200">
            {hits.map((hit, i) => (
              <HitRow key={hit.id} hit={hit} rank={i + 1} threshold={threshold} chosen={hit.id === answer?.id} onOpen={onOpen} />
            ))}
          </ol>
        </div>
      )}
      {drafts.length > 0 && (
        <div>
          <h3 className="mb-1 text-xs font-medium tracking-wide text-slate-500 uppercase">Drafts that match (unused until published)</h3>
          <ul className="divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200 ring-dashed" data-testid="try-drafts">
            {drafts.map((hit) => (
              <HitRow key={hit.id} hit={hit} rank={null} threshold={threshold} chosen={false} onOpen={onOpen} />
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
