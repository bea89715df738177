import type { SentenceEncoder } from '../classifier/index.ts';
import { USE_LITE_ID, UseLiteEncoder, UseLiteVocabulary } from './use-lite.ts';

export { PieceTokenizer } from './pieces.ts';
export { USE_LITE_ID, UseLiteEncoder, UseLiteVocabulary } from './use-lite.ts';

/** A sentence encoder that can also say which texts it can read (its vocabulary's language). */
export interface ReadingEncoder extends SentenceEncoder {
  reads(text: string): boolean;
}

/**
 * Intents use the sentence encoder when at least this share of a workspace's phrases are ones it reads: an English
 * workspace. The default intents (one language in eight English) and other languages' workspaces keep n-grams alone.
 */
export const ENCODER_MIN_READ_SHARE = 0.5;

let vocabulary: Promise<UseLiteVocabulary | null> | undefined;
let loading: Promise<ReadingEncoder | null> | undefined;

function warn(message: string): void {
  process.stderr.write(`signalbox: ${message}; intents use n-grams alone\n`);
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The encoder's vocabulary (what it reads), or null when `SIGNALBOX_INTENT_ENCODER=off` (any value but `use-lite`
 * and `off` is said on stderr and read as off) or the model package is missing.
 */
function loadVocabulary(): Promise<UseLiteVocabulary | null> {
  vocabulary ??= (async () => {
    const setting = (process.env.SIGNALBOX_INTENT_ENCODER ?? 'use-lite').trim().toLowerCase();
    if (setting === 'off') return null;
    if (setting !== 'use-lite') {
      warn(`SIGNALBOX_INTENT_ENCODER must be "use-lite" or "off", not "${setting}"`);
      return null;
    }
    try {
      return await UseLiteVocabulary.load();
    } catch (error) {
      warn(`the intent sentence encoder could not load: ${errorText(error)}`);
      return null;
    }
  })();
  return vocabulary;
}

/**
 * The intent sentence encoder of this process, loaded once on first use (about 0.2 s and 100 MB), or null when it
 * is turned off or cannot load here (then said once on stderr).
 */
export function loadIntentEncoder(): Promise<ReadingEncoder | null> {
  loading ??= (async () => {
    const words = await loadVocabulary();
    if (!words) return null;
    try {
      return await UseLiteEncoder.load({ vocabulary: words });
    } catch (error) {
      warn(`the intent sentence encoder could not load: ${errorText(error)}`);
      return null;
    }
  })();
  return loading;
}

/** The encoder stored models name, if this process has it (for `deserializeIntentModel`). */
export async function intentEncoderById(id: string): Promise<SentenceEncoder | null> {
  if (id !== USE_LITE_ID) return null;
  return loadIntentEncoder();
}

/**
 * The encoder to train these phrases with: the process's, when it reads at least half of them; else null. Only the
 * vocabulary is read to decide, so phrases in other languages never load the model.
 */
export async function chooseIntentEncoder(phrases: readonly string[]): Promise<SentenceEncoder | null> {
  const words = await loadVocabulary();
  if (!words || phrases.length === 0) return null;
  const read = phrases.filter((p) => words.reads(p)).length;
  return read >= ENCODER_MIN_READ_SHARE * phrases.length ? loadIntentEncoder() : null;
}
