// NB-SVM features (Wang & Manning 2012) on Banking77, eval's folds (stratifiedFolds(labels, 5, 1)).
//   npx tsx packages/ai/eval/experiments/nbsvm-banking.ts                 fold 1 (index 0), every variant
//   npx tsx packages/ai/eval/experiments/nbsvm-banking.ts --folds 0,1,2,3,4 --variants bin/tfidf --betas 1 --c 1
//   (--c and --alpha take the NB-SVMs' C (comma list) and the smoothing α)
// Prints, per variant and β: NB-SVM alone; (a) softmax + 3 × NB-SVM (replacing the SVMs); (b) softmax + 3 × SVM
// + k × NB-SVM (k = 1, 3). Baselines: softmax alone, SVM alone, softmax + 3 × SVM (shipped).
import { parseArgs } from 'node:util';
import type { SparseRows } from '../../src/classifier/vectorizer.ts';
import { accuracy, banking77Folds, binarize, binarizeNormalized, decide, mix, pct, scoreRows, trainBase, trainNbSvm, SVM_WEIGHT } from './common.ts';

const { values: args } = parseArgs({ options: { folds: { type: 'string', default: '0' }, variants: { type: 'string', default: '' }, betas: { type: 'string', default: '1,0.25' }, c: { type: 'string', default: '1' }, alpha: { type: 'string', default: '' } } });
const folds = args.folds.split(',').map(Number);
const betas = args.betas.split(',').map(Number);
const cs = args.c.split(',').map(Number);

// name: (ratio rows, SVM training rows, α) from the shipped tf-idf rows; the test rows get the same transform.
type Transform = (rows: SparseRows) => SparseRows;
const same: Transform = (r) => r;
const VARIANTS: Record<string, { ratio: Transform; x: Transform; alpha: number }> = {
  // r from binarized counts, SVM on the shipped tf-idf vector ⊙ r
  'bin/tfidf': { ratio: binarize, x: same, alpha: 1 },
  // Wang & Manning as published: binarized x̂ for both
  'bin/bin': { ratio: binarize, x: binarize, alpha: 1 },
  // binarized, row L2-normalized x̂
  'bin/binnorm': { ratio: binarize, x: binarizeNormalized, alpha: 1 },
  // r from summed tf-idf values, SVM on tf-idf ⊙ r
  'tfidf/tfidf': { ratio: same, x: same, alpha: 1 },
};
const names = args.variants ? args.variants.split(',') : Object.keys(VARIANTS);

// label → [right count per combination], summed over folds
const right = new Map<string, number>();
const add = (key: string, n: number): void => void right.set(key, (right.get(key) ?? 0) + n);
let tested = 0;
for (const { fold: f, train, test } of await banking77Folds(folds)) {
  let t = performance.now();
  const base = trainBase(train);
  const baseSeconds = (performance.now() - t) / 1000;
  const C = base.labels.length;
  const labelIndex = new Map(base.labels.map((l, i) => [l, i]));
  const gold = Int32Array.from(test, (e) => labelIndex.get(e.label) as number);
  const testRows = base.vectorizer.transformAll(test.map((e) => e.text));
  const soft = scoreRows(base.softmax, testRows);
  const svm = scoreRows(base.svm, testRows);
  const count = (scores: Float64Array): number => Math.round(accuracy(decide(scores, C, 1).best, gold) * gold.length);
  const report = (key: string, scores: Float64Array): void => {
    const n = count(scores);
    add(key, n);
    console.log(`fold ${f + 1}  ${key.padEnd(52)} ${pct(n / gold.length)}`);
  };
  console.log(`fold ${f + 1}: ${train.length} train / ${test.length} test, ${base.vectorizer.size} features, base trained in ${baseSeconds.toFixed(1)} s`);
  report('softmax alone', soft);
  report('SVM alone', svm);
  report('softmax + 3 SVM (shipped)', mix([[1, soft], [SVM_WEIGHT, svm]]));
  for (const name of names) {
    const v = VARIANTS[name];
    if (!v) throw new Error(`unknown variant ${name}`);
   for (const svmC of cs) {
    t = performance.now();
    const alpha = args.alpha ? Number(args.alpha) : v.alpha;
    const models = trainNbSvm(base.classOf, C, base.vectorizer.size, { ratioRows: v.ratio(base.rows), trainRows: v.x(base.rows), alpha, c: svmC, betas, passes: 5, seed: 1 });
    const nbSeconds = (performance.now() - t) / 1000;
    const x = v.x(testRows);
    models.forEach((model, m) => {
      const nb = scoreRows(model, x);
      const tag = `${name} β=${betas[m]}${svmC !== 1 ? ` C=${svmC}` : ''}${alpha !== 1 ? ` α=${alpha}` : ''}`;
      report(`NB-SVM ${tag}`, nb);
      report(`(a) soft + 3 NB ${tag}`, mix([[1, soft], [3, nb]]));
      report(`(b) soft + 3 SVM + 1 NB ${tag}`, mix([[1, soft], [SVM_WEIGHT, svm], [1, nb]]));
      report(`(b) soft + 3 SVM + 3 NB ${tag}`, mix([[1, soft], [SVM_WEIGHT, svm], [3, nb]]));
    });
    console.log(`fold ${f + 1}  (NB-SVM ${name} C=${svmC} trained in ${nbSeconds.toFixed(1)} s)`);
   }
  }
  tested += gold.length;
}
if (folds.length > 1) {
  console.log(`\nover folds ${folds.map((f) => f + 1).join(',')} (${tested} phrases):`);
  for (const [key, n] of right) console.log(`  ${key.padEnd(52)} ${pct(n / tested)}`);
}
