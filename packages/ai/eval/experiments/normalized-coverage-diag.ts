// Why normalized coverage does not turn away off-topic questions on the default intents: wordMass coverage
// (against the default-intents vocabulary) of the held-out phrasings vs CLINC val's oos / in-scope questions.
//   npx tsx packages/ai/eval/experiments/normalized-coverage-diag.ts   (~5 s)
import { readFile } from 'node:fs/promises';
import { defaultIntents } from '../../src/intents/default-intents.ts';
import { coverageOf, knownHashes, readClinc, trainBase, type Example } from './common.ts';

const source = await readFile(new URL('../../src/intents/default-intents.test.ts', import.meta.url), 'utf8');
const literal = source.slice(source.indexOf('= {', source.indexOf('const heldOut')) + 2, source.indexOf('\n};', source.indexOf('const heldOut')) + 2);
const heldOutByLanguage = Function(`return (${literal});`)() as Record<string, Record<string, string[]>>;
const heldOut = Object.values(heldOutByLanguage).flatMap((byIntent) => Object.values(byIntent).flat());
const phrases: Example[] = defaultIntents.flatMap((i) => i.phrases.map((text) => ({ text, label: i.name })));
const val = await readClinc('val.json');
const base = trainBase(phrases);
const known = knownHashes(base.vectorizer);
const show = (name: string, texts: readonly string[]): void => {
  const c = texts.map((t) => coverageOf(base.vectorizer, known, t, phrases.length).wordMass).sort((a, b) => a - b);
  const q = (x: number): string => (c[Math.floor(x * (c.length - 1))] as number).toFixed(2);
  const below = (r: number): string => `${((100 * c.filter((v) => v < r).length) / c.length).toFixed(0)}%`;
  console.log(`${name.padEnd(22)} n=${c.length} p10 ${q(0.1)} p25 ${q(0.25)} median ${q(0.5)} mean ${(c.reduce((s, v) => s + v, 0) / c.length).toFixed(2)}; below 0.18 / 0.29 / 0.42: ${below(0.179)} / ${below(0.29)} / ${below(0.424)}`);
};
show('held-out phrasings', heldOut);
show('CLINC val oos', (val.oos_val ?? []).map(([t]) => t));
show('CLINC val in-scope', (val.val ?? []).map(([t]) => t));
