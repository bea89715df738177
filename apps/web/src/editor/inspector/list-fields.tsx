import type { ReactNode } from 'react';
import { Button } from '../../ui/primitives.tsx';
import { fieldId, FieldDescription, FieldError, INPUT, LABEL, RequiredMark, useFieldMeta, useFormContext } from './form-context.tsx';
import {
  emptyValueFor,
  freshKey,
  fromKeyValueRows,
  itemField,
  itemTitle,
  joinPath,
  keyValuePaths,
  keyValueRows,
  moveItem,
  removeItem,
  stringItemField,
  variantOf,
  type FormField,
  type KeyValueField,
  type KeyValueRow,
  type ListField,
  type StringListField,
} from './form-model.ts';
import { TemplateInput } from './template-input.tsx';
import { useWorkspaceOptions } from './workspace-options.tsx';

const GLYPHS = { up: 'M18 15l-6-6-6 6', down: 'M6 9l6 6 6-6', remove: 'M18 6L6 18M6 6l12 12', add: 'M12 5v14M5 12h14' } as const;

function Glyph({ name }: { name: keyof typeof GLYPHS }) {
  return (
    <svg viewBox="0 0 24 24" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={GLYPHS[name]} />
    </svg>
  );
}

function IconButton({ glyph, label, onClick, disabled }: { glyph: keyof typeof GLYPHS; label: string; onClick(): void; disabled?: boolean }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
      className="rounded p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:pointer-events-none disabled:opacity-30"
    >
      <Glyph name={glyph} />
    </button>
  );
}

function AddButton({ label, onClick, disabled }: { label: string; onClick(): void; disabled: boolean }) {
  return (
    <Button size="sm" tone="ghost" onClick={onClick} disabled={disabled} className="text-indigo-700 hover:text-indigo-800">
      <Glyph name="add" />
      {label}
    </Button>
  );
}

/** Legend, description and error of a repeated field, around its rows. */
function Group({ id, field, error, children }: { id: string; field: FormField; error: string | undefined; children: ReactNode }) {
  return (
    <fieldset id={id} tabIndex={-1} className="min-w-0 space-y-2 outline-none" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className={LABEL}>
        {field.label}
        <RequiredMark field={field} />
      </legend>
      <FieldDescription id={id} description={field.description} />
      {children}
      <FieldError id={id} error={error} />
    </fieldset>
  );
}

const asArray = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);

