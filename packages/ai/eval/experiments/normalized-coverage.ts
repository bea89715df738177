// Coverage normalized by the workspace's own held-out coverage: certainty = p × min(1, wordMass / c_ref)^γ.
// c_ref is measured at training time on the workspace's own phrases: 5 folds (stratifiedFolds(labels, 5, 1)); each
// held-out phrase's wordMass coverage against the vocabulary and idf of the other 4 folds (Vectorizer.fit only, no
// model training); c_ref = the 10th / 25th percentile or the mean of those coverages. At classification time the
// coverage is against the full training vocabulary, as before (common.ts coverageOf).
//
// 1. CLINC150, the shipped protocol (as clinc.ts): a model on 4/5 of train (stratifiedFolds(.., 5, 2), fold 0 held
//    out), c_ref from that 4/5, the lowest 0.01-step threshold turning away ≥ 85% of the 100 oos_train questions;
//    then the model on all of train (c_ref from all of train) judged on val. Upper bound: the lowest 0.01-step
//    threshold with ≥ 85% recall on val itself. Stability (as coverage-stability.ts): each of the 5 folds held out
//    in turn to choose the threshold (c_ref from that fold's 4/5), applied to the full model on val.
// 2. Default intents (as small-workspace.ts), at the thresholds step 1's protocol (fold 0) chose: the 112 held-out
//    phrasings right & accepted, 5-fold CV right & accepted (c_ref nested: from each CV training part's own 5 folds),
//    CLINC val oos (and in-scope, off-topic here) turned away; plus p alone at the threshold turning away as many
//    CLINC val oos questions.
// 3. c_ref per workspace, the training-time cost of c_ref and the per-message cost.
//   npx tsx packages/ai/eval/experiments/normalized-coverage.ts            (~3-4 min, one core)
import { countHashes, defaultFeatureOptions, featureHashes } from '../../src/classifier/features.ts';
import { scoreSparse } from '../../src/classifier/softmax.ts';
import { Vectorizer } from '../../src/classifier/vectorizer.ts';
import {
  coverageOf,
  defaultPhrases,
  exactThreshold,
  heldOutDefaultPhrasings,
  idfLookup,
  knownHashes,
  pct,
  protocolThreshold,
  readClincSplits,
  shippedDecision,
  shippedModel,
  stratifiedFolds,
  trainBase,
  wordMassOfCounts,
  type Base,
  type Example,
} from './common.ts';

type RefKind = 'none' | 'one' | 'p10' | 'p25' | 'mean';
interface Refs {
  readonly p10: number;
  readonly p25: number;
  readonly mean: number;
}
const VARIANTS: readonly { name: string; ref: RefKind; gamma: number }[] = [
  { name: 'p (shipped)', ref: 'none', gamma: 0 },
  { name: 'p × wordMass (c_ref = 1)', ref: 'one', gamma: 1 },
  { name: 'p × min(1, wordMass/c_p10)', ref: 'p10', gamma: 1 },
  { name: 'p × min(1, wordMass/c_p25)', ref: 'p25', gamma: 1 },
  { name: 'p × min(1, wordMass/c_mean)', ref: 'mean', gamma: 1 },
  { name: 'p × min(1, wordMass/c_p10)^2', ref: 'p10', gamma: 2 },
  { name: 'p × min(1, wordMass/c_p25)^2', ref: 'p25', gamma: 2 },
  { name: 'p × min(1, wordMass/c_mean)^2', ref: 'mean', gamma: 2 },
];
function certainty(p: number, wordMass: number, refs: Refs, v: (typeof VARIANTS)[number]): number {
  if (v.ref === 'none') return p;
  const ref = v.ref === 'one' ? 1 : refs[v.ref];
  const factor = ref <= 0 ? 1 : Math.min(1, wordMass / ref);
  return p * factor ** v.gamma;
}

