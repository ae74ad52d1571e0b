/**
 * The ack latency histogram's arithmetic: a latency equal to a bound counts in that bucket (`le`
 * is inclusive, as Prometheus's), one past the largest bound only in +Inf; the registry's
 * exposition has cumulative buckets, `_sum` and `_count`; a second gateway on one registry
 * (tests) keeps counting in the same histogram.
 */
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AckLatency, ackLatencyName } from './ack-latency.ts';

afterEach(() => vi.restoreAllMocks());

/** Observes an ack `seconds` after its send frame arrived (the clock stands at 100 s). */
const observe = (h: AckLatency, seconds: number) => {
  vi.spyOn(performance, 'now').mockReturnValue(100_000);
  h.observe(100_000 - seconds * 1000);
};

describe('AckLatency', () => {
  it('counts each ack once, in the first bucket whose bound it does not exceed', async () => {
    const registry = new Registry();
    const h = AckLatency.on(registry);
    expect(AckLatency.on(registry)).toBe(h);
    for (const s of [0.0005, 0.001, 0.002, 0.25, 10, 12]) observe(h, s);
    const text = await registry.metrics();
    const line = (le: string) =>
      Number(new RegExp(`^${ackLatencyName}_bucket\\{le="${le.replace('+', '\\+')}"\\} (\\S+)$`, 'm').exec(text)![1]);
    expect([line('0.001'), line('0.0025'), line('0.1'), line('0.25'), line('5'), line('10'), line('+Inf')]).toEqual([
      2, 3, 3, 4, 4, 5, 6,
    ]);
    expect(text).toMatch(new RegExp(`^${ackLatencyName}_count 6$`, 'm'));
    const sum = Number(new RegExp(`^${ackLatencyName}_sum (\\S+)$`, 'm').exec(text)![1]);
    expect(sum).toBeCloseTo(0.0005 + 0.001 + 0.002 + 0.25 + 10 + 12, 9);
    expect(text).toContain(`# TYPE ${ackLatencyName} histogram`);
  });
});
