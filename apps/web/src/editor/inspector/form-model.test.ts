import { defaultRegistry } from '@signalbox/nodes';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  describeForm,
  emptyValueFor,
  fromKeyValueRows,
  getAt,
  insertSuggestion,
  itemField,
  itemTitle,
  joinPath,
  keyValuePaths,
  keyValueRows,
  KNOWN_OPTION_SOURCES,
  KNOWN_WIDGETS,
  moveItem,
  setAt,
  stringItemField,
  switchVariant,
  templateSuggestions,
  type FormField,
  type ListField,
  type ObjectField,
  type UnionField,
} from './form-model.ts';

function formOf(type: string): FormField {
  const definition = defaultRegistry.get(type);
  if (!definition) throw new Error(`no node type ${type}`);
  return describeForm(definition.config);
}

function configOf(type: string): z.ZodType {
  const definition = defaultRegistry.get(type);
  if (!definition) throw new Error(`no node type ${type}`);
  return definition.config;
}

/** Every field in a form, list items and union variants included. */
function allFields(field: FormField): FormField[] {
  switch (field.kind) {
    case 'object':
      return [field, ...field.fields.flatMap(allFields)];
    case 'union':
      return [field, ...field.variants.flatMap((v) => v.fields.flatMap(allFields))];
    case 'list':
      return [field, ...allFields(field.item)];
    case 'string-list':
      return [field, field.item];
    case 'key-value':
      return [field, field.key, field.value];
    default:
      return [field];
  }
}

function child(form: FormField, key: string): FormField {
  if (form.kind !== 'object') throw new Error(`expected an object, got ${form.kind}`);
  const found = form.fields.find((f) => f.path.at(-1) === key);
  if (!found) throw new Error(`no field ${key}`);
  return found;
}

function asList(field: FormField): ListField {
  if (field.kind !== 'list') throw new Error(`expected a list, got ${field.kind}`);
  return field;
}

function asUnion(field: FormField): UnionField {
  if (field.kind !== 'union') throw new Error(`expected a union, got ${field.kind}`);
  return field;
}

function asObject(field: FormField): ObjectField {
  if (field.kind !== 'object') throw new Error(`expected an object, got ${field.kind}`);
  return field;
}

const ids = () => {
  let n = 0;
  return () => `id${(n += 1)}`;
};

describe('describeForm over the node registry', () => {
  const types = [...defaultRegistry.keys()];

  it.each(types)('describes every field of %s without falling back to JSON text', (type) => {
    const form = formOf(type);
    expect(form.kind).toBe('object');
    const fallbacks = allFields(form).filter((f) => f.kind === 'json').map((f) => joinPath(f.path) || '(root)');
    expect(fallbacks).toEqual([]);
  });

  it.each(types)('labels every field of %s', (type) => {
    const unlabelled = allFields(formOf(type))
      .filter((f) => f.path.length > 0 && f.label.trim() === '')
      .map((f) => joinPath(f.path));
    expect(unlabelled).toEqual([]);
  });

  it('knows every widget and option source the node types use', () => {
    const used = { widget: new Set<unknown>(), optionsFrom: new Set<unknown>() };
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'widget' || key === 'optionsFrom') used[key].add(value);
          walk(value);
        }
      }
    };
    for (const definition of defaultRegistry.values()) walk(z.toJSONSchema(definition.config, { io: 'input', unrepresentable: 'any' }));
    expect(used.widget.size).toBeGreaterThan(0);
    expect([...used.widget].filter((w) => !KNOWN_WIDGETS.some((k) => k === w))).toEqual([]);
    expect([...used.optionsFrom]).toEqual([...KNOWN_OPTION_SOURCES]);
  });

  it("picks a sensitive-words node's lists from the workspace's word lists", () => {
    const field = allFields(formOf('sensitive-words')).find((f) => joinPath(f.path) === 'lists');
    expect(field).toMatchObject({ kind: 'multi-select', options: [], optionsFrom: 'word-lists', minItems: 1 });
  });

  it("offers a send-message's template from the workspace's templates", () => {
    const field = allFields(formOf('send-message')).find((f) => joinPath(f.path) === 'template');
    expect(field).toMatchObject({ kind: 'select', options: [], optionsFrom: 'message-templates', required: false });
    const hidden = allFields(formOf('send-message')).filter((f) => f.hiddenWhen === 'template').map((f) => joinPath(f.path));
    expect(hidden).toEqual(['text', 'buttons', 'quickReplies']);
  });

  it("suggests the workspace's intent names for a classify-intent node's intents, still typed freely", () => {
    const field = allFields(formOf('classify-intent')).find((f) => joinPath(f.path) === 'intents');
    expect(field).toMatchObject({ kind: 'string-list', optionsFrom: 'intents', minItems: 1 });
  });

  it('gives the same form object for the same schema', () => {
    expect(formOf('condition')).toBe(formOf('condition'));
  });
});

