// A per-workspace CALIBRATED certainty with one global threshold. At training time each workspace fits a tiny
// logistic regression mapping (p, wordMass coverage) to P(the answer is right), from held-out predictions of its
// own phrases (k-fold, stratified by intent; k = 5, or one 80/20 split = fold 0 of the same 5) plus off-topic
// negatives (CLINC150's oos TRAINING questions, never val; y = 0, total weight π × the in-scope total), scored by
// the same fold models. The final model (trained on all phrases) answers with certainty = sigmoid(w · φ(p, wm)).
//
// Scored (step 1, slow: ~11 CLINC trainings, one at a time):
//   CLINC workspace: 5 models on 4/5 of train (stratifiedFolds(labels, 5, 2), as the threshold protocol) -> their
//     held-out fifth + the 100 oos_train questions; the model on all of train -> val in-scope + val oos.
//     Protocol (train only): the fold-0 model is the protocol's 4/5 model; it is calibrated within its 4/5 by 5
//     inner models (stratifiedFolds(4/5 labels, 5, 1)), and T is chosen on its held-out fifth + oos_train.
//   Default workspace (688 phrases): 5 fold models (stratifiedFolds(labels, 5, 1)) -> calibration; the model on all
//     phrases -> 112 held-out phrasings, CLINC val oos, CLINC val in-scope (off-topic for a shop); 5-fold CV, each
//     training part calibrated by its own 5 inner folds.
// Analysed (step 2, fast): feature sets × π × k × negatives (all 100 oos_train, or half A of them with the other
// half B kept for choosing T, or the swap), over a grid of global thresholds T and at the T the CLINC protocol
// chooses (lowest 0.01 step turning away ≥ 85 % of the oos_train questions the calibrator did not see, or of all 100).
//   npx tsx packages/ai/eval/experiments/calibrated.ts --stability --fine      (~9 min on one core; RESULTS.md §4)
// Options: --cache FILE (keep the raw scores: score once, re-analyse in seconds); --grid (every config's 0.05 grid);
// --fine (0.01 grid, π = 0.25, k = 5); --stability (20 more CLINC trainings: the protocol with each of the 5 folds
// held out); --timing (retrains the default intents and CLINC with their 5 fold models on a quiet machine, ~2 min).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { seededRandom, shuffleInPlace } from '../../src/classifier/random.ts';
import { heldOutPhrasings } from '../../src/intents/default-intents.held-out.ts';
import { defaultPhrases, heldOutDefaultPhrasings, judgeCertainties, pct, protocolThreshold, readClincSplits, stratifiedFolds, trainBase, type Example } from './common.ts';

// ---- step 1: raw scores -------------------------------------------------------------------------------------

/** The shipped model's probability p of its best intent and the wordMass coverage, per message; right = 1/0 when gold is known. */
interface Scores {
  readonly p: number[];
  readonly wm: number[];
  readonly right?: number[];
}
/** One workspace's calibration data (one entry per fold model) and its final model's scores on evaluation sets. */
interface Runs {
  readonly folds: { held: Scores; oos: Scores; seconds: number }[];
  readonly evals: Record<string, Scores>;
  readonly finalSeconds: number;
}
interface AllScores {
  readonly clinc: Runs; // final = all of CLINC train; evals valIn, oosVal
  readonly clincProtocol: Runs; // final = the 4/5 model (fold 0); folds = its 5 inner folds; evals heldFifth, oosTrain
  readonly defaults: Runs; // evals heldOut, clincOosVal, clincValIn
  readonly defaultsCv: Runs[]; // per CV fold: final = the 4/5 model, folds = its inner folds; evals test
  /** --stability: the protocol with outer folds 1-4 held out instead of 0 (as clincProtocol). */
  clincProtocolOthers?: Runs[];
}

