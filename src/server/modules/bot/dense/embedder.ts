/**
 * A local embedding model through onnxruntime-node (CPU, the binaries the npm package ships;
 * nothing is downloaded). The model takes the hashed term vectors of `features.ts` as one float
 * input `[batch, N]` (N fixed in the model) and returns `[batch, E]`; rows are L2-normalised here,
 * so a dot product is the cosine. Transformer models that take token ids (`input_ids`) need a
 * tokenizer Kefu does not ship, and are refused with that reason.
 */
import type { Lexicon } from '../engine/text.ts';
import { hashedFeatures, l2 } from './features.ts';

export type Embedder = {
  path: string;
  inputSize: number;
  outputSize: number;
  embed(texts: readonly string[], lexicon?: Lexicon): Promise<Float32Array[]>;
};

const batch = 64;

export async function loadOnnxEmbedder(path: string): Promise<Embedder> {
  // Loaded only when a model is configured: the native library stays out of every other process.
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(path, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  if (session.inputNames.includes('input_ids'))
    throw new Error(
      `${path} takes token ids (input_ids): transformer models need a tokenizer Kefu does not ship; the model must take hashed term vectors [batch, N]`,
    );
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
    inputSize,
    get outputSize() {
      return outputSize;
    },
    embed,
  };
}