/** c_ref: each phrase's wordMass coverage against the vocabulary/idf of the other 4 of 5 folds. */
function referenceCoverage(examples: readonly Example[]): Refs & { seconds: number } {
  const t = performance.now();
  const fold = stratifiedFolds(
    examples.map((e) => e.label),
    5,
    1,
  );
  const covs: number[] = [];
  for (let f = 0; f < 5; f++) {
    const trainTexts = examples.filter((_, i) => fold[i] !== f).map((e) => e.text);
    const { vectorizer } = Vectorizer.fit(trainTexts, defaultFeatureOptions);
    const known = knownHashes(vectorizer);
    examples.forEach((e, i) => {
      if (fold[i] === f) covs.push(coverageOf(vectorizer, known, e.text, trainTexts.length).wordMass);
    });
  }
  covs.sort((a, b) => a - b);
  const q = (x: number): number => covs[Math.floor(x * (covs.length - 1))] as number;
  return { p10: q(0.1), p25: q(0.25), mean: covs.reduce((s, c) => s + c, 0) / covs.length, seconds: (performance.now() - t) / 1000 };
}
const showRefs = (r: Refs): string => `p10 ${r.p10.toFixed(3)}, p25 ${r.p25.toFixed(3)}, mean ${r.mean.toFixed(3)}`;

interface Judged {
  readonly best: Int32Array;
  readonly p: Float64Array;
  readonly wordMass: Float64Array;
}
function judge(base: Base, texts: readonly string[]): Judged {
  const d = shippedDecision(base, texts);
  const known = knownHashes(base.vectorizer);
  return { best: d.best, p: d.probability, wordMass: Float64Array.from(texts, (t) => coverageOf(base.vectorizer, known, t, base.classOf.length).wordMass) };
}
const certs = (j: Judged, refs: Refs, v: (typeof VARIANTS)[number]): Float64Array => Float64Array.from(j.p, (p, i) => certainty(p, j.wordMass[i] as number, refs, v));
const rightAccepted = (base: Base, j: Judged, gold: readonly Example[], c: Float64Array, threshold: number): number =>
  gold.filter((e, i) => base.labels[j.best[i] as number] === e.label && (c[i] as number) >= threshold).length;
const rejectedShare = (c: Float64Array, threshold: number): number => c.filter((v) => v < threshold).length / c.length;

// ---- 1. CLINC150 -----------------------------------------------------------------------------------------
const { examples, oosTrain, valIn, oosVal } = await readClincSplits();
const clincFold = stratifiedFolds(
  examples.map((e) => e.label),
  5,
  2,
);

let t = performance.now();
const full = trainBase(examples);
const trainSeconds = (performance.now() - t) / 1000;
const refsFull = referenceCoverage(examples);
console.log(`CLINC full model trained in ${trainSeconds.toFixed(1)} s; c_ref (all of train, ${examples.length} phrases): ${showRefs(refsFull)} (computed in ${refsFull.seconds.toFixed(1)} s)`);
const jIn = judge(
  full,
  valIn.map((e) => e.text),
);
const jOut = judge(full, oosVal);

const protocol: { threshold: number; heldInScope: number }[] = [];
const perFold: { threshold: number; inScope: number; recall: number }[][] = VARIANTS.map(() => []);
for (let f = 0; f < 5; f++) {
  t = performance.now();
  const part = examples.filter((_, i) => clincFold[i] !== f);
  const small = trainBase(part);
  const refs = referenceCoverage(part);
  const jOos = judge(small, oosTrain);
  const held = f === 0 ? examples.filter((_, i) => clincFold[i] === 0) : [];
  const jHeld =
    f === 0
      ? judge(
          small,
          held.map((e) => e.text),
        )
      : undefined;
  console.error(`fold ${f}: ${((performance.now() - t) / 1000).toFixed(1)} s; c_ref ${showRefs(refs)}`);
  console.log(`  threshold fold ${f} (4/5 of train, ${part.length} phrases): c_ref ${showRefs(refs)}`);
  VARIANTS.forEach((v, k) => {
    const threshold = protocolThreshold(certs(jOos, refs, v));
    const cIn = certs(jIn, refsFull, v);
    const inScope = rightAccepted(full, jIn, valIn, cIn, threshold) / valIn.length;
    const recall = rejectedShare(certs(jOut, refsFull, v), threshold);
    perFold[k]?.push({ threshold, inScope, recall });
    if (jHeld) protocol.push({ threshold, heldInScope: rightAccepted(small, jHeld, held, certs(jHeld, refs, v), threshold) / held.length });
  });
}