const CERTS = [{ of: (p: number) => p }, { of: (_p: number, c: { wordMass: number }) => c.wordMass }];
function scoreWith(base: ReturnType<typeof trainBase>, texts: readonly string[], gold?: readonly string[]): Scores {
  const j = judgeCertainties(base, texts, CERTS);
  const p = Array.from(j.certainty[0] as Float64Array);
  const wm = Array.from(j.certainty[1] as Float64Array);
  return gold ? { p, wm, right: gold.map((g, i) => (base.labels[j.best[i] as number] === g ? 1 : 0)) } : { p, wm };
}
function timedTrain(examples: readonly Example[]): { base: ReturnType<typeof trainBase>; seconds: number } {
  const t = performance.now();
  const base = trainBase(examples);
  return { base, seconds: (performance.now() - t) / 1000 };
}
/** k-fold calibration data for a workspace: each fold model scores its held-out phrases and the negatives. */
function foldRuns(examples: readonly Example[], seed: number, negatives: readonly string[], log: string): Runs['folds'] {
  const fold = stratifiedFolds(
    examples.map((e) => e.label),
    5,
    seed,
  );
  const out: Runs['folds'] = [];
  for (let f = 0; f < 5; f++) {
    const { base, seconds } = timedTrain(examples.filter((_, i) => fold[i] !== f));
    const held = examples.filter((_, i) => fold[i] === f);
    out.push({
      held: scoreWith(
        base,
        held.map((e) => e.text),
        held.map((e) => e.label),
      ),
      oos: scoreWith(base, negatives),
      seconds,
    });
    if (log) console.error(`${log} fold ${f}: trained in ${seconds.toFixed(1)} s`);
  }
  return out;
}

const clincSplits = await readClincSplits();
const { examples, oosTrain, valIn, oosVal } = clincSplits;

function scoreEverything(): AllScores {
  const texts = (xs: readonly Example[]) => xs.map((e) => e.text);
  const labels = (xs: readonly Example[]) => xs.map((e) => e.label);
  // CLINC: outer folds (seed 2 = the protocol's split; fold 0 = the protocol's 4/5 model).
  const outer = stratifiedFolds(labels(examples), 5, 2);
  const clincFolds: Runs['folds'] = [];
  let protocolEvals: Record<string, Scores> = {};
  for (let f = 0; f < 5; f++) {
    const { base, seconds } = timedTrain(examples.filter((_, i) => outer[i] !== f));
    const held = examples.filter((_, i) => outer[i] === f);
    const h = scoreWith(base, texts(held), labels(held));
    const o = scoreWith(base, oosTrain);
    clincFolds.push({ held: h, oos: o, seconds });
    if (f === 0) protocolEvals = { heldFifth: h, oosTrain: o };
    console.error(`CLINC outer fold ${f}: trained in ${seconds.toFixed(1)} s`);
  }
  const protocolFinalSeconds = (clincFolds[0] as Runs['folds'][number]).seconds;
  const part0 = examples.filter((_, i) => outer[i] !== 0);
  const protocolFolds = foldRuns(part0, 1, oosTrain, 'CLINC protocol inner');
  const full = timedTrain(examples);
  console.error(`CLINC full model: trained in ${full.seconds.toFixed(1)} s`);
  const clinc: Runs = { folds: clincFolds, evals: { valIn: scoreWith(full.base, texts(valIn), labels(valIn)), oosVal: scoreWith(full.base, oosVal) }, finalSeconds: full.seconds };

  // Default intents.
  const dFull = timedTrain(defaultPhrases);
  const defaults: Runs = {
    folds: foldRuns(defaultPhrases, 1, oosTrain, ''),
    evals: {
      heldOut: scoreWith(dFull.base, texts(heldOutDefaultPhrasings), labels(heldOutDefaultPhrasings)),
      clincOosVal: scoreWith(dFull.base, oosVal),
      clincValIn: scoreWith(dFull.base, texts(valIn)),
    },
    finalSeconds: dFull.seconds,
  };
  const dFold = stratifiedFolds(labels(defaultPhrases), 5, 1);
  const defaultsCv: Runs[] = [];
  for (let f = 0; f < 5; f++) {
    const part = defaultPhrases.filter((_, i) => dFold[i] !== f);
    const test = defaultPhrases.filter((_, i) => dFold[i] === f);
    const m = timedTrain(part);
    defaultsCv.push({ folds: foldRuns(part, 1, oosTrain, ''), evals: { test: scoreWith(m.base, texts(test), labels(test)) }, finalSeconds: m.seconds });
  }
  console.error('default intents scored');
  return { clinc, clincProtocol: { folds: protocolFolds, evals: protocolEvals, finalSeconds: protocolFinalSeconds }, defaults, defaultsCv };
}

