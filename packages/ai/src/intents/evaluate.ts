import { parseIntentCsv, type CsvProblem } from './csv.ts';
import { classifyIntent, trainAsWorkspace } from './model.ts';

export interface ConfusedPair {
  readonly expected: string;
  readonly predicted: string;
  readonly count: number;
}

export interface Scores {
  readonly examples: number;
  readonly accuracy: number;
  readonly macroF1: number;
}

/** Accuracy, macro-F1 over the gold labels, and the ten most confused (gold, predicted) pairs. */
export function score(expected: readonly string[], predicted: readonly string[]): Scores & { confusedPairs: ConfusedPair[] } {
  const labels = [...new Set(expected)];
  const truePositive = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const expectedCount = new Map<string, number>();
  const confusions = new Map<string, ConfusedPair>();
  let correct = 0;
  expected.forEach((gold, i) => {
    const guess = predicted[i] as string;
    expectedCount.set(gold, (expectedCount.get(gold) ?? 0) + 1);
    predictedCount.set(guess, (predictedCount.get(guess) ?? 0) + 1);
    if (gold === guess) {
      correct++;
      truePositive.set(gold, (truePositive.get(gold) ?? 0) + 1);
    } else {
      const key = `${gold}\u0000${guess}`;
      const pair = confusions.get(key);
      confusions.set(key, { expected: gold, predicted: guess, count: (pair?.count ?? 0) + 1 });
    }
  });
  const f1s = labels.map((label) => {
    const tp = truePositive.get(label) ?? 0;
    const precision = tp / (predictedCount.get(label) || 1);
    const recall = tp / (expectedCount.get(label) || 1);
    return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  });
  return {
    examples: expected.length,
    accuracy: correct / Math.max(1, expected.length),
    macroF1: f1s.reduce((a, b) => a + b, 0) / Math.max(1, f1s.length),
    confusedPairs: [...confusions.values()].sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected)).slice(0, 10),
  };
}

export type IntentCsvEvaluation =
  | {
      readonly ok: true;
      readonly trainExamples: number;
      readonly testExamples: number;
      /** The sentence encoder the phrases trained with (mostly English ones), or null: n-grams alone. */
      readonly encoder: string | null;
      readonly accuracy: number;
      readonly macroF1: number;
      readonly confusedPairs: readonly ConfusedPair[];
    }
  | { readonly ok: false; readonly file: 'train' | 'test'; readonly errors: readonly CsvProblem[] };

/**
 * Trains on one CSV (columns `text` and `intent` or `category`) as a workspace's phrases train, and scores the other;
 * backs `signalbox intents eval`.
 */
export async function evaluateIntentCsv(trainCsv: string, testCsv: string): Promise<IntentCsvEvaluation> {
  const train = parseIntentCsv(trainCsv);
  if (!train.ok) return { ok: false, file: 'train', errors: train.errors };
  const test = parseIntentCsv(testCsv);
  if (!test.ok) return { ok: false, file: 'test', errors: test.errors };
  const model = await trainAsWorkspace(train.phrases.map((p) => ({ text: p.text, label: p.intent })));
  const predicted: string[] = [];
  for (const p of test.phrases) predicted.push((await classifyIntent(model, p.text, { threshold: 0 })).intent as string);
  const { accuracy, macroF1, confusedPairs } = score(
    test.phrases.map((p) => p.intent),
    predicted,
  );
  return { ok: true, trainExamples: train.phrases.length, testExamples: test.phrases.length, encoder: model.encoder?.id ?? null, accuracy, macroF1, confusedPairs };
}

