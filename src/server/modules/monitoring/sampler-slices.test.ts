/**
 * The sampler's per-turn bound (issue #11: no sampler turn longer than 5 ms of main-thread work),
 * asserted over its slicing logic with a fake clock instead of timing a loaded machine: every
 * collector advances the fake clock by its cost, and each turn of the loop records the work done
 * since the previous one. sampler.test.ts measures the same on a real store.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Turns } from '../../lib/turns.ts';
import { Sampler, sliceBudgetMs } from './sampler.ts';
import type { Sample } from './store.ts';

const limitMs = 5;

/** A fake clock: work advances it; `turn` records the work since the last turn. */
function fakeTurns() {
  let t = 0;
  let lastTurn = 0;
  const stretches: number[] = [];
  const turns: Turns = {
    now: () => t,
    turn: async () => {
      stretches.push(t - lastTurn);
      lastTurn = t;
    },
  };
  return {
    turns,
    work: (ms: number) => void (t += ms),
    stretches,
    /** The work after the last turn (the write's share is the store's, not counted here). */
    tail: () => t - lastTurn,
  };
}

/** `n` metrics of mixed kinds whose collectors cost `costOf(i)` fake milliseconds each. */
function registryOf(n: number, costOf: (i: number) => number, work: (ms: number) => void): Registry {
  const r = new Registry();
  for (let i = 0; i < n; i++) {
    const cost = costOf(i);
    if (i % 3 === 0)
      new Gauge({
        name: `kefu_test_g${i}`,
        help: 'x',
        labelNames: ['workspace'],
        registers: [r],
        collect() {
          work(cost);
          for (let w = 0; w < 5; w++) this.set({ workspace: `w${w}` }, w);
        },
      });
    else if (i % 3 === 1)
      new Counter({
        name: `kefu_test_c${i}_total`,
        help: 'x',
        registers: [r],
        collect() {
          work(cost);
          this.inc();
        },
      });
    else
      new Histogram({
        name: `kefu_test_h${i}`,
        help: 'x',
        registers: [r],
        collect() {
          work(cost);
          this.observe(0.1 * i);
        },
      });
  }
  return r;
}

async function tickWith(registry: Registry, turns: Turns) {
  const written: Sample[] = [];
  const sampler = new Sampler({
    registry,
    node: 'n1',
    write: async (_at, samples) => (written.push(...samples), samples.length),
    now: () => Date.UTC(2026, 11, 6),
    onError: (err) => {
      throw err;
    },
    turns,
  });
  await sampler.tick();
  return written;
}

describe('the sampler takes turns', () => {
  it('never works more than 5 ms between two turns when each metric costs up to the budget', async () => {
    const f = fakeTurns();
    // 300 metrics of 0.1 – 2 ms each: 300 ms of collecting in all, which one synchronous pass would hold.
    const cost = (i: number) => 0.1 + ((i * 7) % 20) / 10;
    const written = await tickWith(
      registryOf(300, (i) => Math.min(cost(i), sliceBudgetMs), f.work),
      f.turns,
    );
    expect(written.filter((s) => s.name.startsWith('kefu_test_')).length).toBeGreaterThan(300);
    const total = f.stretches.reduce((a, b) => a + b, 0) + f.tail();
    expect(total).toBeGreaterThan(300);
    expect(f.stretches.length).toBeGreaterThan(total / limitMs);
    expect(Math.max(...f.stretches, f.tail())).toBeLessThanOrEqual(limitMs);
    // The last stretch ends before the write: the store's write starts on a fresh turn.
    expect(f.tail()).toBe(0);
  });

  it('would fail for a sampler that collects everything in one stretch', async () => {
    const f = fakeTurns();
    // What getMetricsAsJSON did: a clock that never says the budget is spent is one sampler turn.
    const stuck: Turns = { now: () => 0, turn: f.turns.turn };
    await tickWith(
      registryOf(50, () => 1, f.work),
      stuck,
    );
    expect(f.stretches.length).toBe(1);
    expect(f.stretches[0]).toBe(50);
  });

  it('takes a turn between every two metrics whose work alone fills the budget', async () => {
    const f = fakeTurns();
    await tickWith(
      registryOf(20, () => sliceBudgetMs, f.work),
      f.turns,
    );
    expect(f.stretches.every((ms) => ms <= sliceBudgetMs)).toBe(true);
    expect(f.stretches.length).toBe(20); // one before each metric after the first, one before the write
  });
});
