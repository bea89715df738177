import { useState } from 'react';
import { useWorkspaceOptions } from './workspace-options.tsx';
import { FieldDescription, FieldError, FieldShell, INPUT, LABEL, RequiredMark, useFieldMeta, useFormContext } from './form-context.tsx';
import type { BooleanField, JsonField, MultiSelectField, NumberField, SelectField, TextField } from './form-model.ts';
import { TemplateInput } from './template-input.tsx';

/** An optional field without a default is left out rather than stored empty ('' would fail a variable-name check). */
function emptied(field: TextField, text: string): string | undefined {
  return text === '' && !field.required && field.default === undefined ? undefined : text;
}

export function TextFieldView({ field, value }: { field: TextField; value: unknown }) {
  const { edit, readOnly, variables } = useFormContext();
  const meta = useFieldMeta(field.path, field.description);
  // Generated ids are not shown; their errors are, on the object that holds them.
  if (field.autoId) return null;
  const text = typeof value === 'string' ? value : '';
  const onChange = (next: string) => edit(field.path, emptied(field, next));
  const counter =
    field.maxLength !== undefined ? (
      <span className={`text-xs tabular-nums ${text.length > field.maxLength ? 'text-red-600' : 'text-slate-400'}`}>
        {text.length}/{field.maxLength}
      </span>
    ) : undefined;
  const common = {
    id: meta.id,
    value: text,
    placeholder: field.placeholder,
    readOnly,
    'aria-required': field.required,
    'aria-invalid': meta.invalid,
    'aria-describedby': meta.describedBy,
  };
  return (
    <FieldShell field={field} meta={meta} aside={counter}>
      {field.template ? (
        <TemplateInput
          id={meta.id}
          value={text}
          placeholder={field.placeholder}
          readOnly={readOnly}
          required={field.required}
          onChange={onChange}
          variables={variables}
          multiline={field.multiline}
          monospace={field.monospace}
          describedBy={meta.describedBy}
          invalid={meta.invalid}
        />
      ) : field.multiline ? (
        <textarea {...common} rows={3} className={`${INPUT} ${field.monospace ? 'font-mono text-xs' : ''}`} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type="text" className={INPUT} onChange={(e) => onChange(e.target.value)} />
      )}
    </FieldShell>
  );
}

export function NumberFieldView({ field, value }: { field: NumberField; value: unknown }) {
  const { edit, readOnly } = useFormContext();
  const meta = useFieldMeta(field.path, field.description);
  // What is typed, while it is not yet a number ('', '-', '1e'); the stored value stays the last good one.
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (typeof value === 'number' ? String(value) : '');
  return (
    <FieldShell field={field} meta={meta}>
      <input
        id={meta.id}
        type="number"
        inputMode={field.integer ? 'numeric' : 'decimal'}
        min={field.min}
        max={field.max}
        step={field.integer ? 1 : 'any'}
        value={shown}
        placeholder={field.placeholder}
        readOnly={readOnly}
        aria-required={field.required}
        aria-invalid={meta.invalid}
        aria-describedby={meta.describedBy}
        className={`${INPUT} tabular-nums`}
        onBlur={() => setDraft(null)}
        onChange={(e) => {
          const text = e.target.value;
          setDraft(text);
          if (text.trim() === '') edit(field.path, undefined);
          else if (Number.isFinite(Number(text))) edit(field.path, Number(text));
        }}
      />
    </FieldShell>
  );
}

export function BooleanFieldView({ field, value }: { field: BooleanField; value: unknown }) {
  const { step, readOnly } = useFormContext();
  const meta = useFieldMeta(field.path, field.description);
  return (
    <div className="space-y-1">
      <div className="flex items-center gap-2">
        <input
          id={meta.id}
          type="checkbox"
          checked={value === true}
          disabled={readOnly}
          aria-invalid={meta.invalid}
          aria-describedby={meta.describedBy}
          className="size-4 rounded border-slate-300 text-indigo-600 accent-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          onChange={(e) => step(field.path, e.target.checked, 'toggle')}
        />
        <label htmlFor={meta.id} className="text-sm text-slate-700">
          {field.label}
        </label>
      </div>
      <FieldDescription id={meta.id} description={field.description} />
      <FieldError id={meta.id} error={meta.error} />
    </div>
  );
}

