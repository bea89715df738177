'use client';

import { VariableName, type FlowDocument } from '@signalbox/nodes';
import { useState } from 'react';
import { Button, TextInput } from '../ui/primitives.tsx';

type Variable = FlowDocument['variables'][number];

/** Declared flow variables: a name (checked as the validator checks it), an optional default and description. */
export function VariablesEditor({ variables, readOnly, onChange }: { variables: Variable[]; readOnly: boolean; onChange(next: Variable[]): void }) {
  const [draftName, setDraftName] = useState('');
  const parsed = VariableName.safeParse(draftName);
  const duplicate = variables.some((v) => v.name === draftName);
  const problem = draftName === '' ? null : !parsed.success ? (parsed.error.issues[0]?.message ?? 'not a valid name') : duplicate ? 'already declared' : null;

  return (
    <div className="space-y-3">
      {variables.length === 0 && <p className="text-xs text-slate-400">No variables declared.</p>}
      <ul className="space-y-2">
        {variables.map((v, i) => (
          <li key={v.name} className="rounded-md border border-slate-200 p-2">
            <div className="flex items-center gap-2">
              <code className="text-xs font-semibold text-slate-800">{`{{${v.name}}}`}</code>
              {!readOnly && (
                <button type="button" className="ml-auto text-xs text-slate-400 hover:text-red-600" onClick={() => onChange(variables.filter((_, n) => n !== i))} aria-label={`Remove variable ${v.name}`}>
                  Remove
                </button>
              )}
            </div>
            <label className="mt-1.5 block text-[11px] text-slate-500" htmlFor={`var-default-${v.name}`}>
              Default value
            </label>
            <TextInput
              id={`var-default-${v.name}`}
              value={typeof v.default === 'string' ? v.default : v.default === undefined ? '' : JSON.stringify(v.default)}
              readOnly={readOnly}
              onChange={(e) => onChange(variables.map((x, n) => (n === i ? { ...x, default: e.target.value === '' ? undefined : e.target.value } : x)))}
              className="mt-0.5 !py-1 text-xs"
            />
          </li>
        ))}
      </ul>
      {!readOnly && (
        <form
          className="flex items-start gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (problem || draftName === '') return;
            onChange([...variables, { name: draftName }]);
            setDraftName('');
          }}
        >
          <div className="flex-1">
            <TextInput aria-label="New variable name" placeholder="orderId" value={draftName} onChange={(e) => setDraftName(e.target.value.trim())} aria-invalid={problem !== null} className="!py-1 text-xs" />
            {problem && <p className="mt-1 text-xs text-red-600">{problem}</p>}
          </div>
          <Button size="sm" type="submit" disabled={draftName === '' || problem !== null}>
            Add
          </Button>
        </form>
      )}
    </div>
  );
}
