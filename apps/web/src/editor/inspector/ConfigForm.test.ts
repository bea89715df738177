import { defaultRegistry } from '@signalbox/nodes';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ConfigForm } from './ConfigForm.tsx';
import { fieldId } from './form-context.tsx';
import { describeForm, emptyValueFor, fromKeyValueRows, setAt, type FormField } from './form-model.ts';

/** A value that shows every part of a form: one item in each list, optional objects present, variant `v` of unions. */
function fullValue(field: FormField, v: number): unknown {
  const newId = () => 'p1';
  switch (field.kind) {
    case 'list':
      return [fullValue(field.item, v)];
    case 'string-list':
      return ['x'];
    case 'key-value':
      return fromKeyValueRows(field, [{ key: 'k', value: 'v' }]);
    case 'object':
      return Object.fromEntries(field.fields.map((f) => [f.path.at(-1), fullValue(f, v)]));
    case 'union': {
      const variant = field.variants[Math.min(v, field.variants.length - 1)];
      if (!variant) return {};
      return { [field.discriminator]: variant.value, ...Object.fromEntries(variant.fields.map((f) => [f.path.at(-1), fullValue(f, v)])) };
    }
    default:
      return emptyValueFor(field, newId);
  }
}

function render(form: FormField, value: unknown, errors = new Map<string, string>()): string {
  return renderToStaticMarkup(createElement(ConfigForm, { form, value, onChange: () => {}, errors, variables: ['orderId'] }));
}

type Tag = { name: string; attrs: Map<string, string> };

/** The form controls and labels of rendered markup; our own markup, so a small tag reader is enough. */
function tags(html: string): Tag[] {
  return [...html.matchAll(/<(input|select|textarea|label|p|li|fieldset)\b([^>]*)>/g)].map((m) => ({
    name: m[1] ?? '',
    attrs: new Map([...(m[2] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1] ?? '', a[2] ?? ''])),
  }));
}

function formFor(type: string): FormField {
  const definition = defaultRegistry.get(type);
  if (!definition) throw new Error(`no node type ${type}`);
  return describeForm(definition.config);
}

const forms = [...defaultRegistry.values()].map((d) => [d.type, describeForm(d.config)] as const);

describe('ConfigForm markup', () => {
  it.each(forms)('gives every input of %s a label of its own, in every union variant', (_type, form) => {
    if (form.kind === 'object' && form.fields.length === 0) {
      expect(render(form, {})).toContain('This node has no settings.');
      return;
    }
    for (let v = 0; v < 6; v += 1) {
      const all = tags(render(form, fullValue(form, v)));
      const labelled = new Set(all.filter((t) => t.name === 'label').map((t) => t.attrs.get('for')));
      const controls = all.filter((t) => ['input', 'select', 'textarea'].includes(t.name));
      expect(controls.length).toBeGreaterThan(0);
      const unlabelled = controls.filter((t) => !labelled.has(t.attrs.get('id'))).map((t) => t.attrs.get('id') ?? `(${t.name} without id)`);
      expect(unlabelled).toEqual([]);
      const ids = controls.map((t) => t.attrs.get('id'));
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('puts a validator message under its field, tied to the input for assistive technology', () => {
    const form = formFor('condition');
    const value = fullValue(form, 0);
    const html = render(form, value, new Map([['branches.0.rules.0.value', 'Too short']]));
    const id = fieldId('cfg', ['branches', 0, 'rules', 0, 'value']);
    const input = tags(html).find((t) => t.attrs.get('id') === id);
    expect(input?.attrs.get('aria-invalid')).toBe('true');
    expect(input?.attrs.get('aria-describedby')?.split(' ')).toContain(`${id}-error`);
    expect(html).toContain(`<p id="${id}-error" class="text-xs text-red-600">Too short</p>`);
  });

  it('shows the error of a hidden generated id on its item', () => {
    const form = formFor('condition');
    const html = render(form, fullValue(form, 0), new Map([['branches.0.id', 'reserved port id']]));
    expect(html).not.toContain(`id="${fieldId('cfg', ['branches', 0, 'id'])}"`);
    expect(html).toContain('Id: reserved port id');
  });

  it('offers adding an optional object that is absent, and shows its fields once present', () => {
    const form = formFor('send-message');
    const without = render(form, { text: 'Hi' });
    expect(without).toContain('Add media');
    expect(without).not.toContain(`id="${fieldId('cfg', ['media', 'url'])}"`);
    const withMedia = render(form, setAt({ text: 'Hi' }, ['media'], { type: 'image', url: 'https://x' }));
    expect(withMedia).toContain(`id="${fieldId('cfg', ['media', 'url'])}"`);
  });

  it('hides editing controls when read-only', () => {
    const form = formFor('condition');
    const html = renderToStaticMarkup(createElement(ConfigForm, { form, value: fullValue(form, 0), onChange: () => {}, errors: new Map(), variables: [], readOnly: true }));
    expect(html).not.toContain('Add branch');
    expect(html).not.toContain('Remove branch 1');
    expect(html).toContain('readOnly=""');
  });
});
