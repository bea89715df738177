import { isSupportedLanguage, SUPPORTED_LANGUAGES } from '@signalbox/ai';
import { z } from 'zod';

/** Inputs several routers share, with the messages their forms show under the field. */

/** zod's message for a missing value: "required", instead of a type error. */
export const required = (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : undefined);

/** A record's id. */
export const Id = z.string({ error: required }).trim().min(1, 'required').max(100);

/** A language the detector knows (an ISO 639-1 code, any case). */
export const SupportedLanguage = z
  .string({ error: required })
  .trim()
  .toLowerCase()
  .refine(isSupportedLanguage, { error: (issue) => `"${String(issue.input)}" is not a supported language (${SUPPORTED_LANGUAGES.map((l) => l.code).join(', ')})` });
