/**
 * Runs in a worker thread: reads the files of a backup, cuts them into chunks, names each by its
 * keyed hash, and compresses and encrypts the chunks the target does not hold yet; the main
 * thread only writes the sealed boxes to the target. The rolling hash looks at every byte, and
 * HMAC, SHA-256, zstd and AES-GCM at every chunk: on the event loop they held the chat gateway up
 * (hundreds of milliseconds per second of backup under load), here they take none of its time.
 *
 * Flow control: at most `window` sealed boxes are in flight; the main thread acknowledges each
 * one it wrote, so a slow target (S3 over a thin line) does not pile chunks up in memory.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { chunks } from './chunker.ts';
import { chunkSealer, type ChunkKeys } from './crypto.ts';

export type ChunkWorkerInput = { files: string[]; keys: ChunkKeys; known: string[]; window: number };
export type ChunkWorkerMessage =
  | { t: 'chunk'; file: number; id: string; size: number; box: Uint8Array | null }
  | { t: 'file'; file: number; size: number; sha256: string; missing: boolean }
  | { t: 'end' }
  | { t: 'error'; message: string; code?: string };

const input = workerData as ChunkWorkerInput;
const port = parentPort!;
const sealer = chunkSealer({ idKey: Buffer.from(input.keys.idKey), chunkKey: Buffer.from(input.keys.chunkKey) });
const known = new Set(input.known);
let inflight = 0;
let wake: (() => void) | null = null;
port.on('message', (m: { t: 'ack' }) => {
  if (m.t !== 'ack') return;
  inflight--;
  wake?.();
  wake = null;
});
const post = (m: ChunkWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

try {
  for (const [file, path] of input.files.entries()) {
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const c of chunks(createReadStream(path, { highWaterMark: 256 << 10 }))) {
        hash.update(c);
        size += c.length;
        const id = sealer.chunkId(c);
        if (known.has(id)) {
          post({ t: 'chunk', file, id, size: c.length, box: null });
          continue;
        }
        known.add(id);
        while (inflight >= input.window) await new Promise<void>((r) => (wake = r));
        const box = sealer.seal(id, c);
        inflight++;
        // A fresh buffer of its own, so that it can be moved, not copied, to the main thread.
        const own = new Uint8Array(box);
        post({ t: 'chunk', file, id, size: c.length, box: own }, [own.buffer]);
      }
    } catch (err) {
      // A file removed meanwhile (an attachment purged) is simply not in this backup.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || size > 0) throw err;
      post({ t: 'file', file, size: 0, sha256: '', missing: true });
      continue;
    }
    post({ t: 'file', file, size, sha256: hash.digest('hex'), missing: false });
  }
  while (inflight > 0) await new Promise<void>((r) => (wake = r));
  post({ t: 'end' });
} catch (err) {
  post({ t: 'error', message: (err as Error).message, code: (err as NodeJS.ErrnoException).code });
}
