/**
 * How long work blocks the event loop: the longest gap between turns of the loop while it runs,
 * measured by a setImmediate chain, in wall time and in the main thread's CPU time
 * (`process.threadCpuUsage`, which a loaded machine does not stretch). The monitoring bench and the
 * sampler's test use it.
 *
 * The thread's CPU time is kept by the kernel in coarse steps (often a scheduler tick, 4 ms): a
 * short slice may be credited a whole step. A slice's work is at most its wall time too, so
 * `blocked` (the longest slice by the smaller of the two) is the figure to hold to a bound of a few
 * milliseconds on a loaded machine: preemption stretches the wall time, never the CPU time, and a
 * step of CPU credit never exceeds the wall time it fell in.
 */
export const threadCpuMs = (): number => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};

export async function longestSlice(
  work: () => Promise<unknown>,
): Promise<{ wall: number; cpu: number; blocked: number }> {
  let wall = 0;
  let cpu = 0;
  let blocked = 0;
  let last = performance.now();
  let lastCpu = threadCpuMs();
  let on = true;
  const spin = () => {
    const now = performance.now();
    const c = threadCpuMs();
    wall = Math.max(wall, now - last);
    cpu = Math.max(cpu, c - lastCpu);
    blocked = Math.max(blocked, Math.min(now - last, c - lastCpu));
    last = now;
    lastCpu = c;
    if (on) setImmediate(spin);
  };
  setImmediate(spin);
  await work();
  on = false;
  await new Promise((r) => setTimeout(r, 5));
  return { wall, cpu, blocked };
}
