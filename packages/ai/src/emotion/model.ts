import { EMOTIONS, type Emotion } from '@signalbox/nodes';
import { z } from 'zod';
import { countFeatures, weighFeatures } from './features.ts';

export const EMOTION_MODEL_FORMAT = 'signalbox.emotion-model';
/** Bump when `featureHashes`, the weighting or this layout changes: an old file would score garbage. */
export const EMOTION_MODEL_VERSION = 1;

const CLASSES = EMOTIONS.length;

export interface EmotionDetection {
  emotion: Emotion;
  /** Probability of `emotion`. */
  confidence: number;
  /** A probability per emotion; they sum to 1. */
  scores: Record<Emotion, number>;
}

/** A trained model in the compact form it ships in. */
export interface EmotionModelParts {
  /** Feature hashes, ascending; position = column. */
  readonly hashes: Uint32Array;
  /** idf of column j = 1 + idfCodes[j] * idfStep. */
  readonly idfCodes: Uint8Array;
  readonly idfStep: number;
  /** Feature-major, `weights[column * 7 + class]`, times `weightScale`; classes in `EMOTIONS` order. */
  readonly weights: Int8Array;
  readonly weightScale: number;
  readonly bias: readonly number[];
  /**
   * Added to the log-probabilities before the final softmax: shifts the priors so that rare emotions (fear,
   * disgust) are predicted about as often as they occur, which is what macro-F1 rewards. Tuned on
   * out-of-fold predictions over the training split.
   */
  readonly offsets: readonly number[];
}

/** An English emotion classifier over Ekman's six emotions plus neutral, trained on Reddit comments. */
export class EmotionModel {
  private readonly idf: Float32Array;

  constructor(readonly parts: EmotionModelParts) {
    const { hashes, idfCodes, weights, bias, offsets } = parts;
    if (idfCodes.length !== hashes.length || weights.length !== hashes.length * CLASSES || bias.length !== CLASSES || offsets.length !== CLASSES) {
      throw new Error(`emotion model parts disagree: ${hashes.length} features, ${idfCodes.length} idf, ${weights.length} weights`);
    }
    this.idf = Float32Array.from(idfCodes, (code) => 1 + code * parts.idfStep);
  }

  get features(): number {
    return this.parts.hashes.length;
  }

  /** Class scores before the prior offsets (log-odds up to a constant), or null when no feature of the text is known. */
  rawScores(text: string): Float64Array | null {
    const { columns, values } = weighFeatures(countFeatures(text), this.parts.hashes, this.idf);
    if (columns.length === 0) return null;
    const { weights, weightScale, bias } = this.parts;
    const out = new Float64Array(CLASSES);
    for (let k = 0; k < columns.length; k++) {
      const base = (columns[k] as number) * CLASSES;
      const x = values[k] as number;
      for (let c = 0; c < CLASSES; c++) out[c] = (out[c] as number) + x * (weights[base + c] as number);
    }
    for (let c = 0; c < CLASSES; c++) out[c] = (out[c] as number) * weightScale + (bias[c] as number);
    return out;
  }

  /**
   * A text with nothing the model knows (empty, only digits, or a language other than English) reads as
   * neutral with certainty: there is no evidence of an emotion in it that this model can see.
   */
  detect(text: string): EmotionDetection {
    const raw = this.rawScores(text);
    const probabilities = new Float64Array(CLASSES);
    if (raw === null) probabilities[EMOTIONS.indexOf('neutral')] = 1;
    else {
      let max = -Infinity;
      for (let c = 0; c < CLASSES; c++) max = Math.max(max, (raw[c] as number) + (this.parts.offsets[c] as number));
      let sum = 0;
      for (let c = 0; c < CLASSES; c++) {
        const e = Math.exp((raw[c] as number) + (this.parts.offsets[c] as number) - max);
        probabilities[c] = e;
        sum += e;
      }
      for (let c = 0; c < CLASSES; c++) probabilities[c] = (probabilities[c] as number) / sum;
    }
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if ((probabilities[c] as number) > (probabilities[best] as number)) best = c;
    const scores = Object.fromEntries(EMOTIONS.map((emotion, c) => [emotion, probabilities[c] as number])) as Record<Emotion, number>;
    return { emotion: EMOTIONS[best] as Emotion, confidence: probabilities[best] as number, scores };
  }
}

