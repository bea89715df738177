// Pairwise re-ranking of the shipped model's top candidates on Banking77, eval's folds (stratifiedFolds(labels, 5, 1)).
//   npx tsx packages/ai/eval/experiments/pairwise-banking.ts                         fold 1: 3 kinds, grid on the test fold + inner-CV choice (~4 min)
//   npx tsx packages/ai/eval/experiments/pairwise-banking.ts --folds 0,1,2,3,4 --kinds pairidf --c 10 --betas 2,4,8,inf --inner 0 --timing 0
//   (--kinds tfidf,nb,pairidf; --c pair SVMs' C, comma list; --betas, 'inf' = replace; --inner 0 skips the inner
//   cross-validation; --bag adds seed ensembles; --timing 0 skips the per-message timing)
// For a message, the shipped scores S (softmax logits + 3 × SVM) give the top k (2 or 3) intents; each pair (i, j) of
// them has a one-vs-one squared-hinge SVM (svm.ts's solver) trained only on those two intents' training phrases,
// margin m_ij > 0 for i. New score of candidate i: S_i + β Σ_j m_ij (β = ∞: the pair margins alone decide, ties by S),
// optionally only when the shipped top probability (temperature 2) is below a gate g. Pair models are trained lazily
// (cached) for the pairs that occur. Pair features ("kinds"): the shipped tf-idf rows; the same ⊙ the pair's NB
// log-count ratio (binarized counts, α = 1, folded into the weights); the tf-idf rows re-weighted with the pair's own
// idf (x / idf_all × idf_pair, then the word and character blocks L2-normalized again, as the vectorizer does).
// The grid is scored on the test fold (optimistic: many variants) and, with --inner, chosen on inner 5-fold
// out-of-fold predictions over the training part (the choice then applied once to the test fold).
import { parseArgs } from 'node:util';
import { defaultTraining } from '../../src/classifier/classifier.ts';
import { isWordFeature } from '../../src/classifier/features.ts';
import { scoreSparse, softmaxInPlace, trainSoftmax } from '../../src/classifier/softmax.ts';
import { DualSvmSolver, trainSvm } from '../../src/classifier/svm.ts';
import type { SparseRows } from '../../src/classifier/vectorizer.ts';
import { accuracy, banking77Folds, decide, mix, pct, scoreRows, shippedModel, shippedScores, stratifiedFolds, trainBase, SVM_WEIGHT, TEMPERATURE, type Base, type Example } from './common.ts';

const { values: args } = parseArgs({
  options: {
    folds: { type: 'string', default: '0' },
    kinds: { type: 'string', default: 'tfidf,nb,pairidf' },
    c: { type: 'string', default: '1' },
    inner: { type: 'string', default: '1' },
    bag: { type: 'boolean', default: false },
    timing: { type: 'string', default: '1' },
    betas: { type: 'string', default: '0.25,0.5,1,2,4,8,16,inf' },
  },
});
const folds = args.folds.split(',').map(Number);
const kinds = args.kinds.split(',') as Kind[];
const cs = args.c.split(',').map(Number);

type Kind = 'tfidf' | 'nb' | 'pairidf';
const KS = [2, 3] as const;
const BETAS = args.betas.split(',').map((b) => (b === 'inf' ? Infinity : Number(b)));
const GATES = [1.01, 0.6, 0.4, 0.25];

// ---- pair models ---------------------------------------------------------------------------------------

interface PairModel {
  /** Global feature columns seen in the pair's phrases, ascending, and the weight of each. */
  readonly cols: Int32Array;
  readonly w: Float32Array;
  readonly b: number;
  /** pairidf only: the pair's idf / the global idf, per column. */
  readonly reweigh: Float32Array | null;
}

