import { seededRandom, shuffleInPlace } from './random.ts';
import type { LinearWeights } from './softmax.ts';
import type { SparseRows } from './vectorizer.ts';

export interface SvmTraining {
  /** Inverse regularization strength (liblinear's C). */
  readonly c: number;
  readonly passes: number;
  readonly seed: number;
}

/**
 * One-vs-rest linear SVMs with the squared hinge loss, each fitted by dual coordinate descent (Hsieh et al.,
 * 2008, liblinear's default solver) with a constant bias feature. The dual needs no learning rate and
 * converges in a few passes over short texts.
 */
export function trainSvm(rows: SparseRows, labels: Int32Array, classes: number, features: number, options: SvmTraining): LinearWeights {
  const { rowStart, columns, values } = rows;
  const n = labels.length;
  const diagonal = 1 / (2 * options.c);
  const squaredNorm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 1; // the bias feature
    for (let k = rowStart[i] as number; k < (rowStart[i + 1] as number); k++) s += (values[k] as number) ** 2;
    squaredNorm[i] = s + diagonal;
  }
  const weights = new Float32Array(features * classes);
  const bias = new Float32Array(classes);
  const w = new Float64Array(features);
  const alpha = new Float64Array(n);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(options.seed);
  for (let c = 0; c < classes; c++) {
    w.fill(0);
    alpha.fill(0);
    let b = 0;
    for (let pass = 0; pass < options.passes; pass++) {
      shuffleInPlace(order, random);
      let largestStep = 0;
      for (const i of order) {
        const from = rowStart[i] as number;
        const to = rowStart[i + 1] as number;
        const y = labels[i] === c ? 1 : -1;
        let score = b;
        for (let k = from; k < to; k++) score += (w[columns[k] as number] as number) * (values[k] as number);
        const a = alpha[i] as number;
        const g = y * score - 1 + diagonal * a;
        if (a === 0 && g >= 0) continue;
        const next = Math.max(0, a - g / (squaredNorm[i] as number));
        const delta = (next - a) * y;
        if (delta === 0) continue;
        alpha[i] = next;
        b += delta;
        for (let k = from; k < to; k++) w[columns[k] as number] = (w[columns[k] as number] as number) + delta * (values[k] as number);
        largestStep = Math.max(largestStep, Math.abs(next - a));
      }
      if (largestStep < 1e-3) break;
    }
    for (let f = 0; f < features; f++) weights[f * classes + c] = w[f] as number;
    bias[c] = b;
  }
  return { classes, features, weights, bias };
}
