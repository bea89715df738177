import { seededRandom, shuffleInPlace } from './random.ts';
import type { LinearWeights } from './softmax.ts';
import type { SparseRows } from './vectorizer.ts';

export interface SvmTraining {
  /** Inverse regularization strength (liblinear's C). */
  readonly c: number;
  readonly passes: number;
  readonly seed: number;
}

/** Rows a solver fits on: the vectorizer's, or the same rows with values rescaled (kept in double precision). */
export type SolverRows = Omit<SparseRows, 'values'> & { readonly values: Float32Array | Float64Array };

/**
 * Binary linear SVMs with the squared hinge loss, fitted by dual coordinate descent (Hsieh et al., 2008,
 * liblinear's default solver) with a constant bias feature. The dual needs no learning rate and converges in a
 * few passes over short texts. One solver fits many SVMs on the same examples in turn (one-vs-rest): its
 * buffers and its seeded visiting order are shared, so a sequence of fits is reproducible from one seed.
 */
export class DualSvmSolver {
  /** The weights of the last fit, one per feature. */
  readonly w: Float64Array;
  private readonly alpha: Float64Array;
  private readonly squaredNorm: Float64Array;
  private readonly order: Int32Array;
  private readonly random: () => number;
  private readonly diagonal: number;
  private rows: SolverRows | null = null;

  constructor(
    examples: number,
    features: number,
    private readonly options: SvmTraining,
  ) {
    this.w = new Float64Array(features);
    this.alpha = new Float64Array(examples);
    this.squaredNorm = new Float64Array(examples);
    this.order = Int32Array.from({ length: examples }, (_, i) => i);
    this.random = seededRandom(options.seed);
    this.diagonal = 1 / (2 * options.c);
  }

  /** The rows the next fits use; call again after changing their values. */
  useRows(rows: SolverRows): void {
    const { rowStart, values } = rows;
    for (let i = 0; i < this.squaredNorm.length; i++) {
      let s = 1; // the bias feature
      for (let k = rowStart[i] as number; k < (rowStart[i + 1] as number); k++) s += (values[k] as number) ** 2;
      this.squaredNorm[i] = s + this.diagonal;
    }
    this.rows = rows;
  }

  /** Fits one SVM from zero, example i on the positive side when `positive(i)`; leaves the weights in `w`, returns the bias. */
  fit(positive: (example: number) => boolean): number {
    if (!this.rows) throw new Error('DualSvmSolver.fit before useRows');
    const { rowStart, columns, values } = this.rows;
    const { w, alpha, squaredNorm, order, diagonal } = this;
    w.fill(0);
    alpha.fill(0);
    let b = 0;
    for (let pass = 0; pass < this.options.passes; pass++) {
      shuffleInPlace(order, this.random);
      let largestStep = 0;
      for (const i of order) {
        const from = rowStart[i] as number;
        const to = rowStart[i + 1] as number;
        const y = positive(i) ? 1 : -1;
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
    return b;
  }
}

/** One-vs-rest linear SVMs (squared hinge, dual coordinate descent), one per class. */
export function trainSvm(rows: SparseRows, labels: Int32Array, classes: number, features: number, options: SvmTraining): LinearWeights {
  const solver = new DualSvmSolver(labels.length, features, options);
  solver.useRows(rows);
  const weights = new Float32Array(features * classes);
  const bias = new Float32Array(classes);
  for (let c = 0; c < classes; c++) {
    bias[c] = solver.fit((i) => labels[i] === c);
    for (let f = 0; f < features; f++) weights[f * classes + c] = solver.w[f] as number;
  }
  return { classes, features, weights, bias };
}
