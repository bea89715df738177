// Intent classifier evaluation on public data sets (see ../shared/datasets/README.md). Run directly:
//   npx tsx packages/ai/eval/intents.ts        (SIGNALBOX_DATASETS overrides the data set folder)
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { seededRandom, shuffleInPlace } from '../src/classifier/random.ts';
import type { TrainingExample } from '../src/classifier/index.ts';
import { parseIntentCsv } from '../src/intents/csv.ts';
import { score, type Scores } from '../src/intents/evaluate.ts';
import { heldOutPhrasings } from '../src/intents/default-intents.held-out.ts';
import { defaultIntents } from '../src/intents/default-intents.ts';
import { classifyIntent, defaultIntentThreshold, trainAsWorkspace, trainIntents, type IntentModel } from '../src/intents/model.ts';
import { printWhenRunDirectly } from './datasets.ts';

export interface OffTopicScores {
  readonly clincOutOfScopeTurnedAway: number;
  readonly xsidTurnedAway: { readonly mean: number; readonly lowest: { readonly language: string; readonly share: number } };
  readonly heldOutRightAndKept: { readonly right: number; readonly of: number };
}

export interface IntentsReport {
  readonly banking77: Scores & { readonly folds: number; readonly trainSecondsPerFold: number; readonly encoder: string | null };
  readonly clinc150: {
    readonly inScopeAccuracy: number;
    readonly threshold: number;
    /** The sentence encoder the workspace trained with (CLINC150 is English), or null. */
    readonly encoder: string | null;
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

/** The best intent and its confidence, whatever the threshold. */
export async function bestIntent(model: IntentModel, text: string): Promise<{ label: string; confidence: number }> {
  const match = await classifyIntent(model, text, { threshold: 0 });
  return { label: match.intent as string, confidence: match.confidence };
}

async function crossValidate(examples: readonly TrainingExample[], folds: number): Promise<Scores & { trainSecondsPerFold: number; encoder: string | null }> {
  const fold = stratifiedFolds(
    examples.map((e) => e.label),
    folds,
    1,
  );
  const expected: string[] = [];
  const predicted: string[] = [];
  let trainMs = 0;
  let encoder: string | null = null;
  for (let f = 0; f < folds; f++) {
    const train = examples.filter((_, i) => fold[i] !== f);
    const test = examples.filter((_, i) => fold[i] === f);
    const started = performance.now();
    const model = await trainAsWorkspace(train);
    trainMs += performance.now() - started;
    encoder = model.encoder?.id ?? null;
    for (const e of test) {
      expected.push(e.label);
      predicted.push((await bestIntent(model, e.text)).label);
    }
  }
  const { examples: n, accuracy, macroF1 } = score(expected, predicted);
  return { examples: n, accuracy, macroF1, trainSecondsPerFold: trainMs / folds / 1000, encoder };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Per call, as a flow's classify-intent node pays it: the sentence encoder's vector (when the model has one) and the classifier. */
async function latency(model: IntentModel, texts: readonly string[]): Promise<{ p50: number; p99: number }> {
  for (const text of texts.slice(0, 200)) await classifyIntent(model, text);
  const times: number[] = [];
  for (const text of texts) {
    const started = performance.now();
    await classifyIntent(model, text);
    times.push(performance.now() - started);
  }
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

async function evaluateClinc(datasets: string): Promise<{ report: IntentsReport['clinc150']; model: IntentModel; texts: string[] }> {
  const train = await readClinc(datasets, 'train.json');
  const val = await readClinc(datasets, 'val.json');
  const inScope = (val.val ?? []).map(([text, label]) => ({ text, label }));
  const outOfScope = (val.oos_val ?? []).map(([text]) => text);
  const started = performance.now();
  // In-scope training items only; CLINC's out-of-scope training items are not used (nor are they a class).
  const model = await trainAsWorkspace((train.train ?? []).map(([text, label]) => ({ text, label })));
  const trainSeconds = (performance.now() - started) / 1000;
  const inScopeResults: { label: string; confidence: number; gold: string }[] = [];
  for (const e of inScope) inScopeResults.push({ ...(await bestIntent(model, e.text)), gold: e.label });
  const outOfScopeConfidence: number[] = [];
  for (const text of outOfScope) outOfScopeConfidence.push((await bestIntent(model, text)).confidence);
  const at = (threshold: number) => ({
    threshold,
    inScopeAccuracy: inScopeResults.filter((r) => r.label === r.gold && r.confidence >= threshold).length / inScope.length,
    outOfScopeRecall: outOfScopeConfidence.filter((c) => c < threshold).length / outOfScope.length,
  });
  const threshold = defaultIntentThreshold(model);
  const shipped = at(threshold);
  return {
    model,
    texts: [...inScope.map((e) => e.text), ...outOfScope],
    report: {
      inScopeAccuracy: at(0).inScopeAccuracy,
      threshold,
      encoder: model.encoder?.id ?? null,
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

async function evaluateXsid(xsid: readonly [string, TrainingExample[]][]): Promise<IntentsReport['xsid']> {
  const languages: Record<string, Scores> = {};
  for (const [language, examples] of xsid) {
    const { examples: n, accuracy, macroF1 } = await crossValidate(examples, 5);
    languages[language] = { examples: n, accuracy, macroF1 };
  }
  const accuracies = Object.values(languages).map((s) => s.accuracy);
  return {
    protocol: '5-fold stratified cross-validation within each language (xSID ships validation files only)',
    meanAccuracy: accuracies.reduce((a, b) => a + b, 0) / Math.max(1, accuracies.length),
    languages,
  };
}

async function evaluateOffTopic(
  clincOutOfScope: readonly string[],
  xsidExamples: readonly [string, TrainingExample[]][],
  models: Readonly<Record<'with' | 'without', IntentModel>>,
): Promise<IntentsReport['defaultIntents']['offTopic']> {
  const xsid = xsidExamples.map(([language, examples]) => [language, examples.map((e) => e.text)] as const);
  const heldOut = Object.values(heldOutPhrasings).flatMap((byIntent) =>
    Object.entries(byIntent)
      .filter(([intent]) => intent !== 'off_topic')
      .flatMap(([intent, texts]) => texts.map((text) => ({ text, intent }))),
  );
  const scores = async (model: IntentModel): Promise<OffTopicScores> => {
    const intents = async (texts: readonly string[]) => Promise.all(texts.map(async (text) => (await classifyIntent(model, text)).intent));
    const turnedAway = async (texts: readonly string[]) => (await intents(texts)).filter((intent) => intent === null || intent === 'off_topic').length / Math.max(1, texts.length);
    const perLanguage = await Promise.all(xsid.map(async ([language, texts]) => ({ language, share: await turnedAway(texts) })));
    const heldOutIntents = await intents(heldOut.map((e) => e.text));
    return {
      clincOutOfScopeTurnedAway: await turnedAway(clincOutOfScope),
      xsidTurnedAway: {
        mean: perLanguage.reduce((sum, l) => sum + l.share, 0) / Math.max(1, perLanguage.length),
        lowest: perLanguage.reduce((low, l) => (l.share < low.share ? l : low), { language: '', share: 1 }),
      },
      heldOutRightAndKept: { right: heldOut.filter((e, i) => heldOutIntents[i] === e.intent).length, of: heldOut.length },
    };
  };
  return { with: await scores(models.with), without: await scores(models.without) };
}

export async function evaluateIntents(datasets: string): Promise<IntentsReport> {
  const banking = await crossValidate(await readBanking77(datasets), 5);
  const clinc = await evaluateClinc(datasets);
  const xsidExamples = await readXsid(datasets);
  const xsid = await evaluateXsid(xsidExamples);
  const started = performance.now();
  const defaults = await trainAsWorkspace(defaultIntents.flatMap((i) => i.phrases.map((text) => ({ text, label: i.name }))));
  const defaultSeconds = (performance.now() - started) / 1000;
  const val = await readClinc(datasets, 'val.json');
  const smallTalk = (val.val ?? [])
    .filter(([, label]) => label === 'greeting' || label === 'goodbye' || label === 'thank_you')
    .map(([text]) => text);
  const smallTalkIntents = await Promise.all(smallTalk.map(async (text) => (await classifyIntent(defaults, text)).intent));
  const offTopic = await evaluateOffTopic(
    (val.oos_val ?? []).map(([text]) => text),
    xsidExamples,
    { with: defaults, without: await trainIntents(defaultIntents.filter((i) => i.name !== 'off_topic')) },
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
        messages: smallTalkIntents.length,
        asSmallTalk: smallTalkIntents.filter((intent) => intent === 'small_talk').length,
        asBusinessIntent: smallTalkIntents.filter((intent) => intent !== null && intent !== 'small_talk' && intent !== 'off_topic').length,
        asComplaint: smallTalkIntents.filter((intent) => intent === 'complaint').length,
      },
      offTopic,
    },
    latencyMs: { model: `CLINC150 (150 intents${clinc.model.encoder ? `, with ${clinc.model.encoder.id}` : ''})`, calls: calls.length, ...(await latency(clinc.model, calls)) },
  };
}

printWhenRunDirectly(import.meta.url, evaluateIntents);
