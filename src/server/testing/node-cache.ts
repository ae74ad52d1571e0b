/**
 * Environment for the Node processes tests start: Node's compile cache on (bin/kefu.js loads the
 * server's TypeScript; with the cache a later start skips most of that work), in a folder kept
 * across runs unless NODE_COMPILE_CACHE names another. Its own module (no imports beyond Node's):
 * the browser tests' support takes it without loading the process helpers' database code.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const nodeCacheEnv = (): Record<string, string> => ({
  NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE || join(tmpdir(), 'kefu-test-compile-cache'),
});
