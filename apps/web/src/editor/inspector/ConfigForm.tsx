'use client';

import { useEffect, useMemo } from 'react';
import { FieldView } from './field-view.tsx';
import { fieldId, FormContext, type FormContextValue } from './form-context.tsx';
import { joinPath, setAt, type FieldPath, type FormField } from './form-model.ts';

export interface ConfigFormProps {
  /** From `describeForm(definition.config)`; memoize it, it is the same for every node of a type. */
  form: FormField;
  value: unknown;
  /**
   * The whole new config. Typing in one field repeats its `coalesceKey` (the field's path) so the edits can be one
   * undo step; every add, remove, move or pick has a key of its own.
   */
  onChange(next: unknown, coalesceKey: string): void;
  /** Validator messages by field path joined with '.' ('branches.0.rules.0.value'); '' for the whole config. */
  errors: ReadonlyMap<string, string>;
  /** Names templates may use, offered inside `{{`. */
  variables: readonly string[];
  /** Scrolls to and focuses this field (a path joined with '.'), or its nearest shown ancestor. */
  focusPath?: string | null;
  readOnly?: boolean;
  /** Prefix of the inputs' ids ('cfg-branches-0-label'); set it when two forms share a page. */
  idPrefix?: string;
  /** Makes the ids the editor generates and hides (branch and variant port ids). */
  newId?: () => string;
}

/**
 * Numbers the discrete edits' coalesce keys. Module-wide rather than per form: the inspector remounts the form for
 * each node, and a restarted count could repeat a key that history still holds open.
 */
let discreteEdits = 0;

function randomId(): string {
  return `p${Math.random().toString(36).slice(2, 8)}`;
}

/** A node's config as a form: one input per field of its schema, errors beside the fields they concern. */
export function ConfigForm({ form, value, onChange, errors, variables, focusPath = null, readOnly = false, idPrefix = 'cfg', newId = randomId }: ConfigFormProps) {
  const context = useMemo((): FormContextValue => {
    const write = (path: FieldPath, next: unknown, coalesceKey: string) => {
      if (readOnly) return;
      const updated = setAt(value, path, next);
      if (updated !== value) onChange(updated, coalesceKey);
    };
    return {
      errors,
      variables,
      readOnly,
      idPrefix,
      newId,
      edit: (path, next) => write(path, next, joinPath(path) || '.'),
      step: (path, next, action) => {
        discreteEdits += 1;
        write(path, next, `${joinPath(path)}#${action}-${discreteEdits}`);
      },
    };
  }, [value, onChange, errors, variables, readOnly, idPrefix, newId]);

  useEffect(() => {
    if (focusPath === null) return;
    const keys = focusPath === '' ? [] : focusPath.split('.');
    // A hidden field (a generated id) or a collapsed part has no element: focus the closest one that exists.
    for (let n = keys.length; n >= 0; n -= 1) {
      const element = document.getElementById(fieldId(idPrefix, keys.slice(0, n)));
      if (element) {
        element.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
        element.focus({ preventScroll: true });
        return;
      }
    }
  }, [focusPath, idPrefix]);

  const rootError = errors.get('');
  return (
    <FormContext value={context}>
      <div id={fieldId(idPrefix, [])} tabIndex={-1} className="space-y-4 outline-none">
        {rootError && <p className="rounded-md bg-red-50 px-2.5 py-1.5 text-xs text-red-700 ring-1 ring-inset ring-red-200">{rootError}</p>}
        <FieldView field={form} value={value} />
      </div>
    </FormContext>
  );
}
