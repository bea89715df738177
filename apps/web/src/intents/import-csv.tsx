'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorOf, useTRPC, type RouterOutputs } from '../trpc/client.tsx';
import { Badge, Button, Card, ErrorNote, Field, Select, TextArea } from '../ui/primitives.tsx';

type Plan = RouterOutputs['intents']['importCsv']['plan'];

/** `csv.3.text` -> "Row 3, text". */
function whereOf(path: string): string {
  const [, row, column] = path.split('.');
  if (!row || row === 'file') return 'File';
  return `Row ${row}${column ? `, ${column}` : ''}`;
}

function PlanTable({ plan, mode }: { plan: Plan; mode: 'merge' | 'replace' }) {
  return (
    <div className="space-y-2" data-testid="import-plan">
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-xs uppercase tracking-wide text-slate-500">
            <th className="py-1 font-medium">Intent</th>
            <th className="py-1 text-right font-medium">Added</th>
            {mode === 'replace' && <th className="py-1 text-right font-medium">Removed</th>}
            <th className="py-1 text-right font-medium">Already there</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {plan.intents.map((i) => (
            <tr key={i.name}>
              <td className="py-1.5 font-mono text-slate-800">
                {i.name} {i.isNew && <Badge tone="indigo">new</Badge>}
              </td>
              <td className="py-1.5 text-right tabular-nums text-emerald-700">+{i.added}</td>
              {mode === 'replace' && <td className="py-1.5 text-right tabular-nums text-red-700">−{i.removed}</td>}
              <td className="py-1.5 text-right tabular-nums text-slate-500">{i.kept}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {plan.deleted.length > 0 && (
        <p className="text-sm text-red-700">
          Deleted with their phrases (not in the file): <span className="font-mono">{plan.deleted.join(', ')}</span>
        </p>
      )}
    </div>
  );
}

/**
 * Import phrases from CSV (columns text and intent): check the file first to see what would change and every bad
 * row, then import. Nothing is imported while the file has a problem.
 */
export function ImportCsv({ onClose }: { onClose(): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [csv, setCsv] = useState('');
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const [checked, setChecked] = useState<{ csv: string; mode: string } | null>(null);
  const check = useMutation(trpc.intents.importCsv.mutationOptions());
  const run = useMutation(trpc.intents.importCsv.mutationOptions());
  const error = run.error ?? check.error;
  const failure = error ? errorOf(error) : null;
  const rowErrors = failure ? [...failure.fields].filter(([path]) => path.startsWith('csv.')) : [];
  const upToDate = checked !== null && checked.csv === csv && checked.mode === mode && check.data !== undefined && !check.error;

  const submitCheck = () => {
    run.reset();
    check.mutate({ csv, mode, dryRun: true }, { onSuccess: () => setChecked({ csv, mode }) });
  };

  return (
    <Card className="p-5">
      <section aria-labelledby="import-title" className="space-y-4">
        <div className="flex items-start justify-between">
          <div>
            <h2 id="import-title" className="text-base font-semibold text-slate-900">
              Import phrases from CSV
            </h2>
            <p className="text-sm text-slate-500">A header row with columns <code>text</code> and <code>intent</code> (or <code>category</code>); each phrase’s language is detected.</p>
          </div>
          <Button size="sm" tone="ghost" onClick={onClose}>
            Close
          </Button>
        </div>
        {run.data ? (
          <div className="space-y-3" role="status">
            <p className="text-sm font-medium text-emerald-700">Imported {run.data.rows} rows. The model is training with them.</p>
            <PlanTable plan={run.data.plan} mode={mode} />
            <Button onClick={onClose}>Done</Button>
          </div>
        ) : (
          <>
            <div className="flex items-center gap-3">
              <label className="text-sm font-medium text-slate-700" htmlFor="import-file">
                File
              </label>
              <input
                id="import-file"
                type="file"
                accept=".csv,text/csv,text/plain"
                className="text-sm text-slate-600 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-200"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (file) void file.text().then(setCsv);
                }}
              />
            </div>
            <Field label="…or paste CSV" htmlFor="import-csv" error={failure?.fields.get('csv') ?? null}>
              <TextArea id="import-csv" rows={6} className="font-mono text-xs" value={csv} onChange={(e) => setCsv(e.target.value)} placeholder={'text,intent\nQuiero cambiar la talla,size_exchange'} />
            </Field>
            <div className="flex items-end gap-3">
              <Field label="How" htmlFor="import-mode">
                <Select id="import-mode" className="w-80" value={mode} onChange={(e) => setMode(e.target.value === 'replace' ? 'replace' : 'merge')}>
                  <option value="merge">Merge: add the file’s phrases</option>
                  <option value="replace">Replace: the file becomes all the intents</option>
                </Select>
              </Field>
              <Button className="shrink-0 whitespace-nowrap" onClick={submitCheck} disabled={check.isPending}>
                {check.isPending ? 'Checking…' : 'Check file'}
              </Button>
              <Button tone="primary" disabled={!upToDate || run.isPending} onClick={() => run.mutate({ csv, mode }, { onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.intents.pathKey() }) })}>
                {run.isPending ? 'Importing…' : 'Import'}
              </Button>
            </div>
            {failure && (
              <div className="space-y-2">
                <ErrorNote>{failure.fields.size > 0 && rowErrors.length > 0 ? `The file has ${rowErrors.length} problem${rowErrors.length === 1 ? '' : 's'}; nothing was imported.` : failure.message}</ErrorNote>
                {rowErrors.length > 0 && (
                  <ul className="divide-y divide-red-100 rounded-md ring-1 ring-red-200" aria-label="Problems in the file">
                    {rowErrors.map(([path, message]) => (
                      <li key={path} className="flex gap-3 px-3 py-1.5 text-sm" data-testid="import-error">
                        <span className="w-28 shrink-0 font-medium text-red-700">{whereOf(path)}</span>
                        <span className="text-slate-700">{message.replace(/^row \d+: /, '')}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
            {upToDate && check.data && (
              <div className="space-y-2">
                <p className="text-sm text-slate-600">{check.data.rows} rows are fine. Importing will change:</p>
                <PlanTable plan={check.data.plan} mode={mode} />
              </div>
            )}
          </>
        )}
      </section>
    </Card>
  );
}