describe('condition form', () => {
  const branches = asList(child(formOf('condition'), 'branches'));
  const branch = asObject(branches.item);
  const rules = asList(child(branch, 'rules'));
  const rule = asUnion(rules.item);

  it('is a list of branches, each with a hidden generated id and a list of rules', () => {
    expect(branches).toMatchObject({ label: 'Branches', itemLabel: 'Branch', addLabel: 'Add branch', minItems: 1, titleKey: 'label', required: true });
    expect(child(branch, 'id')).toMatchObject({ kind: 'text', autoId: true, path: ['id'] });
    expect(rules).toMatchObject({ itemLabel: 'Rule', addLabel: 'Add rule', minItems: 1 });
  });

  it('offers each rule kind as a union variant switched on `kind`', () => {
    expect(rule.discriminator).toBe('kind');
    expect(rule.variants.map((v) => v.value)).toEqual(['text', 'channel', 'language', 'contact-attribute', 'variable', 'business-hours']);
    expect(rule.variants.map((v) => v.label)).toEqual(['Message text', 'Channel', 'Language', 'Contact attribute', 'Variable', 'Business hours']);
  });

  it('describes the fields of the variants: text list, weekdays, templates, enums with readable labels', () => {
    const fieldsOf = (value: string) => rule.variants.find((v) => v.value === value)?.fields ?? [];
    const byKey = (value: string, key: string) => fieldsOf(value).find((f) => f.path.at(-1) === key);
    expect(byKey('channel', 'values')).toMatchObject({ kind: 'string-list', itemLabel: 'Channel', minItems: 1 });
    expect(byKey('business-hours', 'days')).toMatchObject({
      kind: 'multi-select',
      default: ['mon', 'tue', 'wed', 'thu', 'fri'],
      required: false,
      options: [
        { value: 'mon', label: 'Mon' },
        { value: 'tue', label: 'Tue' },
        { value: 'wed', label: 'Wed' },
        { value: 'thu', label: 'Thu' },
        { value: 'fri', label: 'Fri' },
        { value: 'sat', label: 'Sat' },
        { value: 'sun', label: 'Sun' },
      ],
    });
    expect(byKey('variable', 'value')).toMatchObject({ kind: 'text', template: true, multiline: false, required: false, default: '' });
    expect(byKey('text', 'value')).toMatchObject({ kind: 'text', template: false, required: true });
    const op = byKey('contact-attribute', 'op');
    expect(op?.kind).toBe('select');
    expect(op?.kind === 'select' ? op.options : []).toContainEqual({ value: 'starts-with', label: 'Starts with' });
    expect(op?.kind === 'select' ? op.options : []).toContainEqual({ value: 'gt', label: 'Greater than' });
  });

  it('gives each rule field a path from the config root once the item is placed', () => {
    const placedBranch = asObject(itemField(branches, 2));
    const placedRules = asList(child(placedBranch, 'rules'));
    const placedRule = asUnion(itemField(placedRules, 0));
    const value = placedRule.variants.find((v) => v.value === 'text')?.fields.find((f) => f.path.at(-1) === 'value');
    expect(value && joinPath(value.path)).toBe('branches.2.rules.0.value');
    expect(joinPath(placedRules.path)).toBe('branches.2.rules');
  });

  it('makes a new branch that passes the branch schema once its label and rule value are filled', () => {
    const fresh = emptyValueFor(branches.item, ids());
    expect(fresh).toEqual({ id: 'id1', label: '', match: 'all', rules: [{ kind: 'text', op: 'contains', value: '', caseSensitive: false }] });
    const schema = configOf('condition');
    expect(schema.safeParse({ branches: [fresh] }).success).toBe(false);
    const filled = setAt(setAt(fresh, ['label'], 'Refunds'), ['rules', 0, 'value'], 'refund');
    expect(schema.safeParse({ branches: [filled] }).success).toBe(true);
  });

  it('keeps the comparison and value a variable rule shares with a contact-attribute rule when switching', () => {
    const current = { kind: 'variable', name: 'orderId', op: 'starts-with', value: 'A-' };
    expect(switchVariant(rule, current, 'contact-attribute', ids())).toEqual({ kind: 'contact-attribute', key: '', op: 'starts-with', value: 'A-' });
  });

  it('drops a shared field whose value the new variant does not allow', () => {
    const current = { kind: 'variable', name: 'n', op: 'gt', value: '3' };
    // `gt` is not a text rule's comparison, so the text rule starts from its first one.
    expect(switchVariant(rule, current, 'text', ids())).toEqual({ kind: 'text', op: 'contains', value: '3', caseSensitive: false });
  });

  it('titles a branch by its label, or by its position while unnamed', () => {
    expect(itemTitle(branches, { id: 'x', label: 'VIP' }, 0)).toBe('VIP');
    expect(itemTitle(branches, { id: 'x', label: '  ' }, 1)).toBe('Branch 2');
  });
});

