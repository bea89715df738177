// Emotion detection judged on the GoEmotions dev split (Reddit comments, Ekman's six emotions plus neutral),
// with the model file that ships, never one trained on the spot. Run: npx tsx packages/ai/eval/emotion.ts
// (SIGNALBOX_DATASETS overrides the datasets folder). The model is built from the train split only, by
// npx tsx packages/ai/eval/build-emotion-model.ts.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { EMOTIONS, type Emotion } from '@signalbox/nodes';
import { readEmotionModel, SHIPPED_EMOTION_MODEL } from '../src/emotion/load.ts';
import { scoreEmotions, type ClassScore } from '../src/emotion/scoring.ts';
import type { EmotionExample } from '../src/emotion/train.ts';
import { printWhenRunDirectly } from './datasets.ts';

const TARGET = 0.5;

export interface EmotionReport {
  dataset: string;
  items: number;
  multiLabelItems: number;
  /** A prediction is right when it is one of the item's gold labels (see `scoreEmotions`). */
  macroF1: number;
  /** Every gold label of a multi-label item must be found; a single answer always misses the others. */
  macroF1Strict: number;
  target: number;
  meetsTarget: boolean;
  perClass: Record<Emotion, ClassScore>;
  accuracy: number;
  /** `confusion[gold][predicted]`. */
  confusion: Record<Emotion, Record<Emotion, number>>;
  /**
   * Expected calibration error over 10 confidence bins: how far `confidence` is from the share of right
   * answers at that confidence, which is what an escalation threshold ("anger above 0.7") relies on.
   */
  calibrationError: number;
  modelBytes: number;
  modelFeatures: number;
  latencyMs: { load: number; p50: number; p99: number; mean: number };
}

/**
 * Reads a GoEmotions Ekman file (`text<TAB>label ids<TAB>id`, ids indexing labels.txt) into examples,
 * mapping labels by name so a reordered labels.txt cannot shift them.
 */
export async function readGoEmotions(folder: string, split: 'train' | 'dev'): Promise<EmotionExample[]> {
  const names = (await readFile(path.join(folder, 'labels.txt'), 'utf8')).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const byId = names.map((name) => {
    const emotion = EMOTIONS.find((e) => e === name);
    if (!emotion) throw new Error(`labels.txt names ${name}, which is not one of ${EMOTIONS.join(', ')}`);
    return emotion;
  });
  const lines = (await readFile(path.join(folder, `goemotions_ekman_${split}.tsv`), 'utf8')).split('\n');
  return lines
    .filter((line) => line.trim() !== '')
    .map((line, n) => {
      const [text = '', ids = ''] = line.split('\t');
      const emotions = ids.split(',').map((id) => {
        const emotion = byId[Number(id)];
        if (!emotion) throw new Error(`${split} line ${n + 1}: label id ${id} is not in labels.txt`);
        return emotion;
      });
      return { text, emotions };
    });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

const round = (value: number, digits = 4): number => Number(value.toFixed(digits));

export async function evaluateEmotion(datasets: string): Promise<EmotionReport> {
  const folder = path.join(datasets, 'emotion');
  const examples = await readGoEmotions(folder, 'dev');

  const loadStarted = performance.now();
  const model = await readEmotionModel(SHIPPED_EMOTION_MODEL);
  const load = performance.now() - loadStarted;

  // Warm the JIT so the latencies are those of a running service, not of the first calls.
  for (const { text } of examples.slice(0, 200)) model.detect(text);
  const latencies: number[] = [];
  const bins = Array.from({ length: 10 }, () => ({ confidence: 0, right: 0 }));
  const predictions = examples.map(({ text, emotions }) => {
    const started = performance.now();
    const { emotion, confidence } = model.detect(text);
    latencies.push(performance.now() - started);
    const bin = bins[Math.min(9, Math.floor(confidence * 10))];
    if (bin) {
      bin.confidence += confidence;
      bin.right += emotions.includes(emotion) ? 1 : 0;
    }
    return EMOTIONS.indexOf(emotion);
  });
  latencies.sort((a, b) => a - b);

  const scores = scoreEmotions(
    examples.map((e) => e.emotions.map((emotion) => EMOTIONS.indexOf(emotion))),
    predictions,
  );
  const perClass = Object.fromEntries(
    EMOTIONS.map((e) => {
      const s = scores.perClass[e];
      return [e, { precision: round(s.precision), recall: round(s.recall), f1: round(s.f1), support: s.support }];
    }),
  ) as Record<Emotion, ClassScore>;
  return {
    dataset: path.join(folder, 'goemotions_ekman_dev.tsv'),
    items: examples.length,
    multiLabelItems: examples.filter((e) => e.emotions.length > 1).length,
    macroF1: round(scores.macroF1),
    macroF1Strict: round(scores.macroF1Strict),
    target: TARGET,
    meetsTarget: scores.macroF1 >= TARGET,
    perClass,
    accuracy: round(scores.accuracy),
    confusion: scores.confusion,
    calibrationError: round(bins.reduce((sum, bin) => sum + Math.abs(bin.confidence - bin.right), 0) / Math.max(1, examples.length)),
    modelBytes: (await stat(SHIPPED_EMOTION_MODEL)).size,
    modelFeatures: model.features,
    latencyMs: {
      load: round(load, 1),
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      mean: round(latencies.reduce((sum, ms) => sum + ms, 0) / Math.max(1, latencies.length)),
    },
  };
}

printWhenRunDirectly(import.meta.url, evaluateEmotion);
