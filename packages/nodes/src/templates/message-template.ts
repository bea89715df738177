import { z } from 'zod';
import { Button, type OutboundMessage } from '../schemas/outbound.ts';
import { renderTemplate, templatePlaceholders, type Scope } from './template.ts';

/**
 * Message templates: reusable replies a workspace keeps outside its flows, with `{{variables}}` and one variant per
 * language. A send-message node names one; the variant in the conversation's language is sent, else the default.
 * On WhatsApp, a template registered with Meta is sent as a platform template (so it may open a conversation
 * outside the 24-hour window), its variables becoming the positional `{{1}}`, `{{2}}` parameters.
 */

/** Meta's rule for template names, kept for every template so one can be registered on WhatsApp later. */
export const TemplateName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(512, 'at most 512 characters')
  .regex(/^[a-z0-9_]+$/, 'lowercase letters, digits and _ only (WhatsApp requires it), such as order_shipped');

export const TemplateLanguage = z.string().regex(/^[a-z]{2}$/, 'a two-letter ISO 639-1 code, such as en or es');

/** WhatsApp's language codes are ISO 639-1, sometimes with a region: `en_US`, `pt_BR`, `zh_CN`. */
export const WhatsAppLanguage = z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a WhatsApp language code, such as en, en_US or pt_BR');

export const TemplateVariant = z.object({
  language: TemplateLanguage,
  text: z.string().trim().min(1, 'write the message').max(4096, 'at most 4096 characters (the longest WhatsApp accepts)'),
  buttons: z.array(Button.extend({ title: z.string().trim().min(1, 'required').max(40, 'at most 40 characters') })).max(10, 'at most 10 buttons').default([]),
  /** The code this variant is registered under on WhatsApp, when it differs from `language` (`en_US`). */
  whatsappLanguage: WhatsAppLanguage.optional(),
});
export type TemplateVariant = z.infer<typeof TemplateVariant>;

export const WHATSAPP_CATEGORIES = ['utility', 'marketing', 'authentication'] as const;

export const MessageTemplate = z
  .object({
    name: TemplateName,
    description: z.string().trim().max(500, 'at most 500 characters').default(''),
    /** The variant sent when none matches the conversation's language. */
    defaultLanguage: TemplateLanguage,
    variants: z.array(TemplateVariant).min(1, 'add at least one language').max(60, 'at most 60 languages'),
    /** Example values of the variables, for the editor's preview. */
    sampleData: z.record(z.string(), z.string().max(1000, 'at most 1000 characters')).default({}),
    /** Set when the template is registered (approved) with Meta under `name`; absent: sent as plain text everywhere. */
    whatsapp: z.object({ category: z.enum(WHATSAPP_CATEGORIES) }).nullable().default(null),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.variants.forEach((v, i) => {
      if (seen.has(v.language)) ctx.addIssue({ code: 'custom', path: ['variants', i, 'language'], message: `"${v.language}" has two variants` });
      seen.add(v.language);
    });
    if (!seen.has(t.defaultLanguage)) ctx.addIssue({ code: 'custom', path: ['defaultLanguage'], message: `there is no "${t.defaultLanguage}" variant` });
  });
export type MessageTemplate = z.infer<typeof MessageTemplate>;
export type MessageTemplateInput = z.input<typeof MessageTemplate>;

/** A stored template, as a flow sees it. */
export interface StoredTemplate extends MessageTemplate {
  id: string;
}

/** A workspace's templates, for the send-message node; null when the id names none (deleted, or another workspace's). */
export interface TemplateStore {
  get(id: string): Promise<StoredTemplate | null>;
}

/** The variant for `language` (the conversation's), else the default one. */
export function pickVariant(template: MessageTemplate, language: string | null | undefined): TemplateVariant {
  const exact = language ? template.variants.find((v) => v.language === language) : undefined;
  const fallback = template.variants.find((v) => v.language === template.defaultLanguage) ?? template.variants[0];
  if (!fallback) throw new Error(`template "${template.name}" has no variants`);
  return exact ?? fallback;
}

/** Each variable of a text with its first placeholder as written (fallback included), in order of first use. */
function firstPlaceholders(text: string): Map<string, string> {
  const first = new Map<string, string>();
  for (const { path, source } of templatePlaceholders(text)) if (!first.has(path)) first.set(path, source);
  return first;
}

/** The distinct `{{variables}}` of a text, in order of first use: WhatsApp's `{{1}}`, `{{2}}`. */
export function templateVariables(text: string): string[] {
  return [...firstPlaceholders(text).keys()];
}

/** The text as it is registered with Meta: each variable replaced by its position. */
export function whatsappBody(text: string): string {
  const order = templateVariables(text);
  let out = text;
  for (const { path, source } of templatePlaceholders(text)) out = out.replace(source, `{{${order.indexOf(path) + 1}}}`);
  return out;
}

/** The sample data as a scope: `{ "contact.name": "Ada" }` becomes `{ contact: { name: "Ada" } }`. */
export function sampleScope(sampleData: Readonly<Record<string, string>>): Scope {
  const scope: Scope = {};
  for (const [path, value] of Object.entries(sampleData)) {
    const keys = path.split('.');
    let at: Record<string, unknown> = scope;
    keys.slice(0, -1).forEach((key) => {
      const inner = at[key];
      at = typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : (at[key] = {});
    });
    at[keys.at(-1)!] = value;
  }
  return scope;
}

/**
 * The message a template sends in a conversation: `render` fills `{{variables}}` (the flow's, or sample data in the
 * editor). On WhatsApp a registered template goes as a platform template; the text is its fallback elsewhere.
 */
export function templateMessage(
  template: MessageTemplate,
  options: { language: string | null | undefined; channelType: string; render: (text: string) => string },
): OutboundMessage {
  const variant = pickVariant(template, options.language);
  const text = options.render(variant.text);
  if (template.whatsapp && options.channelType === 'whatsapp') {
    return {
      type: 'template',
      name: template.name,
      language: variant.whatsappLanguage ?? variant.language,
      // The first placeholder of each variable, with its fallback: `{{name | there}}` sends "there" for no name.
      parameters: [...firstPlaceholders(variant.text).values()].map((source) => options.render(source)),
      fallbackText: text,
    };
  }
  const buttons = variant.buttons.map((b) => ({ id: b.id, title: options.render(b.title) }));
  return { type: 'text', text, buttons, quickReplies: false };
}

/** The editor's preview: the template rendered on its own sample data. */
export function previewTemplate(template: MessageTemplate, language: string, channelType = 'webchat'): OutboundMessage {
  const scope = sampleScope(template.sampleData);
  return templateMessage(template, { language, channelType, render: (text) => renderTemplate(text, scope) });
}