export function SelectFieldView({ field, value }: { field: SelectField; value: unknown }) {
  const { step, readOnly } = useFormContext();
  const meta = useFieldMeta(field.path, field.description);
  const workspace = useWorkspaceOptions(field.optionsFrom);
  const options = workspace?.options ?? field.options;
  const current = typeof value === 'string' ? value : '';
  const known = options.some((o) => o.value === current);
  const detail = workspace?.details.get(current);
  return (
    <FieldShell field={field} meta={meta}>
      <select
        id={meta.id}
        value={current}
        disabled={readOnly}
        aria-required={field.required}
        aria-invalid={meta.invalid}
        aria-describedby={meta.describedBy}
        className={`${INPUT} pr-8`}
        onChange={(e) => step(field.path, e.target.value === '' ? undefined : e.target.value, 'select')}
      >
        {/* A field with a default shows it (parsing applies it), so only one without needs an empty choice. */}
        {(!known || (!field.required && field.default === undefined)) && <option value="">{field.required ? 'Choose…' : '—'}</option>}
        {!known && current !== '' && (
          <option value={current} disabled>
            {workspace?.loading ? 'Loading…' : field.optionsFrom ? 'deleted (choose another)' : `${current} (not an option)`}
          </option>
        )}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {workspace && (
        <p className="mt-1 flex justify-between gap-2 text-xs text-slate-500">
          <span>{detail}</span>
          <a href={workspace.manage.href} target="_blank" rel="noreferrer" className="shrink-0 font-medium text-indigo-600 hover:underline">
            {workspace.manage.label} ↗
          </a>
        </p>
      )}
    </FieldShell>
  );
}

/** Toggle chips in a group, for arrays of enum values such as weekdays; stored in the options' order. */
export function MultiSelectFieldView({ field, value }: { field: MultiSelectField; value: unknown }) {
  const { step, readOnly } = useFormContext();
  const meta = useFieldMeta(field.path, field.description);
  const workspace = useWorkspaceOptions(field.optionsFrom);
  const chosen = new Set(Array.isArray(value) ? value : []);
  // Chosen ids the workspace no longer has (a deleted list) stay visible, so they can be unticked.
  const gone = workspace && !workspace.loading ? [...chosen].filter((v): v is string => typeof v === 'string' && !workspace.options.some((o) => o.value === v)) : [];
  const options = [...(workspace?.options ?? field.options), ...gone.map((v) => ({ value: v, label: 'deleted (untick it)' }))];
  const toggle = (option: string) => {
    const next = options.map((o) => o.value).filter((v) => (v === option ? !chosen.has(v) : chosen.has(v)));
    step(field.path, next, 'toggle');
  };
  return (
    <fieldset id={meta.id} tabIndex={-1} aria-invalid={meta.invalid} aria-describedby={meta.describedBy} className="space-y-1 outline-none">
      <legend className={LABEL}>
        {field.label}
        <RequiredMark field={field} />
      </legend>
      <div className="flex flex-wrap gap-1 pt-1">
        {workspace?.loading && <span className="text-xs text-slate-500">Loading…</span>}
        {workspace && !workspace.loading && options.length === 0 && <span className="text-xs text-slate-500">None yet.</span>}
        {options.map((o) => {
          const id = `${meta.id}-${o.value.replace(/[^A-Za-z0-9_-]/g, '_')}`;
          const on = chosen.has(o.value);
          return (
            <label
              key={o.value}
              htmlFor={id}
              className={`inline-flex cursor-pointer items-center gap-1.5 rounded-md px-2 py-1 text-xs font-medium ring-1 ring-inset ${
                on ? 'bg-indigo-50 text-indigo-700 ring-indigo-300' : 'bg-white text-slate-600 ring-slate-300 hover:bg-slate-50'
              }`}
            >
              <input id={id} type="checkbox" className="size-3 accent-indigo-600" checked={on} disabled={readOnly} onChange={() => toggle(o.value)} />
              {o.label}
            </label>
          );
        })}
      </div>
      <FieldDescription id={meta.id} description={field.description} />
      <FieldError id={meta.id} error={meta.error} />
      {workspace && (
        <a href={workspace.manage.href} target="_blank" rel="noreferrer" className="block text-right text-xs font-medium text-indigo-600 hover:underline">
          {workspace.manage.label} ↗
        </a>
      )}
    </fieldset>
  );
}

/** The fallback: any value as JSON text; it is written back only while it parses. */
export function JsonFieldView({ field, value }: { field: JsonField; value: unknown }) {
  const { edit, readOnly } = useFormContext();
  const meta = useFieldMeta(field.path, field.description);
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const shown = draft ?? (value === undefined ? '' : JSON.stringify(value, null, 2));
  const error = problem ?? meta.error;
  const describedBy = [error ? `${meta.id}-error` : null, field.description ? `${meta.id}-description` : null].filter((x) => x !== null).join(' ');
  return (
    <FieldShell field={field} meta={{ ...meta, error, invalid: error !== undefined }}>
      <textarea
        id={meta.id}
        rows={4}
        value={shown}
        readOnly={readOnly}
        spellCheck={false}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy || undefined}
        className={`${INPUT} font-mono text-xs`}
        onBlur={() => {
          if (problem === null) setDraft(null);
        }}
        onChange={(e) => {
          const text = e.target.value;
          setDraft(text);
          if (text.trim() === '') {
            setProblem(null);
            edit(field.path, undefined);
            return;
          }
          try {
            const parsed: unknown = JSON.parse(text);
            setProblem(null);
            edit(field.path, parsed);
          } catch {
            setProblem('Not valid JSON yet: it is saved once it parses.');
          }
        }}
      />
    </FieldShell>
  );
}
