import { createContext, use, type ReactNode } from 'react';
import { joinPath, type FieldPath, type FormField } from './form-model.ts';

/** What every field of one `ConfigForm` shares: the value being edited, where errors are, how to write. */
export interface FormContextValue {
  errors: ReadonlyMap<string, string>;
  variables: readonly string[];
  readOnly: boolean;
  idPrefix: string;
  newId(): string;
  /** Typing: edits of one field within a short time are one undo step (the coalesce key is the field's path). */
  edit(path: FieldPath, next: unknown): void;
  /** A discrete change (add, remove, move, pick an option): always its own undo step. */
  step(path: FieldPath, next: unknown, action: string): void;
}

export const FormContext = createContext<FormContextValue | null>(null);

export function useFormContext(): FormContextValue {
  const context = use(FormContext);
  if (!context) throw new Error('a config field was rendered outside <ConfigForm>');
  return context;
}

/** A stable DOM id for the field at `path`: 'cfg-branches-0-label'. Browser tests and `focusPath` find fields by it. */
export function fieldId(idPrefix: string, path: FieldPath | readonly string[]): string {
  const parts = path.map((key) => String(key).replace(/[^A-Za-z0-9_-]/g, '_'));
  return `${idPrefix}-${parts.length === 0 ? 'root' : parts.join('-')}`;
}

export interface FieldMeta {
  id: string;
  error: string | undefined;
  /** For `aria-describedby`: the error's and the description's ids, when shown. */
  describedBy: string | undefined;
  invalid: boolean;
}

export function useFieldMeta(path: FieldPath, description?: string): FieldMeta {
  const { errors, idPrefix } = useFormContext();
  const id = fieldId(idPrefix, path);
  const error = errors.get(joinPath(path));
  const ids = [error ? `${id}-error` : null, description ? `${id}-description` : null].filter((x) => x !== null);
  return { id, error, describedBy: ids.length > 0 ? ids.join(' ') : undefined, invalid: error !== undefined };
}

export const LABEL = 'block text-sm font-medium text-slate-700';

/** The inputs' look, as `ui/primitives` draws fields, a little more compact for the inspector's narrow column. */
export const INPUT =
  'block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:outline-none focus:ring-2 focus:ring-inset focus:ring-indigo-600 disabled:bg-slate-50 disabled:text-slate-500 aria-[invalid=true]:ring-red-400';

export function RequiredMark({ field }: { field: FormField }) {
  return field.required ? (
    <span className="ml-0.5 text-red-500" aria-hidden="true">
      *
    </span>
  ) : null;
}

export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p id={`${id}-error`} className="text-xs text-red-600">
      {error}
    </p>
  ) : null;
}

export function FieldDescription({ id, description }: { id: string; description: string | undefined }) {
  return description ? (
    <p id={`${id}-description`} className="text-xs text-slate-500">
      {description}
    </p>
  ) : null;
}

/** Label above, input, then description and error: one look for every single-input field. */
export function FieldShell({ field, meta, children, aside }: { field: FormField; meta: FieldMeta; children: ReactNode; aside?: ReactNode }) {
  return (
    <div className="space-y-1">
      <div className="flex items-baseline gap-2">
        {/* The mark stays outside the label, so the field is found by its label text alone. */}
        <span className="flex min-w-0 flex-1 items-baseline">
          <label htmlFor={meta.id} className={LABEL}>
            {field.label}
          </label>
          <RequiredMark field={field} />
        </span>
        {aside}
      </div>
      {children}
      <FieldDescription id={meta.id} description={field.description} />
      <FieldError id={meta.id} error={meta.error} />
    </div>
  );
}
