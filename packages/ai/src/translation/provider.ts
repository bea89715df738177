import { z } from 'zod';
import { TranslationError } from './errors.ts';
import { compileGlossary, protectTerms, restoreTerms, splitAtTerms, type Glossary, type GlossaryMarkup, type OutputDecoding } from './glossary.ts';
import { languageCodeSchema } from './languages.ts';

/** More texts than this in one call is a caller bug (a whole inbox), not a translation. */
export const MAX_TEXTS_PER_CALL = 1000;

export const translationRequestSchema = z.object({
  texts: z.array(z.string()).max(MAX_TEXTS_PER_CALL).readonly(),
  /** Undefined: the provider detects the language of each text. */
  source: languageCodeSchema.optional(),
  target: languageCodeSchema,
  /** Terms never translated (brand and product names), matched case-insensitively as whole words. */
  glossary: z.array(z.string()).readonly().optional(),
});

export type TranslationRequest = z.input<typeof translationRequestSchema>;
export type ParsedTranslationRequest = z.output<typeof translationRequestSchema>;

export interface TranslatedText {
  text: string;
  /** The language the provider found, as an ISO 639-1 code, when the request left `source` out. */
  detectedSource?: string;
  /**
   * The provider did not keep a glossary term's markup, so the text was translated in pieces around the
   * terms: the terms are intact, the sentence may read less naturally.
   */
  glossaryFallback?: true;
}

/** One result per requested text, in the same order. */
export type TranslationResult = TranslatedText[];

export interface TranslationProvider {
  /** `openai`, `deepl`, `libretranslate`, `google`: stored with memory entries and shown in traces. */
  readonly name: string;
  translate(request: TranslationRequest, signal?: AbortSignal): Promise<TranslationResult>;
}

/** One request's worth of texts for a provider's HTTP API. */
export interface TransportBatch {
  texts: string[];
  source?: string;
  target: string;
  /** The texts carry glossary markup (see `ProviderTransport.glossaryMarkup`) and are escaped accordingly. */
  marked: boolean;
}

export interface TransportResult {
  text: string;
  detectedSource?: string;
}

/** What each provider implements: its API call, its limits, and how it is told to leave a term alone. */
export interface ProviderTransport {
  name: string;
  /** Texts per request (DeepL: 50, Google: 128). */
  maxBatch: number;
  /** Characters per request, so a batch stays under the provider's body limit. */
  maxChars: number;
  glossaryMarkup: GlossaryMarkup;
  /** How marked output must be decoded outside the terms (LibreTranslate already unescapes its HTML output). */
  markedOutput: OutputDecoding;
  /** Sends one batch (already within the limits) with retries; returns one result per text, in order. */
  send(batch: TransportBatch, signal?: AbortSignal): Promise<TransportResult[]>;
}