console.log('\nCLINC protocol (fold 0) | threshold | held-out fifth in-scope | val in-scope @thr | val oos recall @thr | upper bound val in-scope @≥85% (0.01 step) | exact');
VARIANTS.forEach((v, k) => {
  const pr = protocol[k] as { threshold: number; heldInScope: number };
  const onVal = (perFold[k] as { inScope: number; recall: number }[])[0] as { inScope: number; recall: number };
  const cIn = certs(jIn, refsFull, v);
  const cOut = certs(jOut, refsFull, v);
  const ub = protocolThreshold(cOut);
  const ubx = exactThreshold(cOut);
  console.log(
    [
      v.name,
      pr.threshold.toFixed(2),
      pct(pr.heldInScope, 1),
      pct(onVal.inScope, 1),
      pct(onVal.recall, 0),
      `${pct(rightAccepted(full, jIn, valIn, cIn, ub) / valIn.length, 1)} (thr ${ub.toFixed(2)}, recall ${pct(rejectedShare(cOut, ub), 0)})`,
      pct(rightAccepted(full, jIn, valIn, cIn, ubx) / valIn.length, 1),
    ].join(' | '),
  );
});
console.log('\nCLINC stability | thresholds (folds 0-4) | val in-scope per fold | val oos recall per fold | mean in-scope | mean recall | folds meeting ≥90% & ≥85%');
VARIANTS.forEach((v, k) => {
  const r = perFold[k] as { threshold: number; inScope: number; recall: number }[];
  console.log(
    [
      v.name,
      r.map((x) => x.threshold.toFixed(2)).join(' '),
      r.map((x) => pct(x.inScope, 1)).join(' '),
      r.map((x) => pct(x.recall, 0)).join(' '),
      pct(r.reduce((s, x) => s + x.inScope, 0) / 5, 1),
      pct(r.reduce((s, x) => s + x.recall, 0) / 5, 1),
      `${r.filter((x) => x.inScope >= 0.9 && x.recall >= 0.85).length}/5`,
    ].join(' | '),
  );
});

// ---- 2. default intents ----------------------------------------------------------------------------------
const thresholds = protocol.map((p) => p.threshold);
const heldOut = heldOutDefaultPhrasings;
const phrases = defaultPhrases;
const clincInTexts = valIn.map((e) => e.text);

const dFull = trainBase(phrases);
const dRefs = referenceCoverage(phrases);
console.log(`\ndefault intents: ${phrases.length} phrases, ${heldOut.length} held-out phrasings; c_ref (all phrases): ${showRefs(dRefs)} (computed in ${(dRefs.seconds * 1000).toFixed(0)} ms)`);
const dHeld = judge(
  dFull,
  heldOut.map((e) => e.text),
);
const dOos = judge(dFull, oosVal);
const dClincIn = judge(dFull, clincInTexts);
const heldOk = VARIANTS.map((v, k) => rightAccepted(dFull, dHeld, heldOut, certs(dHeld, dRefs, v), thresholds[k] as number));
const oosRej = VARIANTS.map((v, k) => rejectedShare(certs(dOos, dRefs, v), thresholds[k] as number));
const clincInRej = VARIANTS.map((v, k) => rejectedShare(certs(dClincIn, dRefs, v), thresholds[k] as number));

// p alone at the threshold turning away as many CLINC val oos questions as each variant.
const pOosSorted = Float64Array.from(dOos.p).sort();
const matched = oosRej.map((share) => {
  const n = Math.round(share * oosVal.length);
  return n === 0 ? 0 : (pOosSorted[n - 1] as number) + 1e-12;
});
const heldMatched = matched.map((thr) => rightAccepted(dFull, dHeld, heldOut, dHeld.p, thr));

