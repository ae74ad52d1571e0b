/**
 * The main thread's side of the chunk worker (chunk-worker.ts): it hands the worker the files and
 * the chunk ids the target holds, writes the sealed boxes it gets back to the target in order, and
 * acknowledges each so the worker keeps only a few in flight.
 */
import { Worker } from 'node:worker_threads';
import type { ChunkWorkerInput, ChunkWorkerMessage } from './chunk-worker.ts';
import type { Repo } from './repo.ts';

export type ChunkedFile = { size: number; sha256: string; chunks: string[]; missing: boolean };

export async function chunkFiles(
  repo: Repo,
  files: string[],
  onChunk: (size: number, written: number) => void,
  window = 8,
): Promise<ChunkedFile[]> {
  const results: ChunkedFile[] = files.map(() => ({ size: 0, sha256: '', chunks: [], missing: false }));
  if (!files.length) return results;
  const input: ChunkWorkerInput = { files, keys: repo.keys.chunkKeys, known: [...(await repo.knownChunks())], window };
  const worker = new Worker(new URL('./chunk-worker.ts', import.meta.url), { workerData: input });
  let chain = Promise.resolve();
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: unknown) => {
        failed = true;
        reject(err);
      };
      const handle = async (m: ChunkWorkerMessage) => {
        if (failed) return; // after a failure nothing more is written: the run has ended
        if (m.t === 'chunk') {
          let written = 0;
          if (m.box) {
            written = await repo.putSealed(m.id, Buffer.from(m.box.buffer, m.box.byteOffset, m.box.byteLength));
            worker.postMessage({ t: 'ack' });
          }
          results[m.file].chunks.push(m.id);
          onChunk(m.size, written);
        } else if (m.t === 'file') {
          Object.assign(results[m.file], { size: m.size, sha256: m.sha256, missing: m.missing });
        } else if (m.t === 'end') resolve();
        else fail(Object.assign(new Error(m.message), { code: m.code }));
      };
      // In order: a file's chunks are listed as the worker cut them.
      worker.on('message', (m: ChunkWorkerMessage) => void (chain = chain.then(() => handle(m)).catch(fail)));
      worker.once('error', fail);
      worker.once('exit', (code) => fail(new Error(`the chunk worker stopped (exit ${code})`)));
    });
  } finally {
    // A write still under way when the run failed finishes (or cleans up its temp file) first.
    await chain.catch(() => undefined);
    await worker.terminate();
  }
  return results;
}