export const emotionModelFileSchema = z.object({
  format: z.literal(EMOTION_MODEL_FORMAT),
  version: z.literal(EMOTION_MODEL_VERSION),
  labels: z.array(z.enum(EMOTIONS)).refine((labels) => labels.length === CLASSES && labels.every((l, i) => l === EMOTIONS[i]), {
    message: `labels must be ${EMOTIONS.join(', ')} in that order`,
  }),
  features: z.number().int().nonnegative(),
  /** Ascending hashes as unsigned LEB128 differences from the previous one (the first from 0), base64. */
  hashes: z.string(),
  idfStep: z.number().positive(),
  /** One byte per feature, base64. */
  idf: z.string(),
  weightScale: z.number().positive(),
  /** Signed bytes, feature-major, base64. */
  weights: z.string(),
  bias: z.array(z.number()).length(CLASSES),
  offsets: z.array(z.number()).length(CLASSES),
  /** Where the model came from and how it was built; not read by the code. */
  provenance: z.record(z.string(), z.unknown()),
});

export type EmotionModelFile = z.infer<typeof emotionModelFileSchema>;

function encodeHashes(hashes: Uint32Array): string {
  const bytes: number[] = [];
  let previous = 0;
  for (const h of hashes) {
    let delta = h - previous;
    previous = h;
    while (delta >= 0x80) {
      bytes.push((delta % 0x80) | 0x80);
      delta = Math.floor(delta / 0x80);
    }
    bytes.push(delta);
  }
  return Buffer.from(bytes).toString('base64');
}

function decodeHashes(base64: string, count: number): Uint32Array | string {
  const bytes = Buffer.from(base64, 'base64');
  const hashes = new Uint32Array(count);
  let at = 0;
  let previous = 0;
  for (let i = 0; i < count; i++) {
    let delta = 0;
    let scale = 1;
    for (;;) {
      if (at >= bytes.length) return `hashes end after ${i} of ${count} features`;
      const byte = bytes[at++] as number;
      delta += (byte & 0x7f) * scale;
      scale *= 0x80;
      if (byte < 0x80) break;
    }
    previous += delta;
    if (previous > 0xffffffff || (i > 0 && delta === 0)) return `hash ${i} is out of order or out of range`;
    hashes[i] = previous;
  }
  if (at !== bytes.length) return `hashes hold more than ${count} features`;
  return hashes;
}

export function serializeEmotionModel(model: EmotionModel, provenance: Record<string, unknown>): EmotionModelFile {
  const { parts } = model;
  return {
    format: EMOTION_MODEL_FORMAT,
    version: EMOTION_MODEL_VERSION,
    labels: [...EMOTIONS],
    features: parts.hashes.length,
    hashes: encodeHashes(parts.hashes),
    idfStep: parts.idfStep,
    idf: Buffer.from(parts.idfCodes.buffer, parts.idfCodes.byteOffset, parts.idfCodes.byteLength).toString('base64'),
    weightScale: parts.weightScale,
    weights: Buffer.from(parts.weights.buffer, parts.weights.byteOffset, parts.weights.byteLength).toString('base64'),
    bias: [...parts.bias],
    offsets: [...parts.offsets],
    provenance,
  };
}

export type ParsedEmotionModel = { ok: true; model: EmotionModel } | { ok: false; error: string };

export function parseEmotionModel(data: unknown): ParsedEmotionModel {
  const parsed = emotionModelFileSchema.safeParse(data);
  if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error) };
  const file = parsed.data;
  const hashes = decodeHashes(file.hashes, file.features);
  if (typeof hashes === 'string') return { ok: false, error: hashes };
  const idf = Buffer.from(file.idf, 'base64');
  const weights = Buffer.from(file.weights, 'base64');
  if (idf.length !== file.features) return { ok: false, error: `idf holds ${idf.length} values for ${file.features} features` };
  if (weights.length !== file.features * CLASSES) return { ok: false, error: `weights hold ${weights.length} values for ${file.features} features` };
  return {
    ok: true,
    model: new EmotionModel({
      hashes,
      idfCodes: new Uint8Array(idf),
      idfStep: file.idfStep,
      weights: new Int8Array(weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength)),
      weightScale: file.weightScale,
      bias: file.bias,
      offsets: file.offsets,
    }),
  };
}