function lowerBound(cols: Int32Array, x: number): number {
  let lo = 0;
  let hi = cols.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cols[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Trains and caches one-vs-one SVMs for a base's training rows; margin(a, b, …) > 0 favours a. */
class Pairs {
  private readonly cache = new Map<number, PairModel>();
  private readonly byClass: number[][];
  private readonly local: Int32Array;
  private readonly isWord: Uint8Array;
  private readonly idf: Float32Array;
  private readonly wordWeight: number;
  trainMs = 0;

  constructor(
    private readonly base: Base,
    private readonly kind: Kind,
    private readonly c: number,
  ) {
    const C = base.labels.length;
    this.byClass = Array.from({ length: C }, () => []);
    base.classOf.forEach((c, i) => this.byClass[c]?.push(i));
    this.local = new Int32Array(base.vectorizer.size).fill(-1);
    this.isWord = Uint8Array.from(base.vectorizer.hashes, (h) => (isWordFeature(h) ? 1 : 0));
    this.idf = base.vectorizer.idf;
    this.wordWeight = base.vectorizer.options.wordWeight;
  }

  get size(): number {
    return this.cache.size;
  }

  models(): IterableIterator<PairModel> {
    return this.cache.values();
  }

  get(a: number, b: number): PairModel {
    const key = a * this.base.labels.length + b;
    let m = this.cache.get(key);
    if (!m) {
      const t = performance.now();
      m = this.train(a, b);
      this.trainMs += performance.now() - t;
      this.cache.set(key, m);
    }
    return m;
  }

  /** m_ab for one sparse row; antisymmetric. */
  margin(a: number, b: number, columns: Int32Array, values: Float32Array, from: number, to: number): number {
    if (a > b) return -this.margin(b, a, columns, values, from, to);
    const m = this.get(a, b);
    if (!m.reweigh) {
      let s = m.b;
      for (let k = from; k < to; k++) {
        const j = lowerBound(m.cols, columns[k] as number);
        if (j < m.cols.length && m.cols[j] === columns[k]) s += (m.w[j] as number) * (values[k] as number);
      }
      return s;
    }
    // pairidf: re-weigh, drop what the pair never saw, normalize the blocks again.
    let dotW = 0;
    let dotC = 0;
    let nW = 0;
    let nC = 0;
    for (let k = from; k < to; k++) {
      const col = columns[k] as number;
      const j = lowerBound(m.cols, col);
      if (j >= m.cols.length || m.cols[j] !== col) continue;
      const v = (values[k] as number) * (m.reweigh[j] as number);
      if (this.isWord[col]) {
        nW += v * v;
        dotW += v * (m.w[j] as number);
      } else {
        nC += v * v;
        dotC += v * (m.w[j] as number);
      }
    }
    const [sw, sc] = this.blockScales(nW, nC);
    return m.b + sw * dotW + sc * dotC;
  }

  private blockScales(nW: number, nC: number): [number, number] {
    const ww = nW > 0 ? this.wordWeight : 0;
    const cw = nC > 0 ? 1 : 0;
    const total = Math.hypot(ww, cw) || 1;
    return [nW > 0 ? ww / Math.sqrt(nW) / total : 0, nC > 0 ? cw / Math.sqrt(nC) / total : 0];
  }

  private train(a: number, b: number): PairModel {
    const { rowStart, columns, values } = this.base.rows;
    const examples = [...(this.byClass[a] ?? []), ...(this.byClass[b] ?? [])];
    const na = this.byClass[a]?.length ?? 0;
    const { local } = this;
    // Local columns, in ascending global order.
    const seen: number[] = [];
    for (const i of examples) for (let k = rowStart[i] as number; k < (rowStart[i + 1] as number); k++) {
      const col = columns[k] as number;
      if (local[col] === -1) {
        local[col] = 0;
        seen.push(col);
      }
    }
    const cols = Int32Array.from(seen).sort();
    cols.forEach((col, j) => (local[col] = j));
    const m = cols.length;
    const rs = new Int32Array(examples.length + 1);
    examples.forEach((i, e) => (rs[e + 1] = (rs[e] as number) + (rowStart[i + 1] as number) - (rowStart[i] as number)));
    const lc = new Int32Array(rs[examples.length] as number);
    const lv = new Float64Array(lc.length);
    examples.forEach((i, e) => {
      let o = rs[e] as number;
      for (let k = rowStart[i] as number; k < (rowStart[i + 1] as number); k++, o++) {
        lc[o] = local[columns[k] as number] as number;
        lv[o] = values[k] as number;
      }
    });
    let r: Float64Array | null = null;
    let reweigh: Float32Array | null = null;
    if (this.kind === 'nb') {
      // Log-count ratio of a over b from binarized counts, α = 1.
      const p = new Float64Array(m);
      const q = new Float64Array(m);
      examples.forEach((_, e) => {
        const side = e < na ? p : q;
        for (let k = rs[e] as number; k < (rs[e + 1] as number); k++) side[lc[k] as number]! += 1;
      });
      let ps = 0;
      let qs = 0;
      for (let j = 0; j < m; j++) {
        ps += p[j] as number;
        qs += q[j] as number;
      }
      r = Float64Array.from(p, (pj, j) => Math.log((1 + pj) / (ps + m) / ((1 + (q[j] as number)) / (qs + m))));
      for (let k = 0; k < lv.length; k++) lv[k] = (lv[k] as number) * (r[lc[k] as number] as number);
    } else if (this.kind === 'pairidf') {
      const df = new Float64Array(m);
      for (const col of lc) df[col]! += 1;
      const n = examples.length;
      reweigh = Float32Array.from(cols, (col, j) => (Math.log((1 + n) / (1 + (df[j] as number))) + 1) / (this.idf[col] as number));
      examples.forEach((_, e) => {
        let nW = 0;
        let nC = 0;
        for (let k = rs[e] as number; k < (rs[e + 1] as number); k++) {
          const j = lc[k] as number;
          const v = (lv[k] as number) * (reweigh![j] as number);
          lv[k] = v;
          if (this.isWord[cols[j] as number]) nW += v * v;
          else nC += v * v;
        }
        const [sw, sc] = this.blockScales(nW, nC);
        for (let k = rs[e] as number; k < (rs[e + 1] as number); k++) lv[k] = (lv[k] as number) * (this.isWord[cols[lc[k] as number] as number] ? sw : sc);
      });
    }
    const solver = new DualSvmSolver(examples.length, m, { c: this.c, passes: 5, seed: 1 });
    solver.useRows({ rowStart: rs, columns: lc, values: lv });
    const bias = solver.fit((e) => e < na);
    const w = Float32Array.from(solver.w, (x, j) => x * (r ? (r[j] as number) : 1));
    for (const col of cols) local[col] = -1;
    return { cols, w, b: bias, reweigh };
  }
}

// ---- re-ranking ----------------------------------------------------------------------------------------

/** Per row: the top-3 classes by S, the top probability, and the pair margins m(t0,t1), m(t0,t2), m(t1,t2). */
interface Candidates {
  readonly top: Int32Array; // n × 3
  readonly p1: Float64Array;
  readonly scores: Float64Array; // n × 3, S of the top 3
  margins: Float64Array; // n × 3
}

function candidates(S: Float64Array, C: number): Candidates {
  const n = S.length / C;
  const top = new Int32Array(n * 3);
  const scores = new Float64Array(n * 3);
  const { probability } = decide(S, C, TEMPERATURE);
  for (let i = 0; i < n; i++) {
    const idx = [-1, -1, -1];
    const val = [-Infinity, -Infinity, -Infinity];
    for (let c = 0; c < C; c++) {
      const s = S[i * C + c] as number;
      if (s > val[2]!) {
        let p = 2;
        while (p > 0 && s > val[p - 1]!) {
          val[p] = val[p - 1]!;
          idx[p] = idx[p - 1]!;
          p--;
        }
        val[p] = s;
        idx[p] = c;
      }
    }
    top.set(idx, i * 3);
    scores.set(val, i * 3);
  }
  return { top, p1: probability, scores, margins: new Float64Array(n * 3) };
}

function fillMargins(cand: Candidates, pairs: Pairs, rows: SparseRows): void {
  const n = cand.p1.length;
  for (let i = 0; i < n; i++) {
    const [t0, t1, t2] = [cand.top[i * 3] as number, cand.top[i * 3 + 1] as number, cand.top[i * 3 + 2] as number];
    const from = rows.rowStart[i] as number;
    const to = rows.rowStart[i + 1] as number;
    cand.margins[i * 3] = pairs.margin(t0, t1, rows.columns, rows.values, from, to);
    cand.margins[i * 3 + 1] = pairs.margin(t0, t2, rows.columns, rows.values, from, to);
    cand.margins[i * 3 + 2] = pairs.margin(t1, t2, rows.columns, rows.values, from, to);
  }
}

interface Rule {
  readonly k: 2 | 3;
  readonly beta: number;
  readonly gate: number;
}
const ruleName = (r: Rule): string => `top-${r.k} ${r.beta === Infinity ? 'replace' : `β=${r.beta}`}${r.gate <= 1 ? ` p1<${r.gate}` : ''}`;

function rerank(cand: Candidates, rule: Rule): Int32Array {
  const n = cand.p1.length;
  const best = new Int32Array(n);
  const s = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const o = i * 3;
    if ((cand.p1[i] as number) >= rule.gate) {
      best[i] = cand.top[o] as number;
      continue;
    }
    const m01 = cand.margins[o] as number;
    const m02 = cand.margins[o + 1] as number;
    const m12 = cand.margins[o + 2] as number;
    const pm = rule.k === 2 ? [m01, -m01, 0] : [m01 + m02, -m01 + m12, -m02 - m12];
    let arg = 0;
    for (let j = 0; j < rule.k; j++) {
      // β = ∞: margins decide, S breaks ties (it is lower than any margin difference that matters).
      s[j] = rule.beta === Infinity ? (pm[j] as number) * 1e6 + (cand.scores[o + j] as number) : (cand.scores[o + j] as number) + rule.beta * (pm[j] as number);
      if ((s[j] as number) > (s[arg] as number)) arg = j;
    }
    best[i] = cand.top[o + arg] as number;
  }
  return best;
}

const RULES: Rule[] = KS.flatMap((k) => GATES.flatMap((gate) => BETAS.map((beta) => ({ k, beta, gate }))));

// ---- run -----------------------------------------------------------------------------------------------


const totals = new Map<string, number>();
const add = (key: string, n: number): void => void totals.set(key, (totals.get(key) ?? 0) + n);
let tested = 0;
for (const { fold: f, train, test } of await banking77Folds(folds)) {
  let t = performance.now();
  const base = trainBase(train);
  console.log(`fold ${f + 1}: ${train.length} train / ${test.length} test, ${base.vectorizer.size} features, base trained in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const C = base.labels.length;
  const labelIndex = new Map(base.labels.map((l, i) => [l, i]));
  const goldOf = (ex: readonly Example[]): Int32Array => Int32Array.from(ex, (e) => labelIndex.get(e.label) as number);
  const gold = goldOf(test);
  const testRows = base.vectorizer.transformAll(test.map((e) => e.text));
  const S = shippedScores(base, testRows);
  const cand = candidates(S, C);
  const count = (best: Int32Array): number => Math.round(accuracy(best, gold) * gold.length);
  const shipped = count(decide(S, C, 1).best);
  const inTop = (k: number): number => gold.reduce((a, g, i) => a + (Array.from(cand.top.subarray(i * 3, i * 3 + k)).includes(g) ? 1 : 0), 0);
  add('shipped', shipped);
  const p1s = Float64Array.from(cand.p1).sort();
  console.log(`fold ${f + 1}  top probability p10/p25/p50/p75: ${[0.1, 0.25, 0.5, 0.75].map((q) => (p1s[Math.floor(q * p1s.length)] as number).toFixed(2)).join(' / ')}; share below gates ${GATES.slice(1).map((g) => `${g}: ${pct(p1s.filter((p) => p < g).length / p1s.length, 0)}`).join(', ')}`);
  console.log(`fold ${f + 1}  shipped ${pct(shipped / gold.length)}; gold in top-2 ${pct(inTop(2) / gold.length)}, top-3 ${pct(inTop(3) / gold.length)}`);

  // Inner 5-fold over the training part: out-of-fold candidates and margins, to choose the rule without the test fold.
  const inner: { cand: Candidates; gold: Int32Array; rows: SparseRows; pairsByKind: Map<string, Pairs> }[] = [];
  if (args.inner !== '0') {
    t = performance.now();
    const innerFold = stratifiedFolds(
      train.map((e) => e.label),
      5,
      2,
    );
    for (let g = 0; g < 5; g++) {
      const itrain = train.filter((_, i) => innerFold[i] !== g);
      const itest = train.filter((_, i) => innerFold[i] === g);
      const ib = trainBase(itrain);
      if (ib.labels.join() !== base.labels.join()) throw new Error('inner labels differ');
      const rows = ib.vectorizer.transformAll(itest.map((e) => e.text));
      const pairsByKind = new Map<string, Pairs>();
      for (const kind of kinds) for (const c of cs) pairsByKind.set(`${kind} C=${c}`, new Pairs(ib, kind, c));
      inner.push({ cand: candidates(shippedScores(ib, rows), C), gold: goldOf(itest), rows, pairsByKind });
    }
    console.log(`fold ${f + 1}  inner 5-fold bases trained in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }

  for (const kind of kinds) {
    for (const c of cs) {
      const tag = `${kind} C=${c}`;
      const pairs = new Pairs(base, kind, c);
      fillMargins(cand, pairs, testRows);
      const onTest = new Map<string, number>();
      for (const rule of RULES) {
        const n = count(rerank(cand, rule));
        onTest.set(ruleName(rule), n);
        add(`${tag} ${ruleName(rule)}`, n);
      }
      console.log(`fold ${f + 1}  ${tag}: ${pairs.size} pair models for the test fold's top-3 (trained in ${(pairs.trainMs / 1000).toFixed(2)} s)`);
      for (const k of KS)
        for (const gate of GATES)
          console.log(`  top-${k}${gate <= 1 ? ` p1<${gate}` : ''}`.padEnd(18) + BETAS.map((beta) => `${beta === Infinity ? 'repl' : `β=${beta}`} ${pct((onTest.get(ruleName({ k, beta, gate })) as number) / gold.length)}`).join('  '));
      const pairNonZero = [...pairs.models()].reduce((a, m) => a + m.cols.length, 0);
      console.log(`  stored weights: ${pairNonZero} over ${pairs.size} pairs (${Math.round(pairNonZero / pairs.size)} per pair); shipped model ${base.vectorizer.size * C}`);

      if (inner.length) {
        const innerRight = new Map<string, number>();
        let innerN = 0;
        let shippedInner = 0;
        const innerPairs2 = new Set<number>();
        const innerPairs3 = new Set<number>();
        for (const part of inner) {
          const pp = part.pairsByKind.get(tag) as Pairs;
          fillMargins(part.cand, pp, part.rows);
          innerN += part.gold.length;
          shippedInner += part.gold.reduce((a, g, i) => a + (part.cand.top[i * 3] === g ? 1 : 0), 0);
          for (const rule of RULES) innerRight.set(ruleName(rule), (innerRight.get(ruleName(rule)) ?? 0) + Math.round(accuracy(rerank(part.cand, rule), part.gold) * part.gold.length));
          for (let i = 0; i < part.gold.length; i++) {
            const tt = Array.from(part.cand.top.subarray(i * 3, i * 3 + 3));
            const key = (x: number, y: number): number => Math.min(x, y) * C + Math.max(x, y);
            innerPairs2.add(key(tt[0]!, tt[1]!));
            for (const [x, y] of [[0, 1], [0, 2], [1, 2]] as const) innerPairs3.add(key(tt[x]!, tt[y]!));
          }
        }
        const ranked = [...innerRight].sort((x, y) => y[1] - x[1]);
        const [bestRule, bestN] = ranked[0] as [string, number];
        const chosenTest = onTest.get(bestRule) as number;
        add(`${tag} inner-chosen`, chosenTest);
        console.log(`  inner CV (${innerN} phrases): shipped ${pct(shippedInner / innerN)}; best rule ${bestRule} ${pct(bestN / innerN)}; next: ${ranked
          .slice(1, 4)
          .map(([r, n]) => `${r} ${pct(n / innerN)}`)
          .join(', ')}`);
        console.log(`  → chosen rule on the test fold: ${pct(chosenTest / gold.length)} (shipped ${pct(shipped / gold.length)})`);
        // Pairs a model would ship if trained for the pairs seen in the out-of-fold top-2 / top-3, and how many test pairs they cover.
        let cov2 = 0;
        let cov3 = 0;
        for (let i = 0; i < gold.length; i++) {
          const tt = Array.from(cand.top.subarray(i * 3, i * 3 + 3));
          const key = (x: number, y: number): number => Math.min(x, y) * C + Math.max(x, y);
          if (innerPairs2.has(key(tt[0]!, tt[1]!))) cov2++;
          if (([[0, 1], [0, 2], [1, 2]] as const).every(([x, y]) => innerPairs3.has(key(tt[x]!, tt[y]!)))) cov3++;
        }
        console.log(`  out-of-fold pair sets: top-2 ${innerPairs2.size} pairs (cover ${pct(cov2 / gold.length)} of test top-2), top-3 ${innerPairs3.size} pairs (cover ${pct(cov3 / gold.length)} of test top-3 triples); all pairs ${(C * (C - 1)) / 2}`);
      }

      if (args.timing !== '0' && f === folds[0]) {
        // Per message: today's classification (vectorize + one linear model + softmax + sort) and what re-ranking adds
        // (top 3 by scores, 3 pair margins), pairs already trained.
        const model = shippedModel(base);
        const scores = new Float64Array(C);
        const baseUs: number[] = [];
        const addUs: number[] = [];
        for (let rep = 0; rep < 2; rep++) {
          baseUs.length = 0;
          addUs.length = 0;
          for (const e of test) {
            const t0 = performance.now();
            const v = base.vectorizer.transform(e.text);
            scoreSparse(model, v.columns, v.values, 0, v.columns.length, scores);
            const raw = Float64Array.from(scores);
            softmaxInPlace(scores);
            base.labels.map((label, i) => ({ label, confidence: scores[i] as number })).sort((a, b) => b.confidence - a.confidence);
            const t1 = performance.now();
            const cc = candidates(raw, C);
            const [a0, a1, a2] = [cc.top[0] as number, cc.top[1] as number, cc.top[2] as number];
            const m = pairs.margin(a0, a1, v.columns, v.values, 0, v.columns.length) + pairs.margin(a0, a2, v.columns, v.values, 0, v.columns.length) + pairs.margin(a1, a2, v.columns, v.values, 0, v.columns.length);
            if (Number.isNaN(m)) throw new Error('nan');
            const t2 = performance.now();
            baseUs.push((t1 - t0) * 1000);
            addUs.push((t2 - t1) * 1000);
          }
        }
        const q = (xs: number[], p: number): string => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!.toFixed(1);
        console.log(`  timing per message (µs): classification p50 ${q(baseUs, 0.5)} p99 ${q(baseUs, 0.99)}; re-ranking top-3 adds p50 ${q(addUs, 0.5)} p99 ${q(addUs, 0.99)}`);
      }
    }
  }

  if (args.bag) {
    // Seed ensembles: softmax models (and SVMs) with other SGD / visiting-order seeds, averaged.
    t = performance.now();
    const n = base.classOf.length;
    const epochs = Math.min(60, Math.max(10, Math.ceil(60_000 / n)));
    const seeds = [2, 3, 4, 5];
    const softs = [scoreRows(base.softmax, testRows)];
    const svms = [scoreRows(base.svm, testRows)];
    for (const seed of seeds) {
      softs.push(scoreRows(trainSoftmax(base.rows, base.classOf, C, base.vectorizer.size, { epochs, learningRate: defaultTraining.learningRate, l2: defaultTraining.l2, seed }), testRows));
      svms.push(scoreRows(trainSvm(base.rows, base.classOf, C, base.vectorizer.size, { c: defaultTraining.svmC, passes: 5, seed }), testRows));
    }
    console.log(`fold ${f + 1}  bagging: ${seeds.length} more softmax + SVM models in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const avg = (xs: Float64Array[], k: number): Float64Array => mix(xs.slice(0, k).map((x) => [1 / k, x] as const));
    for (const k of [3, 5]) {
      for (const [name, scores] of [
        [`${k} softmax (avg) + 3 SVM`, mix([[1, avg(softs, k)], [SVM_WEIGHT, svms[0]!]])],
        [`softmax + 3 × ${k} SVM (avg)`, mix([[1, softs[0]!], [SVM_WEIGHT, avg(svms, k)]])],
        [`${k} softmax (avg) + 3 × ${k} SVM (avg)`, mix([[1, avg(softs, k)], [SVM_WEIGHT, avg(svms, k)]])],
      ] as const) {
        const nRight = count(decide(scores, C, 1).best);
        add(`bag ${name}`, nRight);
        console.log(`fold ${f + 1}  bag ${name.padEnd(40)} ${pct(nRight / gold.length)}`);
      }
    }
  }
  tested += gold.length;
}
if (folds.length > 1) {
  console.log(`\nover folds ${folds.map((f) => f + 1).join(',')} (${tested} phrases):`);
  const shippedAll = totals.get('shipped') as number;
  const best = [...totals].sort((a, b) => b[1] - a[1]);
  console.log(`  shipped ${pct(shippedAll / tested)}`);
  for (const [key, n] of best) console.log(`  ${key.padEnd(52)} ${pct(n / tested)}`);
  for (const [key, n] of totals) if (key.endsWith('inner-chosen')) console.log(`  ${key.padEnd(52)} ${pct(n / tested)}`);
}
