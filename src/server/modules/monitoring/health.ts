/**
 * A workspace's view of the installation's health: each component it depends on with a status
 * (the worst of the probes that watch it: down > pending > up; unknown without probes) and its
 * daily uptime for the last 90 days (from the hourly rollups of those probes' `probe_success`).
 * The console's read-only health page and the public status page read this.
 */
import type { Services } from '../../context.ts';
import { componentsOfWorkspace } from './components.ts';
import { listProbes } from './probes.ts';
import { runtime } from './runtime.ts';

export type ComponentHealth = {
  name: string;
  title: string;
  titleEn: string;
  description: string;
  status: 'up' | 'degraded' | 'down' | 'unknown';
  /** Share of successful checks per day, oldest first (90 entries; null: no checks that day). */
  days: (number | null)[];
  uptime90d: number | null;
};

const day = 86400_000;

export async function workspaceHealth(s: Services, workspaceId: string): Promise<ComponentHealth[]> {
  const now = s.clock.now().getTime();
  const components = await componentsOfWorkspace(s, workspaceId);
  const probes = (await listProbes(s.db)).filter((p) => p.enabled && p.component);
  const start = Math.floor(now / day) * day - 89 * day;
  const store = runtime(s).store;
  const series = await store.read('probe_success', [], start, now, 3600);
  return components.map((c) => {
    const mine = probes.filter((p) => p.component === c.name);
    const statuses = mine.map((p) => p.status);
    const status = !mine.length
      ? 'unknown'
      : statuses.includes('down')
        ? 'down'
        : statuses.includes('pending')
          ? 'degraded'
          : statuses.every((x) => x === 'up')
            ? 'up'
            : 'unknown';
    const sums = Array.from({ length: 90 }, () => ({ n: 0, sum: 0 }));
    for (const x of series)
      if (x.labels.component === c.name)
        for (const [t, v] of x.points) {
          const i = Math.floor((t - 1 - start) / day);
          if (i >= 0 && i < 90) {
            sums[i].n++;
            sums[i].sum += v;
          }
        }
    const days = sums.map((d) => (d.n ? d.sum / d.n : null));
    const known = sums.filter((d) => d.n);
    return {
      name: c.name,
      title: c.title,
      titleEn: c.titleEn,
      description: c.description,
      status,
      days,
      uptime90d: known.length ? known.reduce((a, d) => a + d.sum / d.n, 0) / known.length : null,
    };
  });
}
