/**
 * A minimal ONNX writer: the protobuf of a model whose graph is one MatMul of a float input
 * `[batch, inputSize]` by a weight matrix `[inputSize, outputSize]` (an initializer) into the
 * output `[batch, outputSize]`. It is what the tests load through onnxruntime-node (no model is
 * downloaded), and a merchant can use it to turn a matrix trained elsewhere on Kefu's hashed
 * features (`dense/features.ts`) into a model file. Field numbers are those of onnx.proto3
 * (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto, TypeProto).
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

/** TypeProto.Tensor of floats with the given dims (a string: a symbolic dim). */
function tensorType(dims: (number | string)[]): number[] {
  const shape = dims.flatMap((d) => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d)));
  return bytes(1, [...int(1, floatType), ...bytes(2, shape)]);
}
const valueInfo = (name: string, dims: (number | string)[]) => [...str(1, name), ...bytes(2, tensorType(dims))];

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
  const rows = m.weights.length;
  const cols = m.weights[0]?.length ?? 0;
  if (!rows || !cols || m.weights.some((r) => r.length !== cols)) throw new Error('weights must be a non-empty matrix');
  const raw = new Uint8Array(new Float32Array(m.weights.flat()).buffer);
  const initializer = [...int(1, rows), ...int(1, cols), ...int(2, floatType), ...str(8, 'W'), ...bytes(9, raw)];
  const node = [...str(1, input), ...str(1, 'W'), ...str(2, output), ...str(3, 'matmul'), ...str(4, 'MatMul')];
  const graph = [
    ...bytes(1, node),
    ...str(2, 'kefu-dense'),
    ...bytes(5, initializer),
    ...bytes(11, valueInfo(input, ['batch', rows])),
    ...bytes(12, valueInfo(output, ['batch', cols])),
  ];
  const opset = [...str(1, ''), ...int(2, 13)];
  const model = [...int(1, 8), ...str(2, 'kefu'), ...bytes(7, graph), ...bytes(8, opset)];
  return new Uint8Array(model);
}
