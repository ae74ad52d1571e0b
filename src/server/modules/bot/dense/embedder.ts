/**
 * A local embedding model through onnxruntime-node (CPU, the binaries the npm package ships;
 * nothing is downloaded). Two kinds of model:
 * - **hashed terms**: one float input `[batch, N]` (N fixed in the model) fed with the hashed term
 *   vectors of `features.ts`; output `[batch, E]`;
 * - **transformers** (BERT family: bge, text2vec, MiniLM… exported to ONNX): inputs `input_ids`,
 *   `attention_mask` and optionally `token_type_ids` (int64 `[batch, seq]`), tokenised with the
 *   `vocab.txt` that must lie beside the model file (`wordpiece.ts`); output `[batch, seq, H]`
 *   (mean-pooled over the attention mask) or `[batch, H]` (already pooled).
 * Rows are L2-normalised here, so a dot product is the cosine.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Lexicon } from '../engine/text.ts';
import { hashedFeatures, l2 } from './features.ts';
import { loadWordPiece } from './wordpiece.ts';

export type Embedder = {
  path: string;
  kind: 'hashed' | 'tokens';
  /** The hashed vector's size (0 for token models). */
  inputSize: number;
  outputSize: number;
  embed(texts: readonly string[], lexicon?: Lexicon): Promise<Float32Array[]>;
};

const batch = 64;
type Ort = typeof import('onnxruntime-node');

/** Rows of a `[batch, seq, H]` output averaged over their attention mask, or a `[batch, H]` output's rows. */
function pooled(y: Tensor, mask: BigInt64Array, n: number, seq: number, path: string): Float32Array[] {
  const dims = y.dims.map(Number);
  if (y.type !== 'float32' || dims[0] !== n || (dims.length !== 2 && dims.length !== 3))
    throw new Error(`${path}: the first output must be float32 [batch, H] or [batch, seq, H]`);
  const values = y.data as Float32Array;
  const h = dims[dims.length - 1]!;
  if (dims.length === 2) return Array.from({ length: n }, (_, j) => l2(values.slice(j * h, (j + 1) * h)));
  if (dims[1] !== seq) throw new Error(`${path}: the output's sequence length is not the input's`);
  return Array.from({ length: n }, (_, j) => {
    const v = new Float32Array(h);
    let count = 0;
    for (let k = 0; k < seq; k++) {
      if (!mask[j * seq + k]) continue;
      count++;
      const base = (j * seq + k) * h;
      for (let i = 0; i < h; i++) v[i]! += values[base + i]!;
    }
    if (count) for (let i = 0; i < h; i++) v[i]! /= count;
    return l2(v);
  });
}

function tokenEmbedder(ort: Ort, session: InferenceSession, path: string): Embedder['embed'] {
  const vocabPath = join(dirname(path), 'vocab.txt');
  if (!existsSync(vocabPath))
    throw new Error(`${path} takes token ids (input_ids): its vocab.txt must lie beside it (${vocabPath})`);
  const known = new Set(['input_ids', 'attention_mask', 'token_type_ids']);
  const unknown = session.inputNames.filter((x) => !known.has(x));
  if (unknown.length) throw new Error(`${path}: inputs Kefu cannot fill: ${unknown.join(', ')}`);
  const tok = loadWordPiece(vocabPath);
  return async (texts) => {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += 16) {
      const part = texts.slice(i, i + 16).map((t) => tok.ids(t));
      const seq = Math.max(...part.map((x) => x.length));
      const ids = new BigInt64Array(part.length * seq);
      const mask = new BigInt64Array(part.length * seq);
      part.forEach((x, j) =>
        x.forEach((v, k) => {
          ids[j * seq + k] = BigInt(v);
          mask[j * seq + k] = 1n;
        }),
      );
      const shape = [part.length, seq];
      const feeds: Record<string, Tensor> = {
        input_ids: new ort.Tensor('int64', ids, shape),
        attention_mask: new ort.Tensor('int64', mask, shape),
        token_type_ids: new ort.Tensor('int64', new BigInt64Array(part.length * seq), shape),
      };
      const res = await session.run(Object.fromEntries(session.inputNames.map((x) => [x, feeds[x]!])));
      out.push(...pooled(res[session.outputNames[0]!]!, mask, part.length, seq, path));
    }
    return out;
  };
}

export async function loadOnnxEmbedder(path: string): Promise<Embedder> {
  // Loaded only when a model is configured: the native library stays out of every other process.
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(path, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  if (session.inputNames.includes('input_ids')) {
    const embed = tokenEmbedder(ort, session, path);
    const [probe] = await embed(['warm up']);
    return { path, kind: 'tokens', inputSize: 0, outputSize: probe!.length, embed };
  }
  if (session.inputNames.length !== 1 || session.outputNames.length < 1)
    throw new Error(`${path} must have one float input [batch, N] and an output [batch, E]`);
  const meta = session.inputMetadata[0]!;
  const shape = meta.isTensor ? meta.shape : [];
  const inputSize = shape.length === 2 && typeof shape[1] === 'number' ? shape[1] : 0;
  if (!meta.isTensor || meta.type !== 'float32' || !(inputSize > 0))
    throw new Error(`${path}: the input must be a float32 tensor [batch, N] with a fixed N`);
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  let outputSize = 0;
  const embed = async (texts: readonly string[], lexicon?: Lexicon): Promise<Float32Array[]> => {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batch) {
      const part = texts.slice(i, i + batch);
      const data = new Float32Array(part.length * inputSize);
      part.forEach((t, j) => data.set(hashedFeatures(t, inputSize, lexicon), j * inputSize));
      const res = await session.run({ [inputName]: new ort.Tensor('float32', data, [part.length, inputSize]) });
      const y = res[outputName]!;
      const e = Number(y.dims[y.dims.length - 1]);
      if (y.type !== 'float32' || y.dims.length !== 2 || Number(y.dims[0]) !== part.length || !(e > 0))
        throw new Error(`${path}: the output must be a float32 tensor [batch, E]`);
      outputSize = e;
      const values = y.data as Float32Array;
      for (let j = 0; j < part.length; j++) out.push(l2(values.slice(j * e, (j + 1) * e)));
    }
    return out;
  };
  // One run now: a model that loads but cannot run fails here, not on a shopper's message.
  await embed(['warm up']);
  return {
    path,
    kind: 'hashed',
    inputSize,
    get outputSize() {
      return outputSize;
    },
    embed,
  };
}
