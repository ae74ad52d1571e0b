/**
 * Where uploaded files live. The interface is what an S3-compatible store will implement later;
 * today files go into the data folder, named by id, written to a temp name then renamed, so a
 * crash never leaves a half-written file under a real name. Folders are 0700 and files 0600.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { dirMode, fileMode } from './data-dir.ts';

export type BlobStore = {
  /** Stores the stream under `key`; throws (and keeps nothing) if it exceeds `maxBytes`. */
  put(key: string, body: Readable, maxBytes: number): Promise<{ size: number; sha256: string }>;
  get(key: string): Promise<Readable>;
  /** The first `n` bytes (to check a file's type by its content). */
  head(key: string, n: number): Promise<Buffer>;
  remove(key: string): Promise<void>;
};

export class BlobTooLargeError extends Error {}

export function localBlobStore(root: string): BlobStore {
  const path = (key: string) => {
    if (!/^[\w/.-]+$/.test(key) || key.includes('..')) throw new Error(`bad blob key ${key}`);
    return join(root, key);
  };
  return {
    async put(key, body, maxBytes) {
      const final = path(key);
      const tmp = `${final}.part`;
      await mkdir(dirname(final), { recursive: true, mode: dirMode });
      const hash = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          if (size > maxBytes) return cb(new BlobTooLargeError(`larger than ${maxBytes} bytes`));
          hash.update(chunk);
          cb(null, chunk);
        },
      });
      try {
        await pipeline(body, meter, createWriteStream(tmp, { flags: 'wx', mode: fileMode }));
        // Multipart streams end silently when truncated at their own size limit.
        if ((body as Readable & { truncated?: boolean }).truncated)
          throw new BlobTooLargeError(`larger than ${maxBytes} bytes`);
        await rename(tmp, final);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      return { size, sha256: hash.digest('hex') };
    },
    async get(key) {
      await stat(path(key));
      return createReadStream(path(key));
    },
    async head(key, n) {
      const fh = await open(path(key), 'r');
      try {
        const buf = Buffer.alloc(n);
        const { bytesRead } = await fh.read(buf, 0, n, 0);
        return buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    },
    async remove(key) {
      await rm(path(key), { force: true });
    },
  };
}
