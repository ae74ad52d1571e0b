import { describe, expect, it } from 'vitest';
import { QueueWatch, type QueueFrame } from './queue-watch.ts';
import type { QueueState } from './snapshot.ts';

/** A hand-driven clock: timers fire only when the test moves time past them. */
function clock() {
  let now = 1_000_000;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  return {
    timers: {
      setTimeout: (fn: () => void, ms: number) => {
        timers.push({ at: now + ms, fn, id: next });
        return next++;
      },
      clearTimeout: (id: unknown) => {
        timers = timers.filter((t) => t.id !== id);
      },
      now: () => now,
    },
    advance(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
  };
}

const frame = (position: number, waitSeconds: number | null = 120): QueueFrame => ({
  t: 'queue',
  conv: 'cnv_1',
  position,
  waitSeconds,
  maxWaitSeconds: 180,
  notice: '当前咨询量较大',
});

describe('the waiting shopper’s queue state', () => {
  it('shows the position live and offers a message or callback after the maximum wait', () => {
    const c = clock();
    const seen: (QueueState | null)[] = [];
    const w = new QueueWatch(c.timers, (s) => seen.push(s));
    w.frame(frame(3));
    expect(seen.at(-1)).toEqual({
      position: 3,
      waitSeconds: 120,
      maxWaitSeconds: 180,
      notice: '当前咨询量较大',
      offer: false,
    });
    c.advance(60_000);
    w.frame(frame(2, 60));
    expect(seen.at(-1)).toMatchObject({ position: 2, waitSeconds: 60, offer: false });
    // The maximum wait counts from the first frame, not from the latest one.
    c.advance(119_000);
    expect(seen.at(-1)?.offer).toBe(false);
    c.advance(1_000);
    expect(seen.at(-1)).toMatchObject({ position: 2, offer: true });
    w.frame(frame(1, 30));
    expect(seen.at(-1)).toMatchObject({ position: 1, offer: true });
    // A frame for another (older) conversation of the shopper changes nothing.
    w.frame({ ...frame(0), conv: 'cnv_old' }, 'cnv_1');
    expect(seen.at(-1)).toMatchObject({ position: 1, offer: true });
  });

  it('clears when an agent takes the conversation, and starts counting again if it queues again', () => {
    const c = clock();
    const seen: (QueueState | null)[] = [];
    const w = new QueueWatch(c.timers, (s) => seen.push(s));
    w.frame(frame(1));
    c.advance(100_000);
    w.frame(frame(0));
    expect(seen.at(-1)).toBeNull();
    c.advance(100_000); // the old offer timer must not fire for a conversation no longer waiting
    expect(seen.at(-1)).toBeNull();
    w.frame(frame(4, null));
    expect(seen.at(-1)).toMatchObject({ position: 4, waitSeconds: null, offer: false });
    c.advance(179_999);
    expect(seen.at(-1)?.offer).toBe(false);
  });
});
