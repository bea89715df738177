// Builds the shipped emotion model (packages/ai/models/emotion-model.json) from the GoEmotions train split.
// Deterministic: the same data and settings give the same file, byte for byte.
//   npx tsx packages/ai/eval/build-emotion-model.ts           writes the file
//   npx tsx packages/ai/eval/build-emotion-model.ts --check   rebuilds and fails if the shipped file differs
// SIGNALBOX_DATASETS overrides the datasets folder. The dev split is never read here: it is the eval's.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serializeEmotionModel } from '../src/emotion/model.ts';
import { SHIPPED_EMOTION_MODEL } from '../src/emotion/load.ts';
import { defaultEmotionTraining, trainEmotionModel } from '../src/emotion/train.ts';
import { readGoEmotions } from './emotion.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const datasets = process.env.SIGNALBOX_DATASETS ?? path.resolve(here, '../../../../shared/datasets');
const check = process.argv.includes('--check');

const started = performance.now();
const examples = await readGoEmotions(path.join(datasets, 'emotion'), 'train');
const { model, report } = trainEmotionModel(examples, defaultEmotionTraining, (message) => console.error(`${((performance.now() - started) / 1000).toFixed(1)} s  ${message}`));
const file = serializeEmotionModel(model, {
  dataset: 'GoEmotions (Demszky et al., 2020), Ekman mapping, train split',
  licence: 'CC BY 4.0',
  source: 'https://github.com/google-research/google-research/tree/master/goemotions',
  trainingItems: report.examples,
  training: defaultEmotionTraining,
  outOfFoldMacroF1: { withoutOffsets: Number(report.outOfFold.macroF1.toFixed(4)), withOffsets: Number(report.outOfFold.macroF1WithOffsets.toFixed(4)) },
  command: 'npx tsx packages/ai/eval/build-emotion-model.ts',
});
const text = `${JSON.stringify(file, null, 2)}\n`;

if (check) {
  const shipped = await readFile(SHIPPED_EMOTION_MODEL, 'utf8').catch(() => '');
  if (shipped !== text) {
    console.error(`the shipped ${fileURLToPath(SHIPPED_EMOTION_MODEL)} differs from a rebuild`);
    process.exit(1);
  }
  console.error('the shipped model is what this build produces');
} else {
  await writeFile(SHIPPED_EMOTION_MODEL, text);
  console.error(`wrote ${fileURLToPath(SHIPPED_EMOTION_MODEL)} (${Buffer.byteLength(text)} bytes)`);
}
console.log(JSON.stringify(report, null, 2));
