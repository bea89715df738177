// Translation plumbing measured on real customer messages (Banking77, which names card and wallet brands) sent
// through each provider's local fake server: how many brand-name occurrences survive translation verbatim (with a
// well-behaved provider, and with one that loses the glossary markup), how often the memory spares a provider
// call, and latency per call. The fakes stand in for the providers, so latency is our overhead plus a local HTTP
// round trip, not the providers' own. Run: npx tsx packages/ai/eval/translation.ts
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { startFakeDeepL, startFakeGoogleTranslate, startFakeLibreTranslate, startFakeOpenAi, type FakeEngineOptions, type FakeServer } from '../src/testing/index.ts';
import { createInMemoryTranslationMemory, createTranslationProvider, createTranslator, parseTranslationSettings, type TranslationProvider } from '../src/translation/index.ts';
import { printWhenRunDirectly } from './datasets.ts';

/** Payment brands Banking77 customers name, and the clothing brands of the ABCD store. */
export const EVAL_GLOSSARY = ['Visa', 'Mastercard', 'Apple Pay', 'Google Pay', 'PayPal', 'Calvin Klein', 'Michael Kors', 'Tommy Hilfiger'];
const MESSAGES = 600;

export interface Latency {
  p50: number;
  p99: number;
}

export interface GlossaryScore {
  /** Brand occurrences in the sources whose spelling the fake's translation would visibly change. */
  occurrences: number;
  /** Of those, found verbatim in the translation. */
  kept: number;
  keptRate: number;
  /** Texts translated around the terms because the markup was lost. */
  fallbackTexts: number;
}

export interface ProviderReport {
  provider: string;
  calls: number;
  latencyMs: Latency;
  glossary: GlossaryScore;
  /** The same, against a fake provider that drops the "do not translate" markup. */
  glossaryWhenMarkupIsLost: GlossaryScore;
}

export interface TranslationReport {
  dataset: string;
  messages: number;
  messagesNamingABrand: number;
  glossary: string[];
  /** The same messages through DeepL's fake with no glossary: shows the score can fail (brands get translated). */
  withoutGlossary: GlossaryScore;
  providers: ProviderReport[];
  memory: {
    /** Provider requests on a first pass over the messages, one message per call. */
    firstPassRequests: number;
    /** Provider requests when the same messages come again: the memory should answer them all. */
    secondPassRequests: number;
    secondPassHitRate: number;
    hitLatencyMs: Latency;
  };
}

const fakes: { name: string; start: (options: FakeEngineOptions) => Promise<FakeServer>; settings: (url: string) => Record<string, unknown> }[] = [
  { name: 'deepl', start: (o) => startFakeDeepL({ ...o, apiKey: 'eval:fx' }), settings: (url) => ({ provider: 'deepl', apiKey: 'eval:fx', baseUrl: url }) },
  { name: 'google', start: (o) => startFakeGoogleTranslate({ ...o, apiKey: 'eval' }), settings: (url) => ({ provider: 'google', apiKey: 'eval', baseUrl: url }) },
  { name: 'libretranslate', start: (o) => startFakeLibreTranslate(o), settings: (url) => ({ provider: 'libretranslate', baseUrl: url }) },
  { name: 'openai', start: (o) => startFakeOpenAi({ ...o, apiKey: 'eval' }), settings: (url) => ({ provider: 'openai', apiKey: 'eval', baseUrl: url }) },
];

function providerFor(settings: Record<string, unknown>): TranslationProvider {
  const parsed = parseTranslationSettings(settings);
  if (!parsed.ok) throw new Error(`bad eval settings: ${JSON.stringify(parsed.problems)}`);
  return createTranslationProvider(parsed.settings);
}

/**
 * Brand occurrences found by a plain ASCII word-boundary search, independent of the glossary matcher under test.
 * Occurrences already in upper case are left out: the fake upper-cases what it translates, so their survival
 * would prove nothing.
 */
function brandOccurrences(text: string): string[] {
  const found: string[] = [];
  for (const term of EVAL_GLOSSARY) {
    const pattern = new RegExp(`\\b${term.replace(/ /g, '\\s+')}\\b`, 'gi');
    for (const match of text.matchAll(pattern)) if (match[0] !== match[0].toUpperCase()) found.push(match[0]);
  }
  return found;
}

