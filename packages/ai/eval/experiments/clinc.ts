// CLINC150: NB-SVM members and vocabulary-coverage certainties, under the shipped threshold protocol.
//   npx tsx packages/ai/eval/experiments/clinc.ts
// Protocol (as eval/intent-threshold.ts): a model trained on 4/5 of CLINC train (stratifiedFolds(.., 5, 2), fold 0
// held out); the lowest threshold (steps of 0.01) turning away ≥ 85% of the 100 oos_train questions; then a model
// trained on all of train, that threshold applied to val (in-scope accuracy = right and not rejected; oos recall).
// Upper bound: on val itself, the lowest 0.01-step threshold with ≥ 85% oos recall (and the exact one).
import type { LinearWeights } from '../../src/classifier/softmax.ts';
import type { SparseRows } from '../../src/classifier/vectorizer.ts';
import {
  binarize,
  coverageOf,
  decide,
  knownHashes,
  mix,
  pct,
  readClincSplits,
  protocolThreshold,
  exactThreshold,
  scoreRows,
  stratifiedFolds,
  trainBase,
  trainNbSvm,
  SVM_WEIGHT,
  TEMPERATURE,
  type Base,
  type Coverage,
  type Example,
} from './common.ts';

const { examples, oosTrain, valIn, oosVal } = await readClincSplits();
const fold = stratifiedFolds(
  examples.map((e) => e.label),
  5,
  2,
);

// A model's members: name → how to score rows (the members are linear models over the vectorizer's rows).
type Member = (rows: SparseRows) => Float64Array;
interface Trained {
  readonly base: Base;
  readonly members: Map<string, Member>;
  readonly seconds: Map<string, number>;
}

function trainAll(trainExamples: readonly Example[]): Trained {
  let t = performance.now();
  const base = trainBase(trainExamples);
  const seconds = new Map<string, number>([['base', (performance.now() - t) / 1000]]);
  const C = base.labels.length;
  const F = base.vectorizer.size;
  const members = new Map<string, Member>([
    ['soft', (r) => scoreRows(base.softmax, r)],
    ['svm', (r) => scoreRows(base.svm, r)],
  ]);
  const nb = (name: string, ratio: SparseRows, x: SparseRows, beta: number, transform: (r: SparseRows) => SparseRows): void => {
    t = performance.now();
    const [model] = trainNbSvm(base.classOf, C, F, { ratioRows: ratio, trainRows: x, alpha: 1, c: 1, betas: [beta], passes: 5, seed: 1 }) as [LinearWeights];
    seconds.set(name, (performance.now() - t) / 1000);
    members.set(name, (r) => scoreRows(model, transform(r)));
  };
  const bin = binarize(base.rows);
  nb('nb bin/tfidf β=1', bin, base.rows, 1, (r) => r);
  nb('nb bin/bin β=0.25', bin, bin, 0.25, binarize);
  return { base, members, seconds };
}

// Combined models: member weights.
const COMBOS: Record<string, Record<string, number>> = {
  'softmax + 3 SVM (shipped)': { soft: 1, svm: SVM_WEIGHT },
  '(a) softmax + 3 NB bin/tfidf β=1': { soft: 1, 'nb bin/tfidf β=1': 3 },
  '(b) softmax + 3 SVM + 1 NB bin/tfidf β=1': { soft: 1, svm: SVM_WEIGHT, 'nb bin/tfidf β=1': 1 },
  '(a) softmax + 3 NB bin/bin β=0.25': { soft: 1, 'nb bin/bin β=0.25': 3 },
  '(b) softmax + 3 SVM + 1 NB bin/bin β=0.25': { soft: 1, svm: SVM_WEIGHT, 'nb bin/bin β=0.25': 1 },
};

interface Judged {
  readonly right: boolean[]; // in-scope rows: predicted label is gold
  readonly pIn: Float64Array;
  readonly pOut: Float64Array;
}

function judge(trained: Trained, combo: Record<string, number>, inScope: readonly Example[], outOfScope: readonly string[]): Judged {
  const { base, members } = trained;
  const C = base.labels.length;
  const labelIndex = new Map(base.labels.map((l, i) => [l, i]));
  const rowsIn = base.vectorizer.transformAll(inScope.map((e) => e.text));
  const rowsOut = base.vectorizer.transformAll(outOfScope);
  const scored = (rows: SparseRows) => mix(Object.entries(combo).map(([name, w]) => [w, (members.get(name) as Member)(rows)] as const));
  const dIn = decide(scored(rowsIn), C, TEMPERATURE);
  const dOut = decide(scored(rowsOut), C, TEMPERATURE);
  return { right: inScope.map((e, i) => dIn.best[i] === labelIndex.get(e.label)), pIn: dIn.probability, pOut: dOut.probability };
}

