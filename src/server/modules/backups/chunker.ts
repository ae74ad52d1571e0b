/**
 * Content-defined chunking (a gear rolling hash, as in FastCDC): a boundary falls where the hash
 * of the last bytes matches a mask, so an insertion shifts only the chunks around it, and a page
 * changed in place in a database file changes one or two chunks. Sizes stay between `min` and `max`.
 */
import type { Readable } from 'node:stream';

export type ChunkSizes = { min: number; avg: number; max: number };
export const defaultSizes: ChunkSizes = { min: 16 * 1024, avg: 64 * 1024, max: 256 * 1024 };

// A fixed table of 256 pseudo-random 32-bit values (xorshift from a constant seed).
const gear = (() => {
  const t = new Uint32Array(256);
  let x = 0x9e3779b9;
  for (let i = 0; i < 256; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    t[i] = x >>> 0;
  }
  return t;
})();

/** The chunks of a stream, in order; their concatenation is the stream. */
export async function* chunks(
  input: Readable | AsyncIterable<Buffer> | Iterable<Buffer>,
  sizes: ChunkSizes = defaultSizes,
): AsyncGenerator<Buffer> {
  const bits = Math.round(Math.log2(sizes.avg));
  const mask = ((1 << bits) - 1) << (32 - bits);
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let hash = 0;
  for await (const piece of input as AsyncIterable<Buffer>) {
    let start = 0;
    for (let i = 0; i < piece.length; i++) {
      hash = ((hash << 1) + gear[piece[i]]) >>> 0;
      const len = pendingLen + (i - start + 1);
      if ((len >= sizes.min && (hash & mask) === 0) || len >= sizes.max) {
        pending.push(piece.subarray(start, i + 1));
        yield Buffer.concat(pending);
        pending = [];
        pendingLen = 0;
        hash = 0;
        start = i + 1;
      }
    }
    if (start < piece.length) {
      pending.push(Buffer.from(piece.subarray(start)));
      pendingLen += piece.length - start;
    }
  }
  if (pendingLen) yield Buffer.concat(pending);
}
