'use client';

import type { ValidationIssue, ValidationReport } from '@signalbox/nodes';

/** Every error and warning of the current draft, recomputed on each edit; clicking one opens its node and field. */
export function ProblemsPanel({ report, titleOf, onFocus }: { report: ValidationReport; titleOf(nodeId: string): string; onFocus(issue: ValidationIssue): void }) {
  const issues = [...report.errors, ...report.warnings];
  if (issues.length === 0) {
    return (
      <div className="p-6 text-center">
        <p className="text-sm font-medium text-emerald-700">No problems</p>
        <p className="mt-1 text-xs text-slate-500">The flow can be published.</p>
      </div>
    );
  }
  return (
    <ul className="divide-y divide-slate-100" aria-label="Problems">
      {issues.map((issue, i) => (
        <li key={`${issue.code}-${issue.nodeId ?? issue.edgeId ?? ''}-${issue.field ?? ''}-${i}`}>
          <button
            type="button"
            disabled={!issue.nodeId}
            onClick={() => onFocus(issue)}
            className="flex w-full items-start gap-2.5 px-4 py-2.5 text-left hover:bg-slate-50 disabled:cursor-default"
          >
            <span className={`mt-1 size-2 shrink-0 rounded-full ${issue.severity === 'error' ? 'bg-red-500' : 'bg-amber-400'}`} aria-label={issue.severity} />
            <span className="min-w-0">
              <span className="block text-sm text-slate-800">{issue.message}</span>
              <span className="block truncate text-xs text-slate-500">
                {issue.nodeId ? titleOf(issue.nodeId) : issue.edgeId ? `Edge ${issue.edgeId}` : 'Flow'}
                {issue.field && issue.code === 'invalid-config' ? ` · ${issue.field}` : ''}
              </span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
