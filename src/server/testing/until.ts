/**
 * Waiting in tests for what real processes do: `fn` is asked again every 200 ms until it gives
 * a truthy value (an error counts as not yet), and only `ms` (generous, for a loaded machine)
 * bounds it; the timeout names what was awaited and the last error seen.
 */
export async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 150_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown = null;
  for (;;) {
    const v = await fn().catch((err: unknown) => ((last = err), null));
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
