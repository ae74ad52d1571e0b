/**
 * Checking a MaxMind GeoIP database file at start (`geoipDatabase`), not at the first shopper.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** MaxMind's metadata marker, within the last 128 KiB of every `.mmdb` file. */
const mmdbMarker = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex');

/** Why a file is not a readable MaxMind database, or null (checked at start, not at the first shopper). */
export function mmdbProblem(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return `${path} cannot be read (${code === 'ENOENT' ? 'no such file' : (code ?? String(err))})`;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return `${path} is not a file`;
    const len = Math.min(st.size, 128 * 1024);
    const tail = Buffer.alloc(len);
    readSync(fd, tail, 0, len, st.size - len);
    return tail.includes(mmdbMarker) ? null : `${path} is not a MaxMind database (.mmdb: no metadata marker)`;
  } catch (err) {
    return `${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  } finally {
    closeSync(fd);
  }
}
