// Language identification measured on the two-word snippets of lingua's test data (Leipzig corpora): accuracy
// per supported language and on average, Indonesian against Malay, the commonest confusions, and latency per
// call. Run: npx tsx packages/ai/eval/langid.ts  (SIGNALBOX_DATASETS overrides the datasets folder)
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { SUPPORTED_LANGUAGES, loadLanguageDetector } from '../src/language/index.ts';
import type { LanguageCode } from '../src/language/index.ts';
import { printWhenRunDirectly } from './datasets.ts';

/** The languages the issue asks for by name; the average over them is reported beside the full one. */
const REQUIRED: readonly LanguageCode[] = [
  'en', 'zh', 'es', 'de', 'fr', 'ja', 'pt', 'ar', 'ru', 'it', 'nl', 'tr', 'pl', 'ko',
  'vi', 'th', 'id', 'ms', 'hi', 'sv', 'uk', 'cs', 'el', 'he', 'ro', 'hu', 'da', 'fi',
];
const TARGET = 0.92;

export interface LanguageScore {
  samples: number;
  accuracy: number;
  /** Where the misses went, commonest first (null: no answer). */
  mistakenFor: Record<string, number>;
}

export interface LangidReport {
  dataset: string;
  /** Supported languages that have a word-pairs file; the average is over these. */
  languages: LanguageCode[];
  /** Supported languages without a file: they cannot count. */
  missingFromDataset: LanguageCode[];
  average: number;
  averageOverRequired: number;
  target: number;
  meetsTarget: boolean;
  perLanguage: Record<string, LanguageScore>;
  indonesianMalay: {
    id: { accuracy: number; readAsMalay: number; other: number };
    ms: { accuracy: number; readAsIndonesian: number; other: number };
    /**
     * The same files when the caller says which country the writer is in (`prefer: [its language]`), as a
     * shop that knows its contacts' locale or phone country can. Not part of the average.
     */
    withCountryPreference: { id: number; ms: number };
  };
  topConfusions: { expected: string; predicted: string | null; count: number }[];
  confidence: { meanWhenRight: number; meanWhenWrong: number };
  latencyMs: { load: number; p50: number; p99: number; mean: number };
}

async function readSnippets(folder: string, code: string): Promise<string[]> {
  const text = await readFile(path.join(folder, `${code}.txt`), 'utf8');
  return text.split('\n').filter((line) => line.trim() !== '');
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

const round = (value: number, digits = 4): number => Number(value.toFixed(digits));

export async function evaluateLangid(datasets: string): Promise<LangidReport> {
  const folder = path.join(datasets, 'langid', 'word-pairs');
  const files = new Set((await readdir(folder)).map((file) => file.replace(/\.txt$/, '')));
  const languages = SUPPORTED_LANGUAGES.map((l) => l.code).filter((code) => files.has(code));
  const missingFromDataset = SUPPORTED_LANGUAGES.map((l) => l.code).filter((code) => !files.has(code));

  const loadStart = performance.now();
  const detector = await loadLanguageDetector();
  const load = performance.now() - loadStart;

  const perLanguage: Record<string, LanguageScore> = {};
  const confusions = new Map<string, number>();
  const latencies: number[] = [];
  let confidenceRight = 0;
  let right = 0;
  let confidenceWrong = 0;
  let wrong = 0;
  for (const expected of languages) {
    const snippets = await readSnippets(folder, expected);
    const mistakenFor: Record<string, number> = {};
    let correct = 0;
    for (const snippet of snippets) {
      const start = performance.now();
      const { language, confidence } = detector.detect(snippet);
      latencies.push(performance.now() - start);
      if (language === expected) {
        correct += 1;
        right += 1;
        confidenceRight += confidence;
      } else {
        wrong += 1;
        confidenceWrong += confidence;
        const key = String(language);
        mistakenFor[key] = (mistakenFor[key] ?? 0) + 1;
        const pair = `${expected}\t${key}`;
        confusions.set(pair, (confusions.get(pair) ?? 0) + 1);
      }
    }
    const sortedMistakes = Object.entries(mistakenFor).sort((a, b) => b[1] - a[1]);
    perLanguage[expected] = {
      samples: snippets.length,
      accuracy: round(snippets.length ? correct / snippets.length : 0),
      mistakenFor: Object.fromEntries(sortedMistakes.slice(0, 5)),
    };
  }

  const accuracyOf = (code: string): number => perLanguage[code]?.accuracy ?? 0;
  const mean = (codes: readonly string[]): number =>
    codes.length ? codes.reduce((sum, code) => sum + accuracyOf(code), 0) / codes.length : 0;
  const share = (code: string, as: string): number => {
    const score = perLanguage[code];
    return score && score.samples ? round((score.mistakenFor[as] ?? 0) / score.samples) : 0;
  };
  const withPreference = async (code: LanguageCode): Promise<number> => {
    if (!languages.includes(code)) return 0;
    const snippets = await readSnippets(folder, code);
    const hits = snippets.filter((snippet) => detector.detect(snippet, { prefer: [code] }).language === code);
    return round(hits.length / snippets.length);
  };
  const average = mean(languages);
  latencies.sort((a, b) => a - b);
  return {
    dataset: folder,
    languages,
    missingFromDataset,
    average: round(average),
    averageOverRequired: round(mean(REQUIRED.filter((code) => languages.includes(code)))),
    target: TARGET,
    meetsTarget: average >= TARGET,
    perLanguage,
    indonesianMalay: {
      id: {
        accuracy: accuracyOf('id'),
        readAsMalay: share('id', 'ms'),
        other: round(1 - accuracyOf('id') - share('id', 'ms')),
      },
      ms: {
        accuracy: accuracyOf('ms'),
        readAsIndonesian: share('ms', 'id'),
        other: round(1 - accuracyOf('ms') - share('ms', 'id')),
      },
      withCountryPreference: { id: await withPreference('id'), ms: await withPreference('ms') },
    },
    topConfusions: [...confusions.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([pair, count]) => {
        const [expected = '', predicted = 'null'] = pair.split('\t');
        return { expected, predicted: predicted === 'null' ? null : predicted, count };
      }),
    confidence: {
      meanWhenRight: round(right ? confidenceRight / right : 0),
      meanWhenWrong: round(wrong ? confidenceWrong / wrong : 0),
    },
    latencyMs: {
      load: round(load, 0),
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      mean: round(latencies.reduce((sum, ms) => sum + ms, 0) / Math.max(1, latencies.length)),
    },
  };
}

printWhenRunDirectly(import.meta.url, evaluateLangid);
