/**
 * UI hints for node config fields. A node file attaches them with zod's `.meta(hint({ ... }))`; they live in
 * `z.globalRegistry`, change nothing about parsing, and `z.toJSONSchema` copies them into the JSON Schema the
 * editor builds its form from. Zod-free on purpose: the editor reads them back out of plain JSON Schema.
 */

/**
 * How the editor should present a field when its type alone is not enough:
 * - `template`: a one-line string that may contain `{{variables}}` (the editor suggests names).
 * - `template-multiline`: the same, several lines (messages, notes).
 * - `code`: several lines of monospace text, such as a JSON body; `{{variables}}` allowed.
 * - `auto-id`: an id the editor generates and hides (ports such as condition branches). Ids people must
 *   type or match against (button ids) are not auto-ids.
 * - `key-value`: a record of strings, or a list of two-string objects (`{ name, value }`), edited as rows.
 */
export const WIDGETS = ['template', 'template-multiline', 'code', 'auto-id', 'key-value'] as const;
export type Widget = (typeof WIDGETS)[number];

export const OPTION_SOURCES = ['message-templates', 'intents', 'word-lists'] as const;
export type OptionsSource = (typeof OPTION_SOURCES)[number];

// A type alias, not an interface: zod's `.meta()` takes an index-signature type, which interfaces do not satisfy.
export type FieldHints = {
  /** The field's label, e.g. 'Message'. Without it the editor humanizes the key. */
  title?: string;
  /** One short helpful sentence shown under the field. */
  description?: string;
  widget?: Widget;
  /** Example text shown in an empty input. */
  placeholder?: string;
  /** For a list: what one item is called, capitalized ('Branch'), for "Add branch" and "Branch 2". */
  itemLabel?: string;
  /**
   * A string whose choices are the workspace's own records, which the node file cannot list: the editor offers
   * them in a select (`message-templates`: a template's id, shown by its name). On a list of strings they are
   * suggestions and any other value may be typed (`intents`: the workspace's intent names), except for
   * `word-lists`, whose ids are chosen from a list.
   */
  optionsFrom?: OptionsSource;
  /** Hidden in the form while this sibling field has a value (a message's text while a template is chosen). */
  hiddenWhen?: string;
  /** For an enum: labels of values the humanized value reads badly for (`{ gt: 'Greater than' }`). */
  optionLabels?: Readonly<Record<string, string>>;
};

/** Typed metadata for `.meta()`: `.meta(hint({ title: 'Message', widget: 'template-multiline' }))`. */
export function hint(hints: FieldHints): FieldHints {
  return hints;
}