/** Items as cards with move up / down and remove; each item's form comes from `renderItem`. */
export function ListFieldView({ field, value, renderItem }: { field: ListField; value: unknown; renderItem(item: FormField, value: unknown): ReactNode }) {
  const { step, readOnly, newId, errors, idPrefix } = useFormContext();
  const meta = useFieldMeta(field.path);
  const items = asArray(value);
  const noun = field.itemLabel.toLowerCase();
  return (
    <Group id={meta.id} field={field} error={meta.error}>
      {items.length > 0 && (
        <ol className="space-y-2">
          {items.map((item, i) => {
            const form = itemField(field, i);
            const variant = form.kind === 'union' ? variantOf(form, item) : undefined;
            const title = itemTitle(field, item, i);
            const itemId = fieldId(idPrefix, form.path);
            const itemError = errors.get(joinPath(form.path));
            return (
              // Items have no stable key of their own (ids are optional); the index keeps inputs in place while typing.
              <li key={i} id={itemId} tabIndex={-1} aria-label={title} className="rounded-lg border border-slate-200 bg-slate-50/60 outline-none focus:ring-2 focus:ring-indigo-600">
                <div className="flex items-center gap-1 border-b border-slate-200 px-2.5 py-1.5">
                  <span className="min-w-0 flex-1 truncate text-xs font-semibold text-slate-700">
                    {title}
                    {variant && <span className="font-normal text-slate-500"> · {variant.label}</span>}
                  </span>
                  {!readOnly && (
                    <>
                      <IconButton glyph="up" label={`Move ${noun} ${i + 1} up`} disabled={i === 0} onClick={() => step(field.path, moveItem(items, i, i - 1), 'move')} />
                      <IconButton glyph="down" label={`Move ${noun} ${i + 1} down`} disabled={i === items.length - 1} onClick={() => step(field.path, moveItem(items, i, i + 1), 'move')} />
                      <IconButton glyph="remove" label={`Remove ${noun} ${i + 1}`} disabled={items.length <= field.minItems} onClick={() => step(field.path, removeItem(items, i), 'remove')} />
                    </>
                  )}
                </div>
                <div className="space-y-3 p-2.5">
                  <FieldError id={itemId} error={itemError} />
                  {renderItem(form, item)}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {!readOnly && (
        <AddButton
          label={field.addLabel}
          disabled={field.maxItems !== undefined && items.length >= field.maxItems}
          onClick={() => step(field.path, [...items, emptyValueFor(field.item, newId)], 'add')}
        />
      )}
    </Group>
  );
}

/** One input per string, for lists such as channel types or language codes. */
export function StringListFieldView({ field, value }: { field: StringListField; value: unknown }) {
  const { edit, step, readOnly, errors, idPrefix } = useFormContext();
  const meta = useFieldMeta(field.path);
  const items = asArray(value);
  // The workspace's records (intent names) as suggestions: a datalist, so a name not created yet can be typed.
  const workspace = useWorkspaceOptions(field.optionsFrom);
  const suggestions = workspace ? `${meta.id}-suggestions` : undefined;
  return (
    <Group id={meta.id} field={field} error={meta.error}>
      {workspace && (
        <datalist id={suggestions}>
          {workspace.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </datalist>
      )}
      {items.map((item, i) => {
        const input = stringItemField(field, i);
        const id = fieldId(idPrefix, input.path);
        const error = errors.get(joinPath(input.path));
        return (
          <div key={i} className="space-y-1">
            <div className="flex items-center gap-1">
              <label htmlFor={id} className="sr-only">
                {input.label}
              </label>
              <input
                id={id}
                type="text"
                value={typeof item === 'string' ? item : ''}
                placeholder={input.placeholder}
                list={suggestions}
                readOnly={readOnly}
                aria-invalid={error !== undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                className={INPUT}
                onChange={(e) => edit(input.path, e.target.value)}
              />
              {!readOnly && <IconButton glyph="remove" label={`Remove ${input.label.toLowerCase()}`} disabled={items.length <= field.minItems} onClick={() => step(field.path, removeItem(items, i), 'remove')} />}
            </div>
            <FieldError id={id} error={error} />
          </div>
        );
      })}
      {!readOnly && (
        <AddButton label={field.addLabel} disabled={field.maxItems !== undefined && items.length >= field.maxItems} onClick={() => step(field.path, [...items, ''], 'add')} />
      )}
      {workspace && (
        <a href={workspace.manage.href} target="_blank" rel="noreferrer" className="block text-right text-xs font-medium text-indigo-600 hover:underline">
          {workspace.manage.label} ↗
        </a>
      )}
    </Group>
  );
}

/** Rows of key and value, whether stored as a record or as `[{ name, value }]`. */
export function KeyValueFieldView({ field, value }: { field: KeyValueField; value: unknown }) {
  const { edit, step, readOnly, errors, idPrefix, variables } = useFormContext();
  const meta = useFieldMeta(field.path);
  const rows = keyValueRows(field, value);
  const write = (next: readonly KeyValueRow[]) => fromKeyValueRows(field, next);
  const change = (i: number, patch: Partial<KeyValueRow>) => edit(field.path, write(rows.map((r, n) => (n === i ? { ...r, ...patch } : r))));
  return (
    <Group id={meta.id} field={field} error={meta.error}>
      {rows.length > 0 && (
        <div className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] items-start gap-1" aria-hidden="true">
          <span className="text-xs text-slate-500">{field.key.label}</span>
          <span className="col-span-2 text-xs text-slate-500">{field.value.label}</span>
        </div>
      )}
      {rows.map((row, i) => {
        const paths = keyValuePaths(field, i, row);
        // Ids follow the stored paths for `[{ name, value }]`, so focusing 'headers.0.name' finds its input; record rows go by position.
        const keyId = fieldId(idPrefix, paths.key ?? [...field.path, i, 'key']);
        const valueId = fieldId(idPrefix, paths.key ? paths.value : [...field.path, i, 'value']);
        const keyError = paths.key ? errors.get(joinPath(paths.key)) : undefined;
        const valueError = errors.get(joinPath(paths.value));
        return (
          <div key={i} className="space-y-1">
            <div className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] items-start gap-1">
              <label htmlFor={keyId} className="sr-only">{`${field.key.label} ${i + 1}`}</label>
              <input
                id={keyId}
                type="text"
                value={row.key}
                placeholder={field.key.placeholder}
                readOnly={readOnly}
                aria-invalid={keyError !== undefined}
                aria-describedby={keyError ? `${keyId}-error` : undefined}
                className={INPUT}
                onChange={(e) => change(i, { key: e.target.value })}
              />
              <label htmlFor={valueId} className="sr-only">{`${field.value.label} ${i + 1}`}</label>
              {field.value.template ? (
                <TemplateInput
                  id={valueId}
                  value={row.value}
                  onChange={(text) => change(i, { value: text })}
                  variables={variables}
                  multiline={false}
                  monospace={false}
                  placeholder={field.value.placeholder}
                  describedBy={valueError ? `${valueId}-error` : undefined}
                  invalid={valueError !== undefined}
                  readOnly={readOnly}
                />
              ) : (
                <input
                  id={valueId}
                  type="text"
                  value={row.value}
                  placeholder={field.value.placeholder}
                  readOnly={readOnly}
                  aria-invalid={valueError !== undefined}
                  aria-describedby={valueError ? `${valueId}-error` : undefined}
                  className={INPUT}
                  onChange={(e) => change(i, { value: e.target.value })}
                />
              )}
              {readOnly ? <span /> : <IconButton glyph="remove" label={`Remove ${field.itemLabel.toLowerCase()} ${i + 1}`} onClick={() => step(field.path, write(rows.filter((_, n) => n !== i)), 'remove')} />}
            </div>
            <FieldError id={keyId} error={keyError} />
            <FieldError id={valueId} error={valueError} />
          </div>
        );
      })}
      {!readOnly && (
        <AddButton
          label={field.addLabel}
          disabled={field.maxItems !== undefined && rows.length >= field.maxItems}
          onClick={() => step(field.path, write([...rows, { key: field.storage.kind === 'record' ? freshKey(rows) : '', value: '' }]), 'add')}
        />
      )}
    </Group>
  );
}
