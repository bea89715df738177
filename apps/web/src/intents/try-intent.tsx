'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { errorOf, useTRPC } from '../trpc/client.tsx';
import { Badge, Button, Card, ErrorNote, Field, TextInput } from '../ui/primitives.tsx';

const percent = (confidence: number) => `${Math.round(confidence * 100)}%`;

function Bar({ confidence, threshold }: { confidence: number; threshold: number }) {
  return (
    <span className="relative inline-block h-1.5 w-20 shrink-0 overflow-hidden rounded-full bg-slate-200" aria-hidden="true">
      <span className={`absolute inset-y-0 left-0 rounded-full ${confidence >= threshold ? 'bg-emerald-500' : 'bg-slate-400'}`} style={{ width: `${Math.min(100, confidence * 100)}%` }} />
      <span className="absolute inset-y-0 w-px bg-slate-700" style={{ left: `${threshold * 100}%` }} />
    </span>
  );
}

/** Type a customer message and see what a classify-intent node would route it to, with the current model. */
export function TryIntent() {
  const trpc = useTRPC();
  const [text, setText] = useState('');
  const tryIt = useMutation(trpc.intents.tryIt.mutationOptions());
  const failure = tryIt.error ? errorOf(tryIt.error) : null;
  const result = tryIt.data;

  return (
    <Card className="p-4">
      <section aria-labelledby="try-intent-title" className="space-y-3">
        <div>
          <h2 id="try-intent-title" className="text-sm font-semibold text-slate-900">
            Try it
          </h2>
          <p className="text-xs text-slate-500">What a “Classify intent” node would choose for a customer’s message.</p>
        </div>
        <form
          className="space-y-3"
          onSubmit={(event) => {
            event.preventDefault();
            tryIt.mutate({ text });
          }}
        >
          <Field label="Customer message" htmlFor="try-intent-text" error={failure?.fields.get('text') ?? null}>
            <TextInput id="try-intent-text" value={text} onChange={(e) => setText(e.target.value)} placeholder="Quiero cambiar la talla" aria-invalid={failure?.fields.has('text')} />
          </Field>
          <Button type="submit" tone="primary" size="sm" disabled={tryIt.isPending}>
            {tryIt.isPending ? 'Classifying…' : 'Classify'}
          </Button>
        </form>
        {failure && !failure.fields.has('text') && <ErrorNote>{failure.message}</ErrorNote>}
        {result && (
          <div data-testid="try-intent-result" className="space-y-2 border-t border-slate-100 pt-3">
            <p className="flex items-center gap-2 text-sm">
              {result.intent ? (
                <>
                  <Badge tone="green">{result.intent}</Badge>
                  <span className="text-slate-600">{percent(result.confidence)} sure</span>
                </>
              ) : (
                <>
                  <Badge tone="amber">Not sure</Badge>
                  <span className="text-slate-600">best guess below {percent(result.threshold)}</span>
                </>
              )}
            </p>
            {result.intent === 'off_topic' && <p className="text-xs text-slate-500">Not about the shop: a node without an off_topic output takes “Not sure”.</p>}
            <ul className="space-y-1 text-xs">
              {[...(result.intent ? [] : [{ intent: '(best guess)', confidence: result.confidence }]), ...result.runnersUp].map((r) => (
                <li key={r.intent} className="flex items-center gap-2">
                  <span className="min-w-0 flex-1 truncate text-slate-600">{r.intent}</span>
                  <Bar confidence={r.confidence} threshold={result.threshold} />
                  <span className="w-9 text-right tabular-nums text-slate-500">{percent(r.confidence)}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
    </Card>
  );
}
