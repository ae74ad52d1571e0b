/**
 * Node.js flags `kefu start` runs with, decided before the server loads (bin/kefu.js re-executes
 * itself with them). Plain JavaScript: the wrapper that re-runs Kefu on the pinned Node from an
 * older system Node uses it too. Plain data in, flags out: tested in src/cli/node-flags.test.ts.
 *
 * - `--single-threaded-gc` when the process may use one CPU only (`os.availableParallelism()`
 *   reads the CPU affinity: `taskset`, a cpuset, a one-core machine), or `KEFU_GC=single`.
 *   V8's parallel GC splits each pause among helper threads and waits for all of them; on one
 *   core a helper descheduled behind the chat writer's thread stretches the pause. Measured at
 *   8,500 chat msgs/s pinned to one core: p99 108–111 → 72 ms (docs/PERFORMANCE.md).
 *   `KEFU_GC=parallel` keeps V8's default.
 * - `--max-old-space-size=N` from `KEFU_HEAP_MB`: V8 lets the old generation grow to a few
 *   times what is live before it collects, so a burst of short-lived chat traffic raises the
 *   resident memory by hundreds of MB; a cap keeps it near the cap (and ends the process if
 *   what is live ever exceeds it: set it with room, see docs/OPERATIONS.md).
 */
/**
 * @param {{ args: string[], env: Record<string, string | undefined>, cores: number, present: string[] }} i
 *   `args`: the command line after `kefu`; `cores`: `os.availableParallelism()`; `present`: flags the
 *   process already runs with (`process.execArgv` and NODE_OPTIONS).
 * @returns {{ flags: string[] } | { error: string }}
 */
export function serverNodeFlags(i) {
  if (i.args[0] !== 'start') return { flags: [] };
  /** @type {string[]} */
  const flags = [];
  const gc = i.env.KEFU_GC?.trim() || 'auto';
  if (!['auto', 'single', 'parallel'].includes(gc))
    return { error: `KEFU_GC must be auto, single or parallel (got "${gc}")` };
  if (gc === 'single' || (gc === 'auto' && i.cores === 1)) flags.push('--single-threaded-gc');
  const heap = i.env.KEFU_HEAP_MB?.trim();
  if (heap) {
    if (!/^\d+$/.test(heap) || Number(heap) < 128 || Number(heap) > 1_048_576)
      return { error: `KEFU_HEAP_MB must be a whole number of MiB from 128 to 1048576 (got "${heap}")` };
    flags.push(`--max-old-space-size=${Number(heap)}`);
  }
  const has = (/** @type {string} */ f) => i.present.some((p) => p.split('=')[0] === f.split('=')[0]);
  return { flags: flags.filter((f) => !has(f)) };
}
