import { z } from 'zod';
import { TextClassifier, type DenseBlock } from './classifier.ts';
import { featureOptionsSchema } from './features.ts';
import { Vectorizer } from './vectorizer.ts';

export const CLASSIFIER_FORMAT = 'signalbox.text-classifier';
/** 3 added `dense` (sentence-encoder features); a version 2 model has none and still loads. */
export const CLASSIFIER_VERSION = 3;

/**
 * A trained classifier as JSON. Typed arrays travel as base64 of their little-endian bytes: a quarter of
 * the size of number arrays and bit-exact, so a reloaded model gives identical confidences.
 */
export const serializedClassifierSchema = z.object({
  format: z.literal(CLASSIFIER_FORMAT),
  version: z.union([z.literal(2), z.literal(CLASSIFIER_VERSION)]),
  labels: z.array(z.string()).min(2),
  features: featureOptionsSchema,
  /** Uint32 feature hashes, sorted; position = feature column. */
  hashes: z.string(),
  /** Float32 inverse document frequency per feature column. */
  idf: z.string(),
  /** Float32, feature-major: `weights[column * labels.length + label]`. */
  weights: z.string(),
  /** Float32 per label. */
  bias: z.string(),
  /** The sentence encoder whose vectors follow the n-gram columns; null or absent (version 2): none. */
  dense: z
    .object({ encoder: z.string().min(1), dimensions: z.int().positive().max(4096), weight: z.number().positive() })
    .nullable()
    .optional(),
});

export type SerializedClassifier = z.infer<typeof serializedClassifierSchema>;

function encode(array: Uint32Array | Float32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function decodeBytes(base64: string, field: string): Buffer {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.byteLength % 4 !== 0) throw new Error(`classifier field ${field} is not a whole number of 4-byte values`);
  return bytes;
}

function decodeUint32(base64: string, field: string): Uint32Array {
  const bytes = decodeBytes(base64, field);
  // Copy into a fresh buffer: the decoded bytes may sit at an offset that is not 4-byte aligned.
  return new Uint32Array(new Uint8Array(bytes).buffer);
}

function decodeFloat32(base64: string, field: string): Float32Array {
  const bytes = decodeBytes(base64, field);
  return new Float32Array(new Uint8Array(bytes).buffer);
}

export function serializeClassifier(classifier: TextClassifier): SerializedClassifier {
  return {
    format: CLASSIFIER_FORMAT,
    version: CLASSIFIER_VERSION,
    labels: [...classifier.labels],
    features: { ...classifier.vectorizer.options },
    hashes: encode(classifier.vectorizer.hashes),
    idf: encode(classifier.vectorizer.idf),
    weights: encode(classifier.model.weights),
    bias: encode(classifier.model.bias),
    dense: classifier.dense ? { ...classifier.dense } : null,
  };
}

export type DeserializeResult = { ok: true; classifier: TextClassifier } | { ok: false; error: string };

/** Validates and loads a serialized classifier; a wrong format, version or array size is an error, not a throw. */
export function deserializeClassifier(json: unknown): DeserializeResult {
  const parsed = serializedClassifierSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `invalid classifier: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown'}` };
  }
  const data = parsed.data;
  try {
    const hashes = decodeUint32(data.hashes, 'hashes');
    const idf = decodeFloat32(data.idf, 'idf');
    const weights = decodeFloat32(data.weights, 'weights');
    const bias = decodeFloat32(data.bias, 'bias');
    const classes = data.labels.length;
    const dense: DenseBlock | null = data.dense ?? null;
    const features = hashes.length + (dense?.dimensions ?? 0);
    if (weights.length !== features * classes) throw new Error(`classifier weights hold ${weights.length} values, expected ${features * classes}`);
    if (bias.length !== classes) throw new Error(`classifier bias holds ${bias.length} values, expected ${classes}`);
    const vectorizer = new Vectorizer(data.features, hashes, idf);
    return { ok: true, classifier: new TextClassifier(data.labels, vectorizer, { classes, features, weights, bias }, dense) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