const cacheAt = process.argv.indexOf('--cache');
const cacheFile = cacheAt > 0 ? process.argv[cacheAt + 1] : undefined;
let all: AllScores;
if (cacheFile && existsSync(cacheFile)) {
  all = JSON.parse(readFileSync(cacheFile, 'utf8')) as AllScores;
  console.error(`scores read from ${cacheFile}`);
} else {
  all = scoreEverything();
  if (cacheFile) writeFileSync(cacheFile, JSON.stringify(all));
}
if (process.argv.includes('--stability') && !all.clincProtocolOthers) {
  const outer = stratifiedFolds(
    examples.map((e) => e.label),
    5,
    2,
  );
  all.clincProtocolOthers = [1, 2, 3, 4].map((f) => {
    const outerRun = all.clinc.folds[f] as Runs['folds'][number];
    return {
      folds: foldRuns(
        examples.filter((_, i) => outer[i] !== f),
        1,
        oosTrain,
        `CLINC protocol (fold ${f} held out) inner`,
      ),
      evals: { heldFifth: outerRun.held, oosTrain: outerRun.oos },
      finalSeconds: outerRun.seconds,
    };
  });
  if (cacheFile) writeFileSync(cacheFile, JSON.stringify(all));
}

// ---- step 2: calibrators ------------------------------------------------------------------------------------

const logit = (p: number): number => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};
const FEATURES: Record<string, (p: number, wm: number) => number[]> = {
  'logit p': (p) => [logit(p)],
  'logit p, log(wm+0.01)': (p, wm) => [logit(p), Math.log(wm + 0.01)],
  'logit p, wm': (p, wm) => [logit(p), wm],
  'logit p, log(wm+0.01), p·wm': (p, wm) => [logit(p), Math.log(wm + 0.01), p * wm],
};
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);
const L2 = 1; // on the feature weights (not the bias), in units of the in-scope examples' total weight (1 each)

/** Weighted L2-regularized logistic regression by Newton's method: returns [bias, w...]. */
function fitLogistic(x: readonly number[][], y: readonly number[], weight: readonly number[]): number[] {
  const d = (x[0] as number[]).length + 1;
  const w = new Array<number>(d).fill(0);
  for (let iter = 0; iter < 50; iter++) {
    const g = new Array<number>(d).fill(0);
    const h = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < x.length; i++) {
      const xi = [1, ...(x[i] as number[])];
      let z = 0;
      for (let a = 0; a < d; a++) z += (w[a] as number) * (xi[a] as number);
      const s = sigmoid(z);
      const wi = weight[i] as number;
      for (let a = 0; a < d; a++) {
        g[a] = (g[a] as number) + wi * (s - (y[i] as number)) * (xi[a] as number);
        for (let b = 0; b < d; b++) (h[a] as number[])[b] = ((h[a] as number[])[b] as number) + wi * s * (1 - s) * (xi[a] as number) * (xi[b] as number);
      }
    }
    for (let a = 1; a < d; a++) {
      g[a] = (g[a] as number) + L2 * (w[a] as number);
      (h[a] as number[])[a] = ((h[a] as number[])[a] as number) + L2;
    }
    const step = solve(h, g);
    let size = 0;
    for (let a = 0; a < d; a++) {
      w[a] = (w[a] as number) - (step[a] as number);
      size += Math.abs(step[a] as number);
    }
    if (size < 1e-9) break;
  }
  return w;
}
/** Gaussian elimination with partial pivoting (d ≤ 4). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs((m[r] as number[])[c] as number) > Math.abs((m[piv] as number[])[c] as number)) piv = r;
    [m[c], m[piv]] = [m[piv] as number[], m[c] as number[]];
    for (let r = c + 1; r < n; r++) {
      const f = ((m[r] as number[])[c] as number) / ((m[c] as number[])[c] as number);
      for (let k = c; k <= n; k++) (m[r] as number[])[k] = ((m[r] as number[])[k] as number) - f * ((m[c] as number[])[k] as number);
    }
  }
  const out = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = (m[r] as number[])[n] as number;
    for (let k = r + 1; k < n; k++) s -= ((m[r] as number[])[k] as number) * (out[k] as number);
    out[r] = s / ((m[r] as number[])[r] as number);
  }
  return out;
}

interface Config {
  readonly features: string;
  readonly pi: number;
  readonly k: 1 | 5;
}
/** Negatives used for calibration: all 100 oos_train questions, or half A (the other half B chooses T), or the swap. */
type NegSet = 'all' | 'A' | 'B';
const oosOrder = Array.from(oosTrain, (_, i) => i);
shuffleInPlace(oosOrder, seededRandom(7));
const halfA = new Set(oosOrder.slice(0, 50));
const inNeg = (set: NegSet, i: number): boolean => set === 'all' || (set === 'A') === halfA.has(i);