const at = (certIn: Float64Array, right: boolean[], certOut: Float64Array, threshold: number) => {
  let ok = 0;
  for (let i = 0; i < right.length; i++) if (right[i] && (certIn[i] as number) >= threshold) ok++;
  let rejected = 0;
  for (const c of certOut) if (c < threshold) rejected++;
  return { inScope: ok / right.length, recall: rejected / certOut.length };
};
function coverages(trained: Trained, texts: readonly string[]): Coverage[] {
  const known = knownHashes(trained.base.vectorizer);
  return texts.map((t) => coverageOf(trained.base.vectorizer, known, t, trained.base.classOf.length));
}

// Certainty variants: probability × coverage^γ.
const KINDS = ['tokens', 'wordMass', 'charMass', 'allMass'] as const;
const GAMMAS = [0.5, 1, 2];
function certainties(p: Float64Array, cov: readonly Coverage[]): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>([['p', p]]);
  for (const kind of KINDS) for (const g of GAMMAS) out.set(`p × ${kind}^${g}`, Float64Array.from(p, (v, i) => v * (cov[i] as Coverage)[kind] ** g));
  return out;
}

let t = performance.now();
const small = trainAll(examples.filter((_, i) => fold[i] !== 0));
const heldOut = examples.filter((_, i) => fold[i] === 0);
console.error(`4/5 model trained (${((performance.now() - t) / 1000).toFixed(1)} s; ${JSON.stringify(Object.fromEntries(small.seconds))})`);
t = performance.now();
const full = trainAll(examples);
console.error(`full model trained (${((performance.now() - t) / 1000).toFixed(1)} s; ${JSON.stringify(Object.fromEntries(full.seconds))})`);

t = performance.now();
const covHeld = coverages(small, heldOut.map((e) => e.text));
const covOosTrain = coverages(small, oosTrain);
const covValIn = coverages(full, valIn.map((e) => e.text));
const covOosVal = coverages(full, oosVal);
const covMs = (performance.now() - t) / (covHeld.length + covOosTrain.length + covValIn.length + covOosVal.length);

const mean = (cov: readonly Coverage[], kind: (typeof KINDS)[number]): string => pct(cov.reduce((s, c) => s + c[kind], 0) / cov.length, 1);
const fullShare = (cov: readonly Coverage[], kind: (typeof KINDS)[number]): string => pct(cov.filter((c) => c[kind] >= 1).length / cov.length, 0);
console.log('coverage (mean; share of messages fully covered):');
for (const kind of KINDS) {
  console.log(
    `  ${kind.padEnd(9)} val in-scope ${mean(covValIn, kind)} (${fullShare(covValIn, kind)})  val oos ${mean(covOosVal, kind)} (${fullShare(covOosVal, kind)})  ` +
      `held-out fifth ${mean(covHeld, kind)} (${fullShare(covHeld, kind)})  oos_train ${mean(covOosTrain, kind)} (${fullShare(covOosTrain, kind)})`,
  );
}
console.log(`coverage computed in ${(covMs * 1000).toFixed(1)} µs per message (this script's unoptimized version)\n`);

console.log(
  ['model', 'certainty', 'val in-scope (no threshold)', 'threshold (train protocol)', 'held-out fifth in-scope', 'val in-scope @thr', 'val oos recall @thr', 'upper bound: val in-scope @≥85% (0.01 step)', 'exact'].join(' | '),
);
for (const [comboName, combo] of Object.entries(COMBOS)) {
  const a = judge(small, combo, heldOut, oosTrain);
  const b = judge(full, combo, valIn, oosVal);
  const certA = certainties(a.pIn, covHeld);
  const certAOut = certainties(a.pOut, covOosTrain);
  const certB = certainties(b.pIn, covValIn);
  const certBOut = certainties(b.pOut, covOosVal);
  const noThreshold = at(b.pIn, b.right, b.pOut, 0).inScope;
  for (const [certName, cA] of certA) {
    // Coverage variants only for the shipped model and the NB members' best: keep the table readable.
    if (certName !== 'p' && comboName !== 'softmax + 3 SVM (shipped)') continue;
    const cAOut = certAOut.get(certName) as Float64Array;
    const cB = certB.get(certName) as Float64Array;
    const cBOut = certBOut.get(certName) as Float64Array;
    const threshold = protocolThreshold(cAOut);
    const held = at(cA, a.right, cAOut, threshold);
    const onVal = at(cB, b.right, cBOut, threshold);
    const ub = at(cB, b.right, cBOut, protocolThreshold(cBOut));
    const ubExact = at(cB, b.right, cBOut, exactThreshold(cBOut));
    console.log(
      [
        comboName,
        certName,
        pct(noThreshold, 1),
        threshold.toFixed(2),
        pct(held.inScope, 1),
        pct(onVal.inScope, 1),
        pct(onVal.recall, 0),
        `${pct(ub.inScope, 1)} (recall ${pct(ub.recall, 0)})`,
        `${pct(ubExact.inScope, 1)} (${pct(ubExact.recall, 0)})`,
      ].join(' | '),
    );
  }
}
