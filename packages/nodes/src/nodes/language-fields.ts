import { z } from 'zod';
import { hint } from './hints.ts';

/** An ISO 639-1 code, as language detection, conditions and translation speak them. */
export const LanguageCode = z
  .string()
  .regex(/^[a-z]{2}$/, 'a two-letter ISO 639-1 code, such as en or es')
  .meta(hint({ title: 'Language', placeholder: 'en' }));

/** The text a language node reads: the customer's message unless the flow says otherwise. */
export const InputText = z
  .string()
  .default('{{message.text}}')
  .meta(hint({ title: 'Text', widget: 'template', description: "What to read; the customer's message by default." }));

export const Confidence = z.number().min(0).max(1);