describe('send-message form', () => {
  const form = formOf('send-message');

  it('edits the message as a multi-line template', () => {
    expect(child(form, 'text')).toMatchObject({ kind: 'text', label: 'Message', template: true, multiline: true, required: false, default: '' });
  });

  it('edits buttons as a list with visible ids and template titles', () => {
    const buttons = asList(child(form, 'buttons'));
    expect(buttons).toMatchObject({ addLabel: 'Add button', maxItems: 10, minItems: 0, default: [], titleKey: 'title' });
    const button = asObject(buttons.item);
    expect(child(button, 'id')).toMatchObject({ kind: 'text', autoId: false, required: true });
    expect(child(button, 'title')).toMatchObject({ kind: 'text', template: true, maxLength: 40 });
  });

  it('treats media as an optional object', () => {
    expect(child(form, 'media')).toMatchObject({ kind: 'object', required: false });
    expect(child(form, 'quickReplies')).toMatchObject({ kind: 'boolean', default: false });
  });

  it('starts a new node from the defaults', () => {
    expect(emptyValueFor(form, ids())).toEqual({ text: '', buttons: [], quickReplies: false });
  });
});

describe('other node forms', () => {
  it('reads numbers with their bounds and treats defaulted fields as optional', () => {
    expect(child(formOf('http-request'), 'timeoutMs')).toMatchObject({ kind: 'number', integer: true, min: 100, max: 60_000, default: 10_000, required: false });
    expect(child(formOf('delay'), 'seconds')).toMatchObject({ kind: 'number', min: 1, required: true });
    expect(child(formOf('http-request'), 'url')).toMatchObject({ kind: 'text', required: true, template: true });
  });

  it('labels enum options readably and keeps acronyms', () => {
    const method = child(formOf('http-request'), 'method');
    expect(method.kind === 'select' && method.options.map((o) => o.label)).toEqual(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
    const trigger = child(formOf('start'), 'trigger');
    expect(trigger.kind === 'select' && trigger.options).toEqual([
      { value: 'message', label: 'Any customer message' },
      { value: 'conversation-started', label: 'A new conversation' },
    ]);
  });

  it('edits HTTP headers as key-value rows stored as a name/value list', () => {
    const headers = child(formOf('http-request'), 'headers');
    if (headers.kind !== 'key-value') throw new Error(`headers are ${headers.kind}`);
    expect(headers.storage).toEqual({ kind: 'pairs', keyName: 'name', valueName: 'value' });
    expect(headers.value.template).toBe(true);
    const stored = [{ name: 'Authorization', value: 'Bearer {{token}}' }];
    const rows = keyValueRows(headers, stored);
    expect(rows).toEqual([{ key: 'Authorization', value: 'Bearer {{token}}' }]);
    expect(fromKeyValueRows(headers, [...rows, { key: 'Accept', value: 'application/json' }])).toEqual([...stored, { name: 'Accept', value: 'application/json' }]);
    expect(keyValuePaths(headers, 1, { key: 'Accept', value: '' }).key).toEqual(['headers', 1, 'name']);
  });

  it('edits a record of strings as key-value rows stored as an object', () => {
    const form = describeForm(z.object({ labels: z.record(z.string(), z.string()) }));
    const labels = child(form, 'labels');
    if (labels.kind !== 'key-value') throw new Error(`labels are ${labels.kind}`);
    expect(labels.storage).toEqual({ kind: 'record' });
    expect(fromKeyValueRows(labels, [{ key: 'a', value: '1' }])).toEqual({ a: '1' });
    expect(keyValueRows(labels, { a: '1' })).toEqual([{ key: 'a', value: '1' }]);
    expect(keyValuePaths(labels, 0, { key: 'a', value: '1' })).toEqual({ key: null, value: ['labels', 'a'] });
  });

  it('switches set assignments by target and keeps the name between variable and contact attribute', () => {
    const assignment = asUnion(asList(child(formOf('set'), 'assignments')).item);
    expect(assignment.discriminator).toBe('target');
    expect(switchVariant(assignment, { target: 'variable', name: 'plan', value: 'gold' }, 'contact-attribute', ids())).toEqual({
      target: 'contact-attribute',
      name: 'plan',
      value: 'gold',
    });
  });

  it('falls back to JSON text for what a form cannot show', () => {
    const form = describeForm(z.object({ when: z.tuple([z.string(), z.number()]), anything: z.unknown() }));
    expect(child(form, 'when').kind).toBe('json');
    expect(child(form, 'anything').kind).toBe('json');
  });

  it('labels string list entries by position', () => {
    const rules = asList(child(asObject(asList(child(formOf('condition'), 'branches')).item), 'rules'));
    const channel = asUnion(rules.item).variants.find((v) => v.value === 'channel')?.fields[0];
    if (channel?.kind !== 'string-list') throw new Error('channel values are not a string list');
    expect(stringItemField(channel, 1)).toMatchObject({ label: 'Channel 2', path: ['values', 1] });
  });
});

describe('getAt and setAt', () => {
  const value = { branches: [{ label: 'A', rules: [{ value: 'x' }] }, { label: 'B', rules: [] }], other: { n: 1 } };

  it('reads nested values and gives undefined for missing ones', () => {
    expect(getAt(value, ['branches', 0, 'rules', 0, 'value'])).toBe('x');
    expect(getAt(value, ['branches', 5, 'label'])).toBeUndefined();
    expect(getAt(value, ['other', 0])).toBeUndefined();
  });

  it('leaves the original untouched and shares what did not change', () => {
    const before = structuredClone(value);
    const next = setAt(value, ['branches', 0, 'rules', 0, 'value'], 'y');
    expect(value).toEqual(before);
    expect(getAt(next, ['branches', 0, 'rules', 0, 'value'])).toBe('y');
    expect(getAt(next, ['branches', 1])).toBe(value.branches[1]);
    expect(getAt(next, ['other'])).toBe(value.other);
    expect(getAt(next, ['branches'])).not.toBe(value.branches);
  });

  it('returns the same value when nothing changes', () => {
    expect(setAt(value, ['branches', 0, 'label'], 'A')).toBe(value);
  });

  it('creates missing containers and removes a key set to undefined', () => {
    expect(setAt({}, ['media', 'url'], 'u')).toEqual({ media: { url: 'u' } });
    expect(setAt({}, ['list', 1], 'b')).toEqual({ list: [undefined, 'b'] });
    const removed = setAt({ media: { url: 'u' }, text: '' }, ['media'], undefined);
    expect(removed).toEqual({ text: '' });
    expect(removed !== null && typeof removed === 'object' && 'media' in removed).toBe(false);
  });

  it('moves list items and ignores moves past either end', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moveItem(['a', 'b'], 1, 2)).toEqual(['a', 'b']);
  });
});

