import { describe, expect, it } from 'vitest';
import { MessageTemplate, pickVariant, previewTemplate, sampleScope, templateVariables, whatsappBody } from './message-template.ts';

const template = MessageTemplate.parse({
  name: 'order_shipped',
  defaultLanguage: 'en',
  variants: [
    { language: 'en', text: 'Hi {{contact.name | there}}, order {{orderId}} ships {{when}}. Track {{orderId}}.' },
    { language: 'es', text: 'Hola {{contact.name}}, el pedido {{orderId}} sale {{when}}.', buttons: [{ id: 'track', title: 'Seguir {{orderId}}' }] },
  ],
  sampleData: { 'contact.name': 'Ada', orderId: 'A-77', when: 'today' },
});

const problems = (input: unknown) => {
  const parsed = MessageTemplate.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('message templates', () => {
  it('picks the variant in the language asked for, else the default one', () => {
    expect(pickVariant(template, 'es').language).toBe('es');
    expect(pickVariant(template, 'ja').language).toBe('en');
    expect(pickVariant(template, null).language).toBe('en');
  });

  it('lists variables once, in order of first use, and numbers them for WhatsApp', () => {
    expect(templateVariables(template.variants[0]!.text)).toEqual(['contact.name', 'orderId', 'when']);
    expect(whatsappBody(template.variants[0]!.text)).toBe('Hi {{1}}, order {{2}} ships {{3}}. Track {{2}}.');
  });

  it('previews a variant on its sample data, dotted names included', () => {
    expect(sampleScope({ 'contact.name': 'Ada', orderId: 'A-1' })).toEqual({ contact: { name: 'Ada' }, orderId: 'A-1' });
    expect(previewTemplate(template, 'es')).toEqual({
      type: 'text',
      text: 'Hola Ada, el pedido A-77 sale today.',
      buttons: [{ id: 'track', title: 'Seguir A-77' }],
      quickReplies: false,
    });
    expect(previewTemplate({ ...template, sampleData: {} }, 'en')).toMatchObject({ text: 'Hi there, order  ships . Track .' });
  });

  it('refuses what WhatsApp or a flow could not use, naming the field', () => {
    expect(problems({ name: 'Order Shipped', defaultLanguage: 'en', variants: [{ language: 'en', text: 'x' }] })).toEqual([
      'name: lowercase letters, digits and _ only (WhatsApp requires it), such as order_shipped',
    ]);
    expect(problems({ name: 'a', defaultLanguage: 'de', variants: [{ language: 'en', text: 'x' }, { language: 'en', text: 'y' }] })).toEqual([
      'variants.1.language: "en" has two variants',
      'defaultLanguage: there is no "de" variant',
    ]);
    expect(problems({ name: 'a', defaultLanguage: 'en', variants: [] })).toContain('variants: add at least one language');
    expect(problems({ name: 'a', defaultLanguage: 'en', variants: [{ language: 'english', text: ' ' }] })).toEqual([
      'variants.0.language: a two-letter ISO 639-1 code, such as en or es',
      'variants.0.text: write the message',
      'defaultLanguage: there is no "en" variant',
    ]);
    expect(problems({ name: 'a', defaultLanguage: 'en', variants: [{ language: 'en', text: 'x', whatsappLanguage: 'en-us' }], whatsapp: { category: 'promo' } })).toHaveLength(2);
  });
});
