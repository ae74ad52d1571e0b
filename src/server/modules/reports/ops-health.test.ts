/**
 * The daily health report's online peaks on several nodes (Asia/Shanghai, 2026-11-02): each node
 * samples its own online agents and shoppers, so the peak is that of the sum over nodes at the
 * same minute, not the largest one node saw:
 * - agents: n1 5, 8 and n2 7, 1 at 10:00, 10:01 → sums 12, 9 → peak 12 (one node's max: 8);
 * - shoppers: n1 30, 10 and n2 20, 45 → sums 50, 55 → peak 55 (one node's max: 45; the largest
 *   values of the two nodes, 30 + 45 = 75, never happened at the same minute).
 * People, not sockets: the per-workspace gauges of distinct agents and shoppers, added up over
 * workspaces too (n2's shoppers are of two workspaces); the socket counts (agents' second tabs) are
 * not read.
 */
import { describe, expect, it } from 'vitest';
import { healthSections, opsMetrics } from './ops-health.ts';
import { emptyOpsInputs } from './testing.ts';

const at = (local: string) => Date.parse(`${local}+08:00`);
const series = (labels: Record<string, string>, values: number[]) => ({
  labels,
  points: values.map((v, k) => ({ t: at('2026-11-02T10:00:00') + k * 60_000, max: v, mean: v, last: v })),
});

describe('daily health report: online at peak', () => {
  it('is the peak of the sum over nodes at the same minute', () => {
    const inputs = emptyOpsInputs('daily', '2026-11-02', {
      minute: {
        [opsMetrics.agentsOnline]: [
          series({ node: 'n1', workspace: 'shop' }, [5, 8]),
          series({ node: 'n2', workspace: 'shop' }, [7, 1]),
        ],
        [opsMetrics.shoppersOnline]: [
          series({ node: 'n1', workspace: 'shop' }, [30, 10]),
          series({ node: 'n2', workspace: 'shop' }, [15, 40]),
          series({ node: 'n2', workspace: 'outlet' }, [5, 5]),
        ],
        kefu_realtime_connections: [
          series({ node: 'n1', kind: 'agent' }, [9, 16]),
          series({ node: 'n1', kind: 'customer' }, [31, 12]),
        ],
      },
    });
    const perf = healthSections(inputs).find((s) => s.id === 'performance')!;
    const items = perf.blocks.flatMap((b) => (b.kind === 'figures' ? b.items : []));
    const online = items.find((f) => f.label.en.startsWith('Online at peak'))!;
    expect(online.value).toBe('12 / 55');
    expect(online.label.zh).toMatch(/各节点同一分钟之和/);
  });
});
