import { templateVariables, type MessageTemplateInput, type StoredTemplate, type WHATSAPP_CATEGORIES } from '@signalbox/nodes';

/**
 * The template editor's form state: every input as typed, so an invalid value is kept (and shown with its error)
 * instead of lost. `inputOf` turns it into what the server validates.
 */
export interface VariantDraft {
  language: string;
  text: string;
  buttons: { id: string; title: string }[];
  /** '' when WhatsApp knows the variant by its plain language code. */
  whatsappLanguage: string;
}

export type WhatsAppCategory = (typeof WHATSAPP_CATEGORIES)[number];

export interface TemplateDraft {
  name: string;
  description: string;
  defaultLanguage: string;
  variants: VariantDraft[];
  sampleData: Record<string, string>;
  whatsapp: boolean;
  category: WhatsAppCategory;
}

/** Languages people add variants in, most asked for first; any ISO 639-1 code is accepted by the server. */
export const TEMPLATE_LANGUAGES = [
  'en', 'es', 'pt', 'fr', 'de', 'it', 'nl', 'zh', 'ja', 'ko', 'ar', 'ru', 'tr', 'pl', 'uk', 'id', 'ms', 'th', 'vi', 'hi',
  'bn', 'ur', 'fa', 'he', 'el', 'sv', 'da', 'no', 'fi', 'cs', 'sk', 'hu', 'ro', 'bg', 'hr', 'sr', 'tl', 'sw',
] as const;

export function newDraft(language = 'en'): TemplateDraft {
  return { name: '', description: '', defaultLanguage: language, variants: [{ language, text: '', buttons: [], whatsappLanguage: '' }], sampleData: {}, whatsapp: false, category: 'utility' };
}

export function draftOf(template: StoredTemplate): TemplateDraft {
  return {
    name: template.name,
    description: template.description,
    defaultLanguage: template.defaultLanguage,
    variants: template.variants.map((v) => ({ language: v.language, text: v.text, buttons: v.buttons.map((b) => ({ ...b })), whatsappLanguage: v.whatsappLanguage ?? '' })),
    sampleData: { ...template.sampleData },
    whatsapp: template.whatsapp !== null,
    category: template.whatsapp?.category ?? 'utility',
  };
}

/** Every variable any variant uses, in order of first use. */
export function draftVariables(draft: TemplateDraft): string[] {
  return [...new Set(draft.variants.flatMap((v) => [...templateVariables(v.text), ...v.buttons.flatMap((b) => templateVariables(b.title))]))];
}

/** What the server validates; sample values of variables no variant uses any more are left out. */
export function inputOf(draft: TemplateDraft): MessageTemplateInput {
  const used = new Set(draftVariables(draft));
  return {
    name: draft.name,
    description: draft.description,
    defaultLanguage: draft.defaultLanguage,
    variants: draft.variants.map((v) => ({ language: v.language, text: v.text, buttons: v.buttons, ...(v.whatsappLanguage.trim() === '' ? {} : { whatsappLanguage: v.whatsappLanguage.trim() }) })),
    sampleData: Object.fromEntries(Object.entries(draft.sampleData).filter(([key]) => used.has(key))),
    whatsapp: draft.whatsapp ? { category: draft.category } : null,
  };
}

/** Whether two drafts would save the same template (unsaved-changes check). */
export function sameDraft(a: TemplateDraft, b: TemplateDraft): boolean {
  return JSON.stringify(inputOf(a)) === JSON.stringify(inputOf(b));
}
