// Why normalized coverage does not turn away off-topic questions on the default intents: wordMass coverage
// (against the default-intents vocabulary) of the held-out phrasings vs CLINC val's oos / in-scope questions.
//   npx tsx packages/ai/eval/experiments/normalized-coverage-diag.ts   (~5 s)
import { coverageOf, defaultPhrases, heldOutDefaultPhrasings, knownHashes, readClincSplits, trainBase } from './common.ts';

const phrases = defaultPhrases;
const { valIn, oosVal } = await readClincSplits();
const base = trainBase(phrases);
const known = knownHashes(base.vectorizer);
const show = (name: string, texts: readonly string[]): void => {
  const c = texts.map((t) => coverageOf(base.vectorizer, known, t, phrases.length).wordMass).sort((a, b) => a - b);
  const q = (x: number): string => (c[Math.floor(x * (c.length - 1))] as number).toFixed(2);
  const below = (r: number): string => `${((100 * c.filter((v) => v < r).length) / c.length).toFixed(0)}%`;
  console.log(`${name.padEnd(22)} n=${c.length} p10 ${q(0.1)} p25 ${q(0.25)} median ${q(0.5)} mean ${(c.reduce((s, v) => s + v, 0) / c.length).toFixed(2)}; below 0.18 / 0.29 / 0.42: ${below(0.179)} / ${below(0.29)} / ${below(0.424)}`);
};
show(
  'held-out phrasings',
  heldOutDefaultPhrasings.map((e) => e.text),
);
show('CLINC val oos', oosVal);
show(
  'CLINC val in-scope',
  valIn.map((e) => e.text),
);