type Calibrator = (p: number, wm: number) => number;
function calibrate(runs: Runs, c: Config, neg: NegSet): Calibrator {
  const phi = FEATURES[c.features] as (p: number, wm: number) => number[];
  const x: number[][] = [];
  const y: number[] = [];
  const wt: number[] = [];
  const folds = runs.folds.slice(0, c.k);
  let nIn = 0;
  let nNeg = 0;
  for (const f of folds) {
    nIn += f.held.p.length;
    nNeg += f.oos.p.filter((_, i) => inNeg(neg, i)).length;
  }
  const negWeight = (c.pi * nIn) / nNeg;
  for (const f of folds) {
    f.held.p.forEach((p, i) => {
      x.push(phi(p, f.held.wm[i] as number));
      y.push(f.held.right?.[i] as number);
      wt.push(1);
    });
    f.oos.p.forEach((p, i) => {
      if (!inNeg(neg, i)) return;
      x.push(phi(p, f.oos.wm[i] as number));
      y.push(0);
      wt.push(negWeight);
    });
  }
  const w = fitLogistic(x, y, wt);
  return (p, wm) => {
    const f = phi(p, wm);
    let z = w[0] as number;
    for (let a = 0; a < f.length; a++) z += (w[a + 1] as number) * (f[a] as number);
    return sigmoid(z);
  };
}
const certaintiesOf = (s: Scores, cal: Calibrator): number[] => s.p.map((p, i) => cal(p, s.wm[i] as number));
const rightAccepted = (s: Scores, cert: readonly number[], t: number): number => cert.filter((v, i) => s.right?.[i] === 1 && v >= t).length;
const turnedAway = (cert: readonly number[], t: number): number => cert.filter((v) => v < t).length / cert.length;

// Held-out phrasings' languages, in heldOutDefaultPhrasings' order.
const heldLanguages = Object.entries(heldOutPhrasings).flatMap(([lang, byIntent]) => Object.values(byIntent).flatMap((texts: readonly string[]) => texts.map(() => lang)));
if (heldLanguages.length !== heldOutDefaultPhrasings.length) throw new Error('held-out languages');
const maxMissPerLanguage = (s: Scores, cert: readonly number[], t: number): number => {
  const miss = new Map<string, number>();
  heldLanguages.forEach((lang, i) => {
    if (!(s.right?.[i] === 1 && (cert[i] as number) >= t)) miss.set(lang, (miss.get(lang) ?? 0) + 1);
  });
  return Math.max(0, ...miss.values());
};