const dFold = stratifiedFolds(
  phrases.map((e) => e.label),
  5,
  1,
);
const cv = VARIANTS.map(() => 0);
const cvMatched = VARIANTS.map(() => 0);
const cvRefs: Refs[] = [];
for (let f = 0; f < 5; f++) {
  const part = phrases.filter((_, i) => dFold[i] !== f);
  const test = phrases.filter((_, i) => dFold[i] === f);
  const base = trainBase(part);
  const refs = referenceCoverage(part);
  cvRefs.push(refs);
  const j = judge(
    base,
    test.map((e) => e.text),
  );
  VARIANTS.forEach((v, k) => {
    cv[k] = (cv[k] as number) + rightAccepted(base, j, test, certs(j, refs, v), thresholds[k] as number);
    cvMatched[k] = (cvMatched[k] as number) + rightAccepted(base, j, test, j.p, matched[k] as number);
  });
}
console.log(`c_ref of the 5 CV training parts: ${cvRefs.map(showRefs).join(' / ')}`);
console.log('\ndefault intents | CLINC threshold | held-out phrasings right & accepted | 5-fold CV right & accepted | CLINC val oos turned away | CLINC val in-scope (off-topic) turned away | p alone at equal oos rejection: thr, held-out, CV');
VARIANTS.forEach((v, k) =>
  console.log(
    [
      v.name,
      (thresholds[k] as number).toFixed(2),
      `${pct((heldOk[k] as number) / heldOut.length, 1)} (${heldOk[k]})`,
      pct((cv[k] as number) / phrases.length, 1),
      pct(oosRej[k] as number, 0),
      pct(clincInRej[k] as number, 1),
      `${(matched[k] as number).toFixed(3)}, ${pct((heldMatched[k] as number) / heldOut.length, 1)}, ${pct((cvMatched[k] as number) / phrases.length, 1)}`,
    ].join(' | '),
  ),
);

// ---- 3. cost per classification --------------------------------------------------------------------------
// As coverage-stability.ts: a shipped version adds the unknown word features' mass inside Vectorizer.weigh (one
// more lookup per distinct hash) and one division/min/power with the stored c_ref.
const idf = idfLookup(full.vectorizer);
const unseenIdf = Math.log(1 + examples.length) + 1;
const texts = [...clincInTexts, ...oosVal];
const scores = new Float64Array(full.labels.length);
const model = shippedModel(full);
const classify = (text: string): void => {
  const v = full.vectorizer.transform(text);
  scoreSparse(model, v.columns, v.values, 0, v.columns.length, scores);
};
const counted = texts.map((x) => countHashes(featureHashes(x, full.vectorizer.options)));
const cRef = refsFull.p25;
let sink = 0;
const normalized = (c: { keys: Uint32Array; counts: Float32Array }): number => Math.min(1, wordMassOfCounts(c, idf, unseenIdf) / cRef) ** 2;
for (let rep = 0; rep < 2; rep++) {
  let t0 = performance.now();
  for (const text of texts) classify(text);
  const classifyUs = ((performance.now() - t0) / texts.length) * 1000;
  t0 = performance.now();
  for (const c of counted) sink += normalized(c);
  const coverageUs = ((performance.now() - t0) / texts.length) * 1000;
  if (rep === 1)
    console.log(
      `\nper message: classification ${classifyUs.toFixed(1)} µs, normalized coverage from the counted hashes ${coverageUs.toFixed(2)} µs (${sink > 0 ? 'ok' : ''}); ` +
        `training: c_ref adds ${refsFull.seconds.toFixed(1)} s on CLINC (model ${trainSeconds.toFixed(1)} s), ${(dRefs.seconds * 1000).toFixed(0)} ms on the default intents; model size +1 number (c_ref)`,
    );
}
