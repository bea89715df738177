// Intent classifier evaluation on public data sets (see ../shared/datasets/README.md). Run directly:
//   npx tsx packages/ai/eval/intents.ts        (SIGNALBOX_DATASETS overrides the data set folder)
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { seededRandom, shuffleInPlace } from '../src/classifier/random.ts';
import { trainClassifier, type TextClassifier, type TrainingExample } from '../src/classifier/index.ts';
import { parseIntentCsv } from '../src/intents/csv.ts';
import { score, type Scores } from '../src/intents/evaluate.ts';
import { heldOutPhrasings } from '../src/intents/default-intents.held-out.ts';
import { defaultIntents } from '../src/intents/default-intents.ts';
import { classifyIntent, DEFAULT_INTENT_THRESHOLD, trainIntents, type IntentModel } from '../src/intents/model.ts';
import { printWhenRunDirectly } from './datasets.ts';

export interface OffTopicScores {
  readonly clincOutOfScopeTurnedAway: number;
  readonly xsidTurnedAway: { readonly mean: number; readonly lowest: { readonly language: string; readonly share: number } };
  readonly heldOutRightAndKept: { readonly right: number; readonly of: number };
}

export interface IntentsReport {
  readonly banking77: Scores & { readonly folds: number; readonly trainSecondsPerFold: number };
  readonly clinc150: {
    readonly inScopeAccuracy: number;
    readonly threshold: number;
    readonly atThreshold: { readonly inScopeAccuracy: number; readonly outOfScopeRecall: number };
    /** The same two numbers at other thresholds, to show the trade-off the shipped one sits on. */
    readonly tradeOff: readonly { readonly threshold: number; readonly inScopeAccuracy: number; readonly outOfScopeRecall: number }[];
    readonly trainSeconds: number;
  };
  readonly xsid: {
    readonly protocol: string;
    readonly meanAccuracy: number;
    readonly languages: Readonly<Record<string, Scores>>;
  };
  readonly defaultIntents: {
    readonly phrases: number;
    readonly trainSeconds: number;
    /**
     * CLINC150's val greetings, goodbyes and thanks (60, English) through the default intents at the shipped
     * threshold: how many reach `small_talk`, and how many a business intent (a flow would act on them).
     */
    readonly smallTalk: { readonly messages: number; readonly asSmallTalk: number; readonly asBusinessIntent: number; readonly asComplaint: number };
    /**
     * What `off_topic` buys and costs, with and without it among the default intents, at the shipped threshold. Turned
     * away: "not sure" or off_topic (a classify-intent node with no output for off_topic takes "Not sure").
     * Off-topic for a shop: CLINC150 val's out-of-scope questions and every xSID val utterance (weather, alarms,
     * reminders, music, restaurants, films, books; 19 languages). The cost: the held-out phrasings of the other
     * default intents (src/intents/default-intents.held-out.ts) answered with the right intent.
     */
    readonly offTopic: Readonly<Record<'with' | 'without', OffTopicScores>>;
  };
  readonly latencyMs: { readonly model: string; readonly calls: number; readonly p50: number; readonly p99: number };
}

/** Fold of each example: every label's examples shuffled (seeded) and dealt round-robin, so folds are stratified. */
export function stratifiedFolds(labels: readonly string[], folds: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, i) => byLabel.set(label, [...(byLabel.get(label) ?? []), i]));
  const fold = new Int32Array(labels.length);
  let offset = 0;
  for (const indices of byLabel.values()) {
    shuffleInPlace(indices, random);
    indices.forEach((index, k) => (fold[index] = (k + offset) % folds));
    offset += indices.length;
  }
  return fold;
}

