import { useLayoutEffect, useRef, useState, type KeyboardEvent, type SyntheticEvent } from 'react';
import { INPUT } from './form-context.tsx';
import { insertSuggestion, templateSuggestions, type TemplateSuggestions } from './form-model.ts';

/** Suggestions shown at once; the list scrolls past that. */
const SHOWN = 50;

interface TemplateInputProps {
  id: string;
  value: string;
  onChange(next: string): void;
  variables: readonly string[];
  multiline: boolean;
  monospace: boolean;
  placeholder?: string;
  describedBy?: string;
  invalid: boolean;
  readOnly: boolean;
  required?: boolean;
}

type Editable = HTMLInputElement | HTMLTextAreaElement;

/** A text input for `{{variables}}` templates: typing inside an open `{{` offers the flow's variable names. */
export function TemplateInput({ id, value, onChange, variables, multiline, monospace, placeholder, describedBy, invalid, readOnly, required = false }: TemplateInputProps) {
  const [open, setOpen] = useState<TemplateSuggestions | null>(null);
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const pendingCaret = useRef<number | null>(null);
  const listId = `${id}-suggestions`;
  const names = open ? open.names.slice(0, SHOWN) : [];
  const showing = names.length > 0 && !readOnly;

  // After inserting a name the value changes through the parent; the caret goes after `}}` once it has rendered.
  useLayoutEffect(() => {
    const caret = pendingCaret.current;
    const element = inputRef.current ?? areaRef.current;
    if (caret === null || !element || element.value !== value) return;
    pendingCaret.current = null;
    element.setSelectionRange(caret, caret);
  }, [value]);

  const refresh = (element: Editable) => {
    const caret = element.selectionStart ?? element.value.length;
    const found = element.selectionEnd === caret ? templateSuggestions(element.value, caret, variables) : null;
    setOpen(found);
    setActive(0);
  };

  const choose = (name: string) => {
    if (!open) return;
    const result = insertSuggestion(value, open, name);
    pendingCaret.current = result.caret;
    setOpen(null);
    onChange(result.text);
  };

  const onKeyDown = (event: KeyboardEvent<Editable>) => {
    if (!showing) return;
    const chosen = names[active];
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const delta = event.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (a + delta + names.length) % names.length);
    } else if ((event.key === 'Enter' || event.key === 'Tab') && chosen !== undefined) {
      event.preventDefault();
      choose(chosen);
    } else if (event.key === 'Escape') {
      // Closes the list only; the inspector (or a dialog around it) should not also see this Escape.
      event.preventDefault();
      event.stopPropagation();
      setOpen(null);
    }
  };

  const onKeyUp = (event: KeyboardEvent<Editable>) => {
    if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) refresh(event.currentTarget);
  };

  const shared = {
    id,
    value,
    placeholder,
    readOnly,
    spellCheck: false,
    autoComplete: 'off',
    'aria-required': required,
    'aria-invalid': invalid,
    'aria-describedby': describedBy,
    'aria-autocomplete': 'list' as const,
    'aria-controls': showing ? listId : undefined,
    'aria-activedescendant': showing ? `${listId}-${active}` : undefined,
    className: `${INPUT} ${monospace ? 'font-mono text-xs' : ''}`,
    onKeyDown,
    onKeyUp,
    onClick: (event: SyntheticEvent<Editable>) => refresh(event.currentTarget),
    onBlur: () => setOpen(null),
  };

  return (
    <div className="relative">
      {multiline ? (
        <textarea
          {...shared}
          ref={areaRef}
          rows={monospace ? 6 : 3}
          onChange={(e) => {
            onChange(e.target.value);
            refresh(e.target);
          }}
        />
      ) : (
        <input
          {...shared}
          ref={inputRef}
          role="combobox"
          aria-expanded={showing}
          onChange={(e) => {
            onChange(e.target.value);
            refresh(e.target);
          }}
        />
      )}
      {showing && (
        <ul
          id={listId}
          role="listbox"
          aria-label="Variables"
          className="absolute left-0 z-20 mt-1 max-h-48 min-w-48 overflow-auto rounded-md bg-white py-1 text-sm shadow-lg ring-1 ring-slate-200"
        >
          {names.map((name, i) => (
            <li
              key={name}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              // mousedown, not click: a click would blur the input first and close the list.
              onMouseDown={(e) => {
                e.preventDefault();
                choose(name);
              }}
              onMouseEnter={() => setActive(i)}
              className={`cursor-pointer px-3 py-1 font-mono text-xs ${i === active ? 'bg-indigo-50 text-indigo-700' : 'text-slate-700'}`}
            >
              {name}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