describe('templateSuggestions', () => {
  const variables = ['orderId', 'order.status', 'contact.name', 'lastOrder'];

  it('suggests names starting with what follows an unclosed {{, then names containing it', () => {
    const text = 'Hi {{ord';
    expect(templateSuggestions(text, text.length, variables)).toEqual({ query: 'ord', start: 5, end: 8, names: ['orderId', 'order.status', 'lastOrder'] });
  });

  it('suggests every name right after {{ and ignores case', () => {
    expect(templateSuggestions('{{', 2, variables)?.names).toEqual(variables);
    expect(templateSuggestions('{{ CONT', 7, variables)?.names).toEqual(['contact.name']);
  });

  it('suggests nothing outside a placeholder, after one is closed, or in its fallback', () => {
    expect(templateSuggestions('Hello there', 5, variables)).toBeNull();
    expect(templateSuggestions('{{orderId}} and', 15, variables)).toBeNull();
    expect(templateSuggestions('{{orderId | none', 16, variables)).toBeNull();
    expect(templateSuggestions('{{orderId now', 13, variables)).toBeNull();
  });

  it('replaces the whole typed name, even the part after the caret, and closes the placeholder', () => {
    const text = 'Order {{ordXX, thanks';
    const found = templateSuggestions(text, 11, variables);
    if (!found) throw new Error('no suggestions');
    expect(insertSuggestion(text, found, 'orderId')).toEqual({ text: 'Order {{orderId}}, thanks', caret: 17 });
  });

  it('does not add a second closing brace pair', () => {
    const text = 'Order {{or}} now';
    const found = templateSuggestions(text, 10, variables);
    if (!found) throw new Error('no suggestions');
    expect(insertSuggestion(text, found, 'orderId')).toEqual({ text: 'Order {{orderId}} now', caret: 17 });
  });
});