function countOf(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 1000) / 1000;
}

const latency = (samples: number[]): Latency => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

async function scoreGlossary(provider: TranslationProvider, messages: string[], timings?: number[], glossary = EVAL_GLOSSARY): Promise<GlossaryScore> {
  const translator = createTranslator({ provider, glossary });
  let occurrences = 0;
  let kept = 0;
  let fallbackTexts = 0;
  for (const message of messages) {
    const started = performance.now();
    const [result] = await translator.translate({ texts: [message], source: 'en', target: 'es' });
    timings?.push(performance.now() - started);
    if (result?.glossaryFallback) fallbackTexts++;
    const wanted = new Map<string, number>();
    for (const occurrence of brandOccurrences(message)) wanted.set(occurrence, (wanted.get(occurrence) ?? 0) + 1);
    for (const [occurrence, count] of wanted) {
      occurrences += count;
      kept += Math.min(count, countOf(result?.text ?? '', occurrence));
    }
  }
  return { occurrences, kept, keptRate: occurrences === 0 ? 1 : Math.round((kept / occurrences) * 10_000) / 10_000, fallbackTexts };
}

export async function evaluateTranslation(datasets: string): Promise<TranslationReport> {
  const csv = await readFile(path.join(datasets, 'intents/banking77/train.csv'), 'utf8');
  const rows: { text: string }[] = parse(csv, { columns: true, skip_empty_lines: true });
  const all = rows.map((row) => row.text).filter((text) => text.trim() !== '');
  const naming = all.filter((text) => brandOccurrences(text).length > 0);
  const others = all.filter((text) => brandOccurrences(text).length === 0);
  // Every message naming a brand, topped up with the first others, so the score rests on real brand mentions.
  const messages = [...naming, ...others].slice(0, Math.max(MESSAGES, naming.length));

  const providers: ProviderReport[] = [];
  let withoutGlossary: GlossaryScore | undefined;
  for (const fake of fakes) {
    const good = await fake.start({});
    const lossy = await fake.start({ dropProtectedMarkup: true });
    try {
      const timings: number[] = [];
      const glossary = await scoreGlossary(providerFor(fake.settings(good.url)), messages, timings);
      const glossaryWhenMarkupIsLost = await scoreGlossary(providerFor(fake.settings(lossy.url)), messages);
      withoutGlossary ??= await scoreGlossary(providerFor(fake.settings(good.url)), messages, undefined, []);
      providers.push({ provider: fake.name, calls: timings.length, latencyMs: latency(timings), glossary, glossaryWhenMarkupIsLost });
    } finally {
      await good.close();
      await lossy.close();
    }
  }

  const server = await startFakeDeepL({ apiKey: 'eval:fx' });
  try {
    const translator = createTranslator({
      provider: providerFor({ provider: 'deepl', apiKey: 'eval:fx', baseUrl: server.url }),
      memory: createInMemoryTranslationMemory({ maxEntries: 100_000 }),
      glossary: EVAL_GLOSSARY,
    });
    for (const message of messages) await translator.translate({ texts: [message], source: 'en', target: 'de' });
    const firstPassRequests = server.requests.length;
    server.reset();
    const hitTimings: number[] = [];
    let hits = 0;
    for (const message of messages) {
      const started = performance.now();
      const [result] = await translator.translate({ texts: [message], source: 'en', target: 'de' });
      hitTimings.push(performance.now() - started);
      if (result?.fromMemory) hits++;
    }
    return {
      dataset: 'intents/banking77/train.csv',
      messages: messages.length,
      messagesNamingABrand: naming.length,
      glossary: EVAL_GLOSSARY,
      withoutGlossary: withoutGlossary ?? { occurrences: 0, kept: 0, keptRate: 0, fallbackTexts: 0 },
      providers,
      memory: {
        firstPassRequests,
        secondPassRequests: server.requests.length,
        secondPassHitRate: Math.round((hits / messages.length) * 10_000) / 10_000,
        hitLatencyMs: latency(hitTimings),
      },
    };
  } finally {
    await server.close();
  }
}

printWhenRunDirectly(import.meta.url, evaluateTranslation);