function crossValidate(examples: readonly TrainingExample[], folds: number): Scores & { trainSecondsPerFold: number } {
  const fold = stratifiedFolds(
    examples.map((e) => e.label),
    folds,
    1,
  );
  const expected: string[] = [];
  const predicted: string[] = [];
  let trainMs = 0;
  for (let f = 0; f < folds; f++) {
    const train = examples.filter((_, i) => fold[i] !== f);
    const test = examples.filter((_, i) => fold[i] === f);
    const started = performance.now();
    const classifier = trainClassifier(train);
    trainMs += performance.now() - started;
    for (const e of test) {
      expected.push(e.label);
      predicted.push(classifier.classify(e.text).label);
    }
  }
  const { examples: n, accuracy, macroF1 } = score(expected, predicted);
  return { examples: n, accuracy, macroF1, trainSecondsPerFold: trainMs / folds / 1000 };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function latency(classifier: TextClassifier, texts: readonly string[]): { p50: number; p99: number } {
  for (const text of texts.slice(0, 200)) classifier.classify(text);
  const times = texts.map((text) => {
    const started = performance.now();
    classifier.classify(text);
    return performance.now() - started;
  });
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function readBanking77(datasets: string): Promise<TrainingExample[]> {
  const parsed = parseIntentCsv(await readFile(join(datasets, 'intents/banking77/train.csv'), 'utf8'));
  if (!parsed.ok) throw new Error(`banking77: ${parsed.errors.map((e) => e.message).join('; ')}`);
  return parsed.phrases.map((p) => ({ text: p.text, label: p.intent }));
}

async function readClinc(datasets: string, file: string): Promise<Record<string, [string, string][]>> {
  return JSON.parse(await readFile(join(datasets, 'intents/clinc150', file), 'utf8')) as Record<string, [string, string][]>;
}

/** xSID CoNLL: one block per utterance, separated by blank lines, with `# text = ` and `# intent = ` in either order. */
export function parseXsid(conll: string): TrainingExample[] {
  const examples: TrainingExample[] = [];
  for (const block of conll.split(/\n\s*\n/)) {
    const lines = block.split('\n');
    const text = lines.find((l) => l.startsWith('# text = '))?.slice('# text = '.length).trim();
    const label = lines.find((l) => l.startsWith('# intent = '))?.slice('# intent = '.length).trim();
    if (text && label) examples.push({ text, label });
  }
  return examples;
}

async function evaluateClinc(datasets: string): Promise<{ report: IntentsReport['clinc150']; classifier: TextClassifier; texts: string[] }> {
  const train = await readClinc(datasets, 'train.json');
  const val = await readClinc(datasets, 'val.json');
  const inScope = (val.val ?? []).map(([text, label]) => ({ text, label }));
  const outOfScope = (val.oos_val ?? []).map(([text]) => text);
  const started = performance.now();
  // In-scope training items only; CLINC's out-of-scope training items are not used (nor are they a class).
  const classifier = trainClassifier((train.train ?? []).map(([text, label]) => ({ text, label })));
  const trainSeconds = (performance.now() - started) / 1000;
  const inScopeResults = inScope.map((e) => ({ ...classifier.classify(e.text), gold: e.label }));
  const outOfScopeConfidence = outOfScope.map((text) => classifier.classify(text).confidence);
  const at = (threshold: number) => ({
    threshold,
    inScopeAccuracy: inScopeResults.filter((r) => r.label === r.gold && r.confidence >= threshold).length / inScope.length,
    outOfScopeRecall: outOfScopeConfidence.filter((c) => c < threshold).length / outOfScope.length,
  });
  const shipped = at(DEFAULT_INTENT_THRESHOLD);
  return {
    classifier,
    texts: [...inScope.map((e) => e.text), ...outOfScope],
    report: {
      inScopeAccuracy: at(0).inScopeAccuracy,
      threshold: DEFAULT_INTENT_THRESHOLD,
      atThreshold: { inScopeAccuracy: shipped.inScopeAccuracy, outOfScopeRecall: shipped.outOfScopeRecall },
      tradeOff: [0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6].map(at),
      trainSeconds,
    },
  };
}

/** Each xSID language's validation utterances, read once for the cross-validation and the off-topic check. */
async function readXsid(datasets: string): Promise<[language: string, examples: TrainingExample[]][]> {
  const folder = join(datasets, 'intents/xsid');
  const files = (await readdir(folder)).filter((f) => f.endsWith('.valid.conll')).sort();
  return Promise.all(files.map(async (file) => [file.replace('.valid.conll', ''), parseXsid(await readFile(join(folder, file), 'utf8'))] as [string, TrainingExample[]]));
}

function evaluateXsid(xsid: readonly [string, TrainingExample[]][]): IntentsReport['xsid'] {
  const languages: Record<string, Scores> = {};
  for (const [language, examples] of xsid) {
    const { examples: n, accuracy, macroF1 } = crossValidate(examples, 5);
    languages[language] = { examples: n, accuracy, macroF1 };
  }
  const accuracies = Object.values(languages).map((s) => s.accuracy);
  return {
    protocol: '5-fold stratified cross-validation within each language (xSID ships validation files only)',
    meanAccuracy: accuracies.reduce((a, b) => a + b, 0) / Math.max(1, accuracies.length),
    languages,
  };
}

function evaluateOffTopic(
  clincOutOfScope: readonly string[],
  xsidExamples: readonly [string, TrainingExample[]][],
  models: Readonly<Record<'with' | 'without', IntentModel>>,
): IntentsReport['defaultIntents']['offTopic'] {
  const xsid = xsidExamples.map(([language, examples]) => [language, examples.map((e) => e.text)] as const);
  const heldOut = Object.values(heldOutPhrasings).flatMap((byIntent) =>
    Object.entries(byIntent)
      .filter(([intent]) => intent !== 'off_topic')
      .flatMap(([intent, texts]) => texts.map((text) => ({ text, intent }))),
  );
  const scores = (model: IntentModel): OffTopicScores => {
    const turnedAway = (texts: readonly string[]) => texts.filter((text) => [null, 'off_topic'].includes(classifyIntent(model, text).intent)).length / Math.max(1, texts.length);
    const perLanguage = xsid.map(([language, texts]) => ({ language, share: turnedAway(texts) }));
    return {
      clincOutOfScopeTurnedAway: turnedAway(clincOutOfScope),
      xsidTurnedAway: {
        mean: perLanguage.reduce((sum, l) => sum + l.share, 0) / Math.max(1, perLanguage.length),
        lowest: perLanguage.reduce((low, l) => (l.share < low.share ? l : low), { language: '', share: 1 }),
      },
      heldOutRightAndKept: { right: heldOut.filter((e) => classifyIntent(model, e.text).intent === e.intent).length, of: heldOut.length },
    };
  };
  return { with: scores(models.with), without: scores(models.without) };
}

export async function evaluateIntents(datasets: string): Promise<IntentsReport> {
  const banking = crossValidate(await readBanking77(datasets), 5);
  const clinc = await evaluateClinc(datasets);
  const xsidExamples = await readXsid(datasets);
  const xsid = evaluateXsid(xsidExamples);
  const started = performance.now();
  const defaults = trainIntents(defaultIntents);
  const defaultSeconds = (performance.now() - started) / 1000;
  const val = await readClinc(datasets, 'val.json');
  const smallTalk = (val.val ?? [])
    .filter(([, label]) => label === 'greeting' || label === 'goodbye' || label === 'thank_you')
    .map(([text]) => classifyIntent(defaults, text, {}).intent);
  const offTopic = evaluateOffTopic(
    (val.oos_val ?? []).map(([text]) => text),
    xsidExamples,
    { with: defaults, without: trainIntents(defaultIntents.filter((i) => i.name !== 'off_topic')) },
  );
  const calls = clinc.texts.slice(0, 2000);
  return {
    banking77: { ...banking, folds: 5 },
    clinc150: clinc.report,
    xsid,
    defaultIntents: {
      phrases: defaultIntents.reduce((n, i) => n + i.phrases.length, 0),
      trainSeconds: defaultSeconds,
      smallTalk: {
        messages: smallTalk.length,
        asSmallTalk: smallTalk.filter((intent) => intent === 'small_talk').length,
        asBusinessIntent: smallTalk.filter((intent) => intent !== null && intent !== 'small_talk' && intent !== 'off_topic').length,
        asComplaint: smallTalk.filter((intent) => intent === 'complaint').length,
      },
      offTopic,
    },
    latencyMs: { model: 'CLINC150 (150 intents)', calls: calls.length, ...latency(clinc.classifier, calls) },
  };
}

printWhenRunDirectly(import.meta.url, evaluateIntents);
