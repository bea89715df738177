import { z } from 'zod';
import { NOT_CONFIGURED_MESSAGE, TranslationError } from './errors.ts';
import { compileGlossary, type Glossary } from './glossary.ts';
import { languageCodeSchema } from './languages.ts';
import { AUTO_SOURCE, createInMemoryTranslationMemory, sourceTextHash, tmKeyId, type TmEntry, type TmKey, type TmValue, type TranslationMemory } from './memory.ts';
import { MAX_TEXTS_PER_CALL, type TranslatedText, type TranslationProvider } from './provider.ts';

export const translateInputSchema = z.object({
  texts: z.array(z.string()).max(MAX_TEXTS_PER_CALL).readonly(),
  source: languageCodeSchema.optional(),
  target: languageCodeSchema,
});

export type TranslateInput = z.input<typeof translateInputSchema>;

export interface TranslatorResult extends TranslatedText {
  /** Served from the translation memory: nothing was sent to (or paid to) the provider for this text. */
  fromMemory: boolean;
}

export interface Translator {
  /** False when no provider is set: every `translate` then fails with kind `not_configured`. */
  readonly configured: boolean;
  readonly providerName: string | null;
  readonly glossary: Glossary;
  /** One result per text, in order. Memory first; the misses go to the provider in one call. */
  translate(input: TranslateInput, signal?: AbortSignal): Promise<TranslatorResult[]>;
}

export interface TranslatorOptions {
  /** Null or undefined: translation is not configured, and says so. */
  provider?: TranslationProvider | null;
  /** Defaults to a memory in the process (the embedded default); the runner passes the database's. */
  memory?: TranslationMemory;
  /** Terms never translated (brand and product names). */
  glossary?: readonly string[];
  /**
   * The memory is an optimisation: when it fails, translation goes on through the provider (a customer waiting
   * matters more than a repeated charge) and the failure is reported here.
   */
  onMemoryError?: (error: unknown, operation: 'get' | 'put') => void;
}

export function createTranslator(options: TranslatorOptions): Translator {
  const provider = options.provider ?? null;
  const memory = options.memory ?? createInMemoryTranslationMemory();
  const glossary = compileGlossary(options.glossary ?? []);
  const reportMemoryError = options.onMemoryError ?? (() => {});

  return {
    configured: provider !== null,
    providerName: provider?.name ?? null,
    glossary,
    async translate(input, signal) {
      if (provider === null) throw new TranslationError('not_configured', 'translator', NOT_CONFIGURED_MESSAGE);
      const parsed = translateInputSchema.safeParse(input);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`);
        throw new TranslationError('bad_request', 'translator', `invalid translation request: ${problems.join('; ')}`);
      }
      const { texts, source, target } = parsed.data;
      if (source === target) return texts.map((text) => ({ text, fromMemory: false }));

      const keys = texts.map((text): TmKey | null =>
        text.trim() ? { sourceHash: sourceTextHash(text), source: source ?? AUTO_SOURCE, target, glossaryVersion: glossary.version } : null,
      );
      const hits = await memoryGet(memory, keys, reportMemoryError);

      // Each distinct missing text is sent once, however often it repeats in the batch.
      const misses = new Map<string, { text: string; key: TmKey }>();
      keys.forEach((key, index) => {
        if (key === null) return;
        const id = tmKeyId(key);
        if (!hits.has(id) && !misses.has(id)) misses.set(id, { text: texts[index] ?? '', key });
      });

      const fresh = new Map<string, TranslatedText>();
      if (misses.size > 0) {
        const missList = [...misses.entries()];
        const translated = await provider.translate(
          { texts: missList.map(([, miss]) => miss.text), target, ...(source ? { source } : {}), glossary: glossary.terms },
          signal,
        );
        const entries: TmEntry[] = [];
        missList.forEach(([id, miss], i) => {
          const result = translated[i];
          if (!result) return;
          fresh.set(id, result);
          // A glossary fallback reads less naturally; leave it out so a later call can do better.
          if (!result.glossaryFallback) {
            entries.push({ key: miss.key, value: result.detectedSource ? { text: result.text, detectedSource: result.detectedSource } : { text: result.text }, provider: provider.name });
          }
        });
        if (entries.length > 0) {
          await memory.put(entries).catch((error: unknown) => reportMemoryError(error, 'put'));
        }
      }

      return texts.map((text, index): TranslatorResult => {
        const key = keys[index];
        if (!key) return { text, fromMemory: false };
        const id = tmKeyId(key);
        const hit = hits.get(id);
        if (hit) return { ...hit, fromMemory: true };
        const result = fresh.get(id);
        if (!result) throw new TranslationError('bad_response', provider.name, `no translation came back for text ${index + 1}`);
        return { ...result, fromMemory: false };
      });
    },
  };
}

async function memoryGet(
  memory: TranslationMemory,
  keys: readonly (TmKey | null)[],
  report: (error: unknown, operation: 'get') => void,
): Promise<Map<string, TmValue>> {
  const wanted = keys.filter((key): key is TmKey => key !== null);
  if (wanted.length === 0) return new Map();
  try {
    return await memory.get(wanted);
  } catch (error) {
    report(error, 'get');
    return new Map();
  }
}