interface Outcome {
  readonly clincIn: number;
  readonly clincRecall: number;
  readonly held: number;
  readonly heldMaxMiss: number;
  readonly cv: number;
  readonly defOos: number;
  readonly defClincIn: number;
}
/** Everything measured at one global threshold T for one calibration setup (certainties precomputed). */
interface Prepared {
  readonly clincIn: number[];
  readonly clincOut: number[];
  readonly held: number[];
  readonly cv: number[][];
  readonly defOos: number[];
  readonly defClincIn: number[];
}
function prepare(certOf: (runs: Runs) => Calibrator): Prepared {
  const cc = certOf(all.clinc);
  const dc = certOf(all.defaults);
  const e = all.clinc.evals;
  const d = all.defaults.evals;
  return {
    clincIn: certaintiesOf(e.valIn as Scores, cc),
    clincOut: certaintiesOf(e.oosVal as Scores, cc),
    held: certaintiesOf(d.heldOut as Scores, dc),
    cv: all.defaultsCv.map((r) => certaintiesOf(r.evals.test as Scores, certOf(r))),
    defOos: certaintiesOf(d.clincOosVal as Scores, dc),
    defClincIn: certaintiesOf(d.clincValIn as Scores, dc),
  };
}
function outcome(pr: Prepared, t: number): Outcome {
  const e = all.clinc.evals;
  const d = all.defaults.evals;
  let cvOk = 0;
  let cvN = 0;
  all.defaultsCv.forEach((r, f) => {
    cvOk += rightAccepted(r.evals.test as Scores, pr.cv[f] as number[], t);
    cvN += (r.evals.test as Scores).p.length;
  });
  return {
    clincIn: rightAccepted(e.valIn as Scores, pr.clincIn, t) / (e.valIn as Scores).p.length,
    clincRecall: turnedAway(pr.clincOut, t),
    held: rightAccepted(d.heldOut as Scores, pr.held, t),
    heldMaxMiss: maxMissPerLanguage(d.heldOut as Scores, pr.held, t),
    cv: cvOk / cvN,
    defOos: turnedAway(pr.defOos, t),
    defClincIn: turnedAway(pr.defClincIn, t),
  };
}
const TODAY_DEF_OOS = 0.48;
const meetsClinc = (o: Outcome): boolean => o.clincIn >= 0.9 && o.clincRecall >= 0.85;
const meetsDefaults = (o: Outcome): boolean => o.held >= 111 && o.heldMaxMiss <= 1 && o.defOos >= TODAY_DEF_OOS;
const row = (o: Outcome): string[] => [pct(o.clincIn, 2), pct(o.clincRecall, 0), `${o.held} (max ${o.heldMaxMiss}/lang)`, pct(o.cv, 1), pct(o.defOos, 0), pct(o.defClincIn, 1)];
const HEAD = 'CLINC val in-scope | CLINC val oos recall | defaults: 112 held-out right & kept | defaults: 5-fold CV right & kept | defaults: CLINC val oos turned away | defaults: CLINC val in-scope turned away';

/** The protocol's T (train only): the protocol model (4/5 of CLINC train) calibrated within its 4/5, its certainty on oos_train (all, or half B). */
function protocolT(c: Config, neg: NegSet, protocol: Runs = all.clincProtocol): { t: number; heldFifth: number } {
  const cal = calibrate(protocol, c, neg);
  const oos = protocol.evals.oosTrain as Scores;
  const cert = certaintiesOf(oos, cal).filter((_, i) => neg === 'all' || !inNeg(neg, i));
  const t = protocolThreshold(cert);
  const held = protocol.evals.heldFifth as Scores;
  return { t, heldFifth: rightAccepted(held, certaintiesOf(held, cal), t) / held.p.length };
}

// ---- baseline: no calibration -------------------------------------------------------------------------------
{
  const raw = (f: (p: number, wm: number) => number) => (_runs: Runs): Calibrator => (p, wm) => f(p, wm);
  console.log(`# Baselines (no calibration; threshold from the CLINC protocol on all 100 oos_train)\ncertainty | T | held-out fifth | ${HEAD}`);
  for (const [name, f] of [
    ['p', (p: number) => p],
    ['p × wordMass', (p: number, wm: number) => p * wm],
  ] as const) {
    const oos = all.clincProtocol.evals.oosTrain as Scores;
    const t = protocolThreshold(oos.p.map((p, i) => f(p, oos.wm[i] as number)));
    const held = all.clincProtocol.evals.heldFifth as Scores;
    const heldFifth = rightAccepted(
      held,
      held.p.map((p, i) => f(p, held.wm[i] as number)),
      t,
    );
    console.log([name, t.toFixed(2), pct(heldFifth / held.p.length, 1), ...row(outcome(prepare(raw(f)), t))].join(' | '));
  }
}

