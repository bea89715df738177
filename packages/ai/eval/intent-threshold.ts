// Chooses the default intent thresholds (src/intents/model.ts) from CLINC150's training file alone: a model trained
// on four fifths of its in-scope questions (stratified, seeded) judges the held-out fifth and CLINC's 100
// out-of-scope training questions; the answer is the lowest threshold, in steps of 0.01, that turns away at
// least 85% of those out-of-scope questions (the target). The val split, which the eval reports, is
// never read here. The model is trained as a workspace's is: CLINC150 is English, so with the sentence encoder
// (ENCODER_INTENT_THRESHOLD); with SIGNALBOX_INTENT_ENCODER=off, n-grams alone (DEFAULT_INTENT_THRESHOLD).
//   npx tsx packages/ai/eval/intent-threshold.ts
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { printWhenRunDirectly } from './datasets.ts';
import { trainAsWorkspace } from '../src/intents/model.ts';
import { bestIntent, stratifiedFolds } from './intents.ts';

const OUT_OF_SCOPE_RECALL = 0.85;

export interface ThresholdChoice {
  readonly threshold: number;
  readonly encoder: string | null;
  readonly heldOut: { readonly inScope: number; readonly inScopeAccuracy: number; readonly outOfScope: number; readonly outOfScopeRecall: number };
}

export async function chooseIntentThreshold(datasets: string): Promise<ThresholdChoice> {
  const train = JSON.parse(await readFile(join(datasets, 'intents/clinc150/train.json'), 'utf8')) as Record<string, [string, string][]>;
  const examples = (train.train ?? []).map(([text, label]) => ({ text, label }));
  const outOfScope = (train.oos_train ?? []).map(([text]) => text);
  const fold = stratifiedFolds(
    examples.map((e) => e.label),
    5,
    2,
  );
  const model = await trainAsWorkspace(examples.filter((_, i) => fold[i] !== 0));
  const heldOut: { label: string; confidence: number; gold: string }[] = [];
  for (const e of examples.filter((_, i) => fold[i] === 0)) heldOut.push({ ...(await bestIntent(model, e.text)), gold: e.label });
  const outOfScopeConfidence: number[] = [];
  for (const text of outOfScope) outOfScopeConfidence.push((await bestIntent(model, text)).confidence);
  const threshold = lowestThreshold(outOfScopeConfidence);
  if (threshold === undefined) throw new Error('no threshold reaches the out-of-scope recall');
  const recall = outOfScopeConfidence.filter((c) => c < threshold).length / outOfScope.length;
  const accuracy = heldOut.filter((r) => r.label === r.gold && r.confidence >= threshold).length / heldOut.length;
  return { threshold, encoder: model.encoder?.id ?? null, heldOut: { inScope: heldOut.length, inScopeAccuracy: accuracy, outOfScope: outOfScope.length, outOfScopeRecall: recall } };
}

/** The lowest threshold, in steps of 0.01, below which at least `recall` of these out-of-scope confidences fall. */
export function lowestThreshold(outOfScopeConfidence: ArrayLike<number>, recall = OUT_OF_SCOPE_RECALL): number | undefined {
  const confidences = Array.from(outOfScopeConfidence);
  for (let step = 0; step <= 100; step++) {
    const threshold = step / 100;
    if (confidences.filter((c) => c < threshold).length / confidences.length >= recall) return threshold;
  }
  return undefined;
}

printWhenRunDirectly(import.meta.url, chooseIntentThreshold);
