import { readFile } from 'node:fs/promises';
import { parseEmotionModel, type EmotionModel } from './model.ts';

/** Built by `npx tsx packages/ai/eval/build-emotion-model.ts` from the GoEmotions train split; see models/README.md. */
export const SHIPPED_EMOTION_MODEL = new URL('../../models/emotion-model.json', import.meta.url);

export async function readEmotionModel(file: URL | string): Promise<EmotionModel> {
  const parsed = parseEmotionModel(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.ok) throw new Error(`emotion model ${String(file)} is unreadable: ${parsed.error}`);
  return parsed.model;
}

let loading: Promise<EmotionModel> | undefined;

/** The shipped model, read once per process on first use (about 50 ms and 1 MB of memory here). */
export function loadEmotionModel(): Promise<EmotionModel> {
  loading ??= readEmotionModel(SHIPPED_EMOTION_MODEL).catch((error: unknown) => {
    // A failed read is not cached: the next call tries again.
    loading = undefined;
    throw error;
  });
  return loading;
}
