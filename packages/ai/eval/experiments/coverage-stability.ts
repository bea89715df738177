// How stable is the coverage certainty's gain under the threshold protocol? The protocol holds out fold 0 of
// stratifiedFolds(train labels, 5, 2); here each of the 5 folds is held out in turn (5 models on 4/5 of CLINC
// train), each gives a threshold from the 100 oos_train questions, applied to one model trained on all of train
// and judged on val. Also times the coverage computation done the way a shipped version would (from the
// hashes the vectorizer already counts), against a whole classification.
//   npx tsx packages/ai/eval/experiments/coverage-stability.ts
import { countHashes, featureHashes } from '../../src/classifier/features.ts';
import { scoreSparse } from '../../src/classifier/softmax.ts';
import { idfLookup, judgeCertainties, pct, protocolThreshold, readClincSplits, shippedModel, stratifiedFolds, trainBase, wordMassOfCounts, type Base, type Coverage } from './common.ts';

const CERTAINTIES: readonly { name: string; of: (p: number, c: Coverage) => number }[] = [
  { name: 'p (shipped)', of: (p) => p },
  { name: 'p × tokens^2', of: (p, c) => p * c.tokens ** 2 },
  { name: 'p × wordMass^1', of: (p, c) => p * c.wordMass },
  { name: 'p × wordMass^2', of: (p, c) => p * c.wordMass ** 2 },
  { name: 'p × allMass^2', of: (p, c) => p * c.allMass ** 2 },
];
const { examples, oosTrain, valIn, oosVal } = await readClincSplits();

const judge = (base: Base, texts: readonly string[]) => judgeCertainties(base, texts, CERTAINTIES);

const full = trainBase(examples);
const jIn = judge(
  full,
  valIn.map((e) => e.text),
);
const jOut = judge(full, oosVal);
const fold = stratifiedFolds(
  examples.map((e) => e.label),
  5,
  2,
);
console.log('held-out fold | certainty | threshold | val in-scope | val oos recall');
const sums = CERTAINTIES.map(() => ({ inScope: 0, recall: 0, meets: 0 }));
for (let f = 0; f < 5; f++) {
  const small = trainBase(examples.filter((_, i) => fold[i] !== f));
  const j = judge(small, oosTrain);
  CERTAINTIES.forEach((c, k) => {
    const threshold = protocolThreshold(j.certainty[k] as Float64Array);
    const cIn = jIn.certainty[k] as Float64Array;
    const inScope = valIn.filter((e, i) => full.labels[jIn.best[i] as number] === e.label && (cIn[i] as number) >= threshold).length / valIn.length;
    const recall = (jOut.certainty[k] as Float64Array).filter((v) => v < threshold).length / oosVal.length;
    const s = sums[k] as { inScope: number; recall: number; meets: number };
    s.inScope += inScope / 5;
    s.recall += recall / 5;
    if (inScope >= 0.9 && recall >= 0.85) s.meets++;
    console.log([f, c.name, threshold.toFixed(2), pct(inScope, 1), pct(recall, 0)].join(' | '));
  });
}
console.log('\nmean over the 5 held-out folds | certainty | val in-scope | val oos recall | folds meeting both targets');
CERTAINTIES.forEach((c, k) => {
  const s = sums[k] as { inScope: number; recall: number; meets: number };
  console.log(['mean', c.name, pct(s.inScope, 1), pct(s.recall, 1), `${s.meets}/5`].join(' | '));
});

// Cost. A shipped version would add the unknown features' mass inside Vectorizer.weigh, which already looks
// every hash up; measured here as one more Map lookup per distinct hash, next to a whole classification.
const idf = idfLookup(full.vectorizer);
const unseenIdf = Math.log(1 + examples.length) + 1;
const texts = [...valIn.map((e) => e.text), ...oosVal];
const scores = new Float64Array(full.labels.length);
const model = shippedModel(full);
const classify = (text: string): void => {
  const v = full.vectorizer.transform(text);
  scoreSparse(model, v.columns, v.values, 0, v.columns.length, scores);
};
const counted = texts.map((t) => countHashes(featureHashes(t, full.vectorizer.options)));
let sink = 0;
for (let rep = 0; rep < 2; rep++) {
  let t = performance.now();
  for (const text of texts) classify(text);
  const classifyUs = ((performance.now() - t) / texts.length) * 1000;
  t = performance.now();
  for (const c of counted) sink += wordMassOfCounts(c, idf, unseenIdf);
  const coverageUs = ((performance.now() - t) / texts.length) * 1000;
  if (rep === 1) console.log(`\nper message: classification ${classifyUs.toFixed(1)} µs (mean), wordMass coverage from the counted hashes ${coverageUs.toFixed(2)} µs (${sink > 0 ? 'ok' : ''})`);
}