/** Validates a request at the provider's edge; a bad one is a typed `bad_request` naming the field. */
export function parseTranslationRequest(provider: string, request: TranslationRequest): ParsedTranslationRequest {
  const parsed = translationRequestSchema.safeParse(request);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`);
  throw new TranslationError('bad_request', provider, `invalid translation request: ${problems.join('; ')}`);
}

/**
 * Turns a transport into a provider: validation, glossary protection and restoration, batching within the
 * provider's limits, and the fallback for texts whose glossary markup did not survive.
 */
export function createProvider(transport: ProviderTransport): TranslationProvider {
  let glossaryCache: { key: string; glossary: Glossary } | undefined;
  const glossaryFor = (terms: readonly string[]): Glossary => {
    const key = JSON.stringify(terms);
    if (glossaryCache?.key !== key) glossaryCache = { key, glossary: compileGlossary(terms) };
    return glossaryCache.glossary;
  };

  return {
    name: transport.name,
    async translate(request, signal) {
      const { texts, source, target, glossary: terms } = parseTranslationRequest(transport.name, request);
      const glossary = glossaryFor(terms ?? []);
      const results: (TranslatedText | undefined)[] = texts.map((text) => (text.trim() ? undefined : { text }));

      const plain: number[] = [];
      const marked: { index: number; originals: string[]; text: string }[] = [];
      texts.forEach((text, index) => {
        if (results[index]) return;
        const spans = glossary.find(text);
        if (spans.length === 0) plain.push(index);
        else marked.push({ index, ...protectTerms(text, spans, transport.glossaryMarkup) });
      });

      const base = { target, ...(source ? { source } : {}) };
      const [plainOut, markedOut] = await Promise.all([
        sendInBatches(transport, { ...base, texts: plain.map((index) => texts[index] ?? ''), marked: false }, signal),
        sendInBatches(transport, { ...base, texts: marked.map((item) => item.text), marked: true }, signal),
      ]);
      plain.forEach((index, i) => (results[index] = withDetected(plainOut[i])));

      const mangled: number[] = [];
      marked.forEach((item, i) => {
        const out = markedOut[i];
        const restored = restoreTerms(out?.text ?? '', item.originals, transport.markedOutput);
        if (restored.ok) results[item.index] = withDetected({ ...out, text: restored.text });
        else mangled.push(item.index);
      });
      if (mangled.length > 0) {
        const rebuilt = await translateAroundTerms(transport, glossary, mangled.map((index) => texts[index] ?? ''), base, signal);
        mangled.forEach((index, i) => {
          const item = rebuilt[i];
          results[index] = item?.detectedSource
            ? { text: item.text, detectedSource: item.detectedSource, glossaryFallback: true }
            : { text: item?.text ?? '', glossaryFallback: true };
        });
      }
      return results.map((result, index) => result ?? { text: texts[index] ?? '' });
    },
  };
}

function withDetected(result: TransportResult | undefined): TranslatedText {
  if (!result) return { text: '' };
  return result.detectedSource ? { text: result.text, detectedSource: result.detectedSource } : { text: result.text };
}

/** Splits a batch to the transport's limits and sends the parts one after another (kinder to rate limits). */
async function sendInBatches(transport: ProviderTransport, batch: TransportBatch, signal?: AbortSignal): Promise<TransportResult[]> {
  const out: TransportResult[] = [];
  let chunk: string[] = [];
  let chars = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    const answer = await transport.send({ ...batch, texts: chunk }, signal);
    if (answer.length !== chunk.length) {
      throw new TranslationError('bad_response', transport.name, `answered ${answer.length} translations for ${chunk.length} texts`);
    }
    out.push(...answer);
    chunk = [];
    chars = 0;
  };
  for (const text of batch.texts) {
    if (chunk.length >= transport.maxBatch || (chunk.length > 0 && chars + text.length > transport.maxChars)) await flush();
    chunk.push(text);
    chars += text.length;
  }
  await flush();
  return out;
}

/**
 * The fallback when a provider dropped or rewrote a term's markup: translate the stretches between the terms
 * on their own (no markup to lose) and put the terms back between them verbatim.
 */
async function translateAroundTerms(
  transport: ProviderTransport,
  glossary: Glossary,
  texts: string[],
  base: { source?: string; target: string },
  signal?: AbortSignal,
): Promise<TransportResult[]> {
  const split = texts.map((text) => splitAtTerms(text, glossary.find(text)));
  const toSend: string[] = [];
  for (const pieces of split) {
    for (const piece of pieces) if (!piece.term && /[\p{L}\p{N}]/u.test(piece.text)) toSend.push(piece.text.trim());
  }
  const translated = await sendInBatches(transport, { ...base, texts: toSend, marked: false }, signal);
  let next = 0;
  return split.map((pieces) => {
    let detectedSource: string | undefined;
    const text = pieces
      .map((piece) => {
        if (piece.term || !/[\p{L}\p{N}]/u.test(piece.text)) return piece.text;
        const leading = /^\s*/u.exec(piece.text)?.[0] ?? '';
        const trailing = /\s*$/u.exec(piece.text)?.[0] ?? '';
        const out = translated[next++];
        detectedSource ??= out?.detectedSource;
        return `${leading}${out?.text ?? ''}${trailing}`;
      })
      .join('');
    return detectedSource ? { text, detectedSource } : { text };
  });
}
