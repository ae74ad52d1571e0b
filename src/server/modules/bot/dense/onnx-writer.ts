/**
 * A minimal ONNX writer for two one-node models: a MatMul of a float input `[batch, inputSize]` by
 * a weight matrix (hashed-term models), and a Gather of token ids `[batch, seq]` from an embedding
 * table (the shape of a transformer's inputs and `last_hidden_state`, without the transformer).
 * They are what the tests load through onnxruntime-node (no model is downloaded); a merchant can
 * use `matMulModel` to turn a matrix trained elsewhere on Kefu's hashed features
 * (`dense/features.ts`) into a model file. Field numbers are those of onnx.proto3 (ModelProto,
 * GraphProto, NodeProto, TensorProto, ValueInfoProto, TypeProto).
 */

function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, v: number) => [...key(field, 0), ...varint(v)];
const bytes = (field: number, b: Uint8Array | number[]) => [...key(field, 2), ...varint(b.length), ...b];
const str = (field: number, s: string) => bytes(field, [...new TextEncoder().encode(s)]);

const floatType = 1;
const int64Type = 7;

/** TypeProto.Tensor of an element type with the given dims (a string: a symbolic dim). */
function tensorType(dims: (number | string)[], elem: number): number[] {
  const shape = dims.flatMap((d) => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d)));
  return bytes(1, [...int(1, elem), ...bytes(2, shape)]);
}
const valueInfo = (name: string, dims: (number | string)[], elem = floatType) => [
  ...str(1, name),
  ...bytes(2, tensorType(dims, elem)),
];
const floatMatrix = (name: string, m: number[][]) => {
  const rows = m.length;
  const cols = m[0]?.length ?? 0;
  if (!rows || !cols || m.some((r) => r.length !== cols)) throw new Error(`${name} must be a non-empty matrix`);
  const raw = new Uint8Array(new Float32Array(m.flat()).buffer);
  return {
    rows,
    cols,
    tensor: [...int(1, rows), ...int(1, cols), ...int(2, floatType), ...str(8, name), ...bytes(9, raw)],
  };
};
const modelOf = (graph: number[]) =>
  new Uint8Array([...int(1, 8), ...str(2, 'kefu'), ...bytes(7, graph), ...bytes(8, [...str(1, ''), ...int(2, 13)])]);

export type MatMulModel = {
  inputName?: string;
  outputName?: string;
  /** Row-major `[inputSize][outputSize]`. */
  weights: number[][];
};

/** The bytes of an ONNX model computing `output = input × weights`. */
export function matMulModel(m: MatMulModel): Uint8Array {
  const input = m.inputName ?? 'features';
  const output = m.outputName ?? 'embedding';
  const w = floatMatrix('W', m.weights);
  const node = [...str(1, input), ...str(1, 'W'), ...str(2, output), ...str(3, 'matmul'), ...str(4, 'MatMul')];
  return modelOf([
    ...bytes(1, node),
    ...str(2, 'kefu-dense'),
    ...bytes(5, w.tensor),
    ...bytes(11, valueInfo(input, ['batch', w.rows])),
    ...bytes(12, valueInfo(output, ['batch', w.cols])),
  ]);
}

/**
 * The bytes of a model with a transformer's interface: int64 `input_ids` and `attention_mask`
 * `[batch, seq]` in, `last_hidden_state` `[batch, seq, H]` out — each token's row of `table`
 * (`[vocabulary size][H]`); the mask is an input the graph does not use (pooling is Kefu's).
 */
export function tokenTableModel(table: number[][]): Uint8Array {
  const e = floatMatrix('E', table);
  const node = [
    ...str(1, 'E'),
    ...str(1, 'input_ids'),
    ...str(2, 'last_hidden_state'),
    ...str(3, 'lookup'),
    ...str(4, 'Gather'),
  ];
  return modelOf([
    ...bytes(1, node),
    ...str(2, 'kefu-token-table'),
    ...bytes(5, e.tensor),
    ...bytes(11, valueInfo('input_ids', ['batch', 'seq'], int64Type)),
    ...bytes(11, valueInfo('attention_mask', ['batch', 'seq'], int64Type)),
    ...bytes(12, valueInfo('last_hidden_state', ['batch', 'seq', e.cols])),
  ]);
}