// ---- calibrated: protocol T and the grid ---------------------------------------------------------------------
const GRID = Array.from({ length: 13 }, (_, i) => Math.round((0.2 + 0.05 * i) * 100) / 100);
const CONFIGS: Config[] = [];
for (const features of Object.keys(FEATURES)) for (const pi of [0.25, 0.5, 1]) for (const k of [5, 1] as const) CONFIGS.push({ features, pi, k });

const summary: string[] = [];
for (const neg of ['all', 'A', 'B'] as NegSet[]) {
  console.log(
    `\n# Calibrated, negatives = ${neg === 'all' ? 'all 100 oos_train (T chosen on the same 100: leaky)' : `half ${neg} of oos_train (50); T chosen on the other half (50, unseen by the calibrator)`}`,
  );
  console.log(`features | π | k | protocol T | held-out fifth @T | ${HEAD} | feasible grid T (CLINC ✓ / defaults ✓ / both)`);
  for (const c of CONFIGS) {
    const pr = prepare((runs) => calibrate(runs, c, neg));
    const { t, heldFifth } = protocolT(c, neg);
    const gridOut = GRID.map((g) => ({ g, o: outcome(pr, g) }));
    const list = (f: (o: Outcome) => boolean): string =>
      gridOut
        .filter((x) => f(x.o))
        .map((x) => x.g.toFixed(2))
        .join(',') || '-';
    const line = [c.features, c.pi, c.k, t.toFixed(2), pct(heldFifth, 1), ...row(outcome(pr, t)), `${list(meetsClinc)} / ${list(meetsDefaults)} / ${list((o) => meetsClinc(o) && meetsDefaults(o))}`].join(' | ');
    console.log(line);
    summary.push(`${neg} | ${line}`);
    if (process.argv.includes('--grid')) {
      console.log(`  T | ${HEAD}`);
      for (const { g, o } of gridOut) console.log(`  ${g.toFixed(2)} | ${row(o).join(' | ')}`);
    }
  }
}

// ---- --fine: the feasible window at 0.01 steps, for π = 0.25, k = 5 -------------------------------------------
if (process.argv.includes('--fine')) {
  console.log('\n# Fine grid (π = 0.25, k = 5): thresholds (0.01 steps) meeting CLINC val / the defaults / both; CLINC val in-scope and defaults oos turned away at the ends');
  for (const neg of ['all', 'A', 'B'] as NegSet[]) {
    for (const features of ['logit p, log(wm+0.01)', 'logit p, wm']) {
      const pr = prepare((runs) => calibrate(runs, { features, pi: 0.25, k: 5 }, neg));
      const fine = Array.from({ length: 31 }, (_, i) => (20 + i) / 100).map((t) => ({ t, o: outcome(pr, t) }));
      const range = (f: (o: Outcome) => boolean): string => {
        const ok = fine.filter((x) => f(x.o)).map((x) => x.t.toFixed(2));
        return ok.length ? `${ok[0]}-${ok[ok.length - 1]} (${ok.length})` : '-';
      };
      console.log([neg, features, range(meetsClinc), range(meetsDefaults), range((o) => meetsClinc(o) && meetsDefaults(o)), fine.map((x) => `${x.t.toFixed(2)}:${pct(x.o.clincIn, 2)}/${pct(x.o.clincRecall, 0)}/${x.o.held}/${pct(x.o.defOos, 0)}`).slice(8, 25).join(' ')].join(' | '));
    }
  }
}

