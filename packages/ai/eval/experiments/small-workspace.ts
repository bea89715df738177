// The threshold is one number for every workspace. Does a coverage certainty chosen on CLINC150 (15,000
// training phrases) still let a small workspace answer? Default intents (688 phrases, 8 languages):
//   - the 112 held-out phrasings of src/intents/default-intents.test.ts (src/intents/default-intents.held-out.ts):
//     right AND accepted at each certainty's CLINC-protocol threshold (from clinc.ts);
//   - 5-fold CV over the 688 default phrases (stratified by intent, seed 1): right AND accepted;
//   - CLINC val's 100 out-of-scope questions and its 3,000 in-scope ones (off-topic for an e-commerce shop,
//     except a few banking/small-talk ones): share turned away.
//   npx tsx packages/ai/eval/experiments/small-workspace.ts
import { defaultPhrases, heldOutDefaultPhrasings, judgeCertainties, pct, readClincSplits, stratifiedFolds, trainBase, type Base, type Coverage, type Example } from './common.ts';

// Thresholds the CLINC protocol chose (clinc.ts, "threshold (train protocol)").
const CERTAINTIES: readonly { name: string; threshold: number; of: (p: number, c: Coverage) => number }[] = [
  { name: 'p (shipped)', threshold: 0.38, of: (p) => p },
  { name: 'p × tokens^2', threshold: 0.25, of: (p, c) => p * c.tokens ** 2 },
  { name: 'p × wordMass^1', threshold: 0.18, of: (p, c) => p * c.wordMass },
  { name: 'p × wordMass^2', threshold: 0.1, of: (p, c) => p * c.wordMass ** 2 },
  { name: 'p × charMass^2', threshold: 0.26, of: (p, c) => p * c.charMass ** 2 },
  { name: 'p × allMass^2', threshold: 0.23, of: (p, c) => p * c.allMass ** 2 },
];

const heldOut = heldOutDefaultPhrasings;
const phrases = defaultPhrases;
const { valIn, oosVal } = await readClincSplits();
const clincIn = valIn.map((e) => e.text);

const judge = (base: Base, texts: readonly string[]) => judgeCertainties(base, texts, CERTAINTIES);
const rightAndAccepted = (base: Base, examples: readonly Example[]): number[] => {
  const j = judge(
    base,
    examples.map((e) => e.text),
  );
  return CERTAINTIES.map((c, k) => examples.filter((e, i) => base.labels[j.best[i] as number] === e.label && (j.certainty[k]?.[i] as number) >= c.threshold).length);
};

const full = trainBase(phrases);
const held = rightAndAccepted(full, heldOut);
const rejected = (texts: readonly string[]): number[] => {
  const j = judge(full, texts);
  return CERTAINTIES.map((c, k) => (j.certainty[k] as Float64Array).filter((v) => v < c.threshold).length / texts.length);
};
const oosRejected = rejected(oosVal);
const clincRejected = rejected(clincIn);

const fold = stratifiedFolds(
  phrases.map((e) => e.label),
  5,
  1,
);
const cv = CERTAINTIES.map(() => 0);
for (let f = 0; f < 5; f++) {
  const base = trainBase(phrases.filter((_, i) => fold[i] !== f));
  rightAndAccepted(
    base,
    phrases.filter((_, i) => fold[i] === f),
  ).forEach((n, k) => (cv[k] = (cv[k] as number) + n));
}

// Fair comparison: probability alone at the threshold that turns away as many of CLINC val's oos questions as
// each coverage certainty does (is coverage a better separator here, or only a stricter threshold?).
const pOos = Float64Array.from(judge(full, oosVal).certainty[0] as Float64Array).sort();
const matched = CERTAINTIES.map((_, k) => {
  const n = Math.round((oosRejected[k] as number) * oosVal.length);
  return n === 0 ? 0 : (pOos[n - 1] as number) + 1e-12;
});
const pOnly = CERTAINTIES[0] as (typeof CERTAINTIES)[number];
const heldMatched: number[] = [];
const cvMatched = CERTAINTIES.map(() => 0);
{
  const j = judge(
    full,
    heldOut.map((e) => e.text),
  );
  matched.forEach((t, k) => (heldMatched[k] = heldOut.filter((e, i) => full.labels[j.best[i] as number] === e.label && (j.certainty[0]?.[i] as number) >= t).length));
  for (let f = 0; f < 5; f++) {
    const base = trainBase(phrases.filter((_, i) => fold[i] !== f));
    const test = phrases.filter((_, i) => fold[i] === f);
    const jf = judge(
      base,
      test.map((e) => e.text),
    );
    matched.forEach((t, k) => (cvMatched[k] = (cvMatched[k] as number) + test.filter((e, i) => base.labels[jf.best[i] as number] === e.label && (jf.certainty[0]?.[i] as number) >= t).length));
  }
}

console.log(`default intents: ${phrases.length} phrases, ${heldOut.length} held-out phrasings`);
console.log('certainty | threshold | held-out phrasings right & accepted | 5-fold CV right & accepted | CLINC val oos turned away | CLINC val in-scope (off-topic here) turned away');
CERTAINTIES.forEach((c, k) =>
  console.log(
    [c.name, c.threshold.toFixed(2), pct((held[k] as number) / heldOut.length, 1), pct((cv[k] as number) / phrases.length, 1), pct(oosRejected[k] as number, 0), pct(clincRejected[k] as number, 1)].join(' | '),
  ),
);
console.log(`\n${pOnly.name} at the threshold turning away as many CLINC val oos questions as each certainty above:`);
CERTAINTIES.forEach((c, k) =>
  console.log([`p matched to ${c.name}`, matched[k]?.toFixed(3), pct((heldMatched[k] as number) / heldOut.length, 1), pct((cvMatched[k] as number) / phrases.length, 1), pct(oosRejected[k] as number, 0)].join(' | ')),
);
