import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { kernelThreadId, lowerThreadPriority } from './thread-priority.ts';

const linux = process.platform === 'linux';

describe.runIf(linux)('lowerThreadPriority', () => {
  it('lowers a worker thread only: the main thread keeps its priority', async () => {
    const main = getPriority(process.pid);
    // The worker waits for a message before it ends: a thread that had already exited has no
    // priority to read (getPriority would throw ESRCH, or read another thread that took its id).
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       import(${JSON.stringify(new URL('./thread-priority.ts', import.meta.url).href)}).then((m) => {
         const tid = m.kernelThreadId();
         parentPort.once('message', () => parentPort.close());
         parentPort.postMessage({ tid, nice: m.lowerThreadPriority(5) });
       });`,
      { eval: true },
    );
    const r = await new Promise<{ tid: number; nice: number | null }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    try {
      expect(r.tid).not.toBe(process.pid);
      expect(r.nice).toBe(Math.min(19, main + 5));
      expect(getPriority(r.tid)).toBe(r.nice); // the kernel's view of that thread
      expect(getPriority(process.pid)).toBe(main); // and of the main thread: unchanged
    } finally {
      await worker.terminate();
    }
  });

  it('leaves the main thread alone (its id is the whole process)', () => {
    expect(kernelThreadId()).toBe(process.pid);
    const before = getPriority(process.pid);
    expect(lowerThreadPriority()).toBeNull();
    expect(getPriority(process.pid)).toBe(before);
  });
});