// ---- stability of the protocol T: each outer fold of CLINC train held out in turn ------------------------------
if (all.clincProtocolOthers) {
  const protocols = [all.clincProtocol, ...all.clincProtocolOthers];
  console.log(`\n# Stability: T from each of the 5 protocol folds (calibrated within its 4/5), applied to the full models\nnegatives | features | π | k | T per fold | CLINC val in-scope per fold | recall per fold | mean in-scope / recall | folds meeting CLINC | folds meeting CLINC and defaults | defaults held-out per fold | defaults CLINC oos turned away per fold`);
  for (const neg of ['all', 'A', 'B'] as NegSet[]) {
    for (const c of CONFIGS) {
      if (c.features === 'logit p' && c.pi !== 0.5) continue;
      if (c.pi === 1) continue;
      const pr = prepare((runs) => calibrate(runs, c, neg));
      const res = protocols.map((p) => {
        const { t } = protocolT(c, neg, p);
        return { t, o: outcome(pr, t) };
      });
      const mean = (f: (o: Outcome) => number): number => res.reduce((s, r) => s + f(r.o), 0) / res.length;
      console.log(
        [
          neg,
          c.features,
          c.pi,
          c.k,
          res.map((r) => r.t.toFixed(2)).join(' '),
          res.map((r) => pct(r.o.clincIn, 2)).join(' '),
          res.map((r) => pct(r.o.clincRecall, 0)).join(' '),
          `${pct(mean((o) => o.clincIn), 1)} / ${pct(mean((o) => o.clincRecall), 1)}`,
          `${res.filter((r) => meetsClinc(r.o)).length}/5`,
          `${res.filter((r) => meetsClinc(r.o) && meetsDefaults(r.o)).length}/5`,
          res.map((r) => r.o.held).join(' '),
          res.map((r) => pct(r.o.defOos, 0)).join(' '),
        ].join(' | '),
      );
    }
  }
}

// ---- cost ---------------------------------------------------------------------------------------------------
if (process.argv.includes('--timing')) {
  // Clean timing (the scoring run's timings share the machine): the final model, then the calibration's extra work
  // (5 fold models, their scoring of the held-out phrases and of the 100 negatives, the calibrator fit).
  for (const [name, phrases] of [
    ['defaults', defaultPhrases],
    ['CLINC', examples],
  ] as const) {
    const final = timedTrain(phrases).seconds;
    const t = performance.now();
    const runs: Runs = { folds: foldRuns(phrases, 1, oosTrain, ''), evals: {}, finalSeconds: final };
    const tk5 = (performance.now() - t) / 1000;
    const t2 = performance.now();
    calibrate(runs, { features: 'logit p, log(wm+0.01)', pi: 0.25, k: 5 }, 'all');
    const fit = (performance.now() - t2) / 1000;
    const fold0 = (runs.folds[0] as Runs['folds'][number]).seconds;
    console.log(
      `timing ${name} (${phrases.length} phrases): final model ${final.toFixed(2)} s; calibration k = 5: ${(tk5 + fit).toFixed(2)} s ` +
        `(fold trainings ${sum(runs.folds.map((x) => x.seconds)).toFixed(2)} s, fit ${(fit * 1000).toFixed(0)} ms); k = 1: ~${(fold0 + (tk5 - sum(runs.folds.map((x) => x.seconds))) / 5 + fit).toFixed(2)} s`,
    );
  }
}
console.log(
  `\n# Training cost\nCLINC: final model ${all.clinc.finalSeconds.toFixed(1)} s; 5 fold models ${sum(all.clinc.folds.map((f) => f.seconds)).toFixed(1)} s (k = 1: ${(all.clinc.folds[0] as Runs['folds'][number]).seconds.toFixed(1)} s)` +
    `\ndefaults: final model ${all.defaults.finalSeconds.toFixed(2)} s; 5 fold models ${sum(all.defaults.folds.map((f) => f.seconds)).toFixed(2)} s (k = 1: ${(all.defaults.folds[0] as Runs['folds'][number]).seconds.toFixed(2)} s)`,
);
{
  const c: Config = { features: 'logit p, log(wm+0.01)', pi: 0.5, k: 5 };
  let t = performance.now();
  const cal = calibrate(all.clinc, c, 'all');
  const fitMs = performance.now() - t;
  const s = all.clinc.evals.valIn as Scores;
  let sink = 0;
  t = performance.now();
  for (let rep = 0; rep < 20; rep++) for (let i = 0; i < s.p.length; i++) sink += cal(s.p[i] as number, s.wm[i] as number);
  const perMessage = ((performance.now() - t) / (20 * s.p.length)) * 1000;
  console.log(`calibrator fit (CLINC, 15,100 points, Newton): ${fitMs.toFixed(0)} ms; applying it: ${perMessage.toFixed(3)} µs per message (${sink > 0 ? 'ok' : ''})`);
}
