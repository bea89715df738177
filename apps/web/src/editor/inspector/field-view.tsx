import { Button } from '../../ui/primitives.tsx';
import { FieldDescription, FieldError, FieldShell, INPUT, LABEL, RequiredMark, useFieldMeta, useFormContext } from './form-context.tsx';
import { emptyValueFor, getAt, joinPath, switchVariant, variantOf, type FormField, type ObjectField, type UnionField } from './form-model.ts';
import { KeyValueFieldView, ListFieldView, StringListFieldView } from './list-fields.tsx';
import { BooleanFieldView, JsonFieldView, MultiSelectFieldView, NumberFieldView, SelectFieldView, TextFieldView } from './scalar-fields.tsx';

/** `value` is what is stored at `field.path`; a missing value shows the schema's default, which parsing applies. */
export function FieldView({ field, value }: { field: FormField; value: unknown }) {
  const shown = value === undefined ? field.default : value;
  switch (field.kind) {
    case 'text':
      return <TextFieldView field={field} value={shown} />;
    case 'number':
      return <NumberFieldView field={field} value={shown} />;
    case 'boolean':
      return <BooleanFieldView field={field} value={shown} />;
    case 'select':
      return <SelectFieldView field={field} value={shown} />;
    case 'multi-select':
      return <MultiSelectFieldView field={field} value={shown} />;
    case 'string-list':
      return <StringListFieldView field={field} value={shown} />;
    case 'list':
      return <ListFieldView field={field} value={shown} renderItem={(item, itemValue) => <FieldView field={item} value={itemValue} />} />;
    case 'object':
      return <ObjectFieldView field={field} value={value} />;
    case 'union':
      return <UnionFieldView field={field} value={shown} />;
    case 'key-value':
      return <KeyValueFieldView field={field} value={shown} />;
    case 'json':
      return <JsonFieldView field={field} value={shown} />;
    default: {
      const unreachable: never = field;
      return unreachable;
    }
  }
}

/** The fields of an object or a union variant, with the errors of generated ids (which are not shown). */
function Fields({ fields, value }: { fields: readonly FormField[]; value: unknown }) {
  const { errors } = useFormContext();
  const hidden = fields.flatMap((f) => {
    const error = f.kind === 'text' && f.autoId ? errors.get(joinPath(f.path)) : undefined;
    return error ? [`${f.label}: ${error}`] : [];
  });
  return (
    <>
      {hidden.map((message) => (
        <p key={message} className="text-xs text-red-600">
          {message}
        </p>
      ))}
      {fields
        .filter((f) => f.hiddenWhen === undefined || getAt(value, [f.hiddenWhen]) === undefined)
        .map((f) => (
          <FieldView key={joinPath(f.path)} field={f} value={getAt(value, f.path.slice(-1))} />
        ))}
    </>
  );
}

/** An optional object (a message's media) can be added and removed; a required one is always there. */
export function ObjectFieldView({ field, value }: { field: ObjectField; value: unknown }) {
  const { step, readOnly, newId } = useFormContext();
  const meta = useFieldMeta(field.path, field.description);
  // The root and list items are framed by the inspector and the list card.
  const framed = field.path.length > 0 && typeof field.path.at(-1) === 'string';
  if (!framed) {
    if (field.path.length === 0 && field.fields.length === 0) return <p className="text-xs text-slate-500">This node has no settings.</p>;
    return (
      <div className="space-y-4">
        <Fields fields={field.fields} value={value} />
      </div>
    );
  }
  const present = value !== undefined || field.required;
  return (
    <fieldset id={meta.id} tabIndex={-1} className="min-w-0 space-y-3 rounded-lg border border-slate-200 p-3 outline-none" aria-describedby={meta.describedBy}>
      <legend className={`${LABEL} px-1`}>
        {field.label}
        <RequiredMark field={field} />
      </legend>
      <FieldDescription id={meta.id} description={field.description} />
      <FieldError id={meta.id} error={meta.error} />
      {present ? (
        <>
          <Fields fields={field.fields} value={value ?? {}} />
          {!field.required && !readOnly && (
            <Button size="sm" tone="ghost" onClick={() => step(field.path, undefined, 'remove')}>
              Remove {field.label.toLowerCase()}
            </Button>
          )}
        </>
      ) : readOnly ? (
        <p className="text-xs text-slate-400">None</p>
      ) : (
        <Button size="sm" tone="secondary" onClick={() => step(field.path, emptyValueFor(field, newId), 'add')}>
          Add {field.label.toLowerCase()}
        </Button>
      )}
    </fieldset>
  );
}

/** A variant picker (a condition rule's kind) above the chosen variant's own fields. */
export function UnionFieldView({ field, value }: { field: UnionField; value: unknown }) {
  const { step, readOnly, newId } = useFormContext();
  const variant = variantOf(field, value);
  const meta = useFieldMeta([...field.path, field.discriminator], variant?.description);
  return (
    <div className="space-y-3">
      <FieldShell field={{ ...field, description: variant?.description }} meta={meta}>
        <select
          id={meta.id}
          value={variant?.value ?? ''}
          disabled={readOnly}
          aria-invalid={meta.invalid}
          aria-describedby={meta.describedBy}
          className={`${INPUT} pr-8`}
          onChange={(e) => step(field.path, switchVariant(field, value, e.target.value, newId), 'variant')}
        >
          {!variant && <option value="">Choose…</option>}
          {field.variants.map((v) => (
            <option key={v.value} value={v.value}>
              {v.label}
            </option>
          ))}
        </select>
      </FieldShell>
      {variant && <Fields fields={variant.fields} value={value} />}
    </div>
  );
}
