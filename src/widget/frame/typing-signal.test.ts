import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TypingSignal } from './typing-signal.ts';

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

function setup(canSend = () => true) {
  const sent: boolean[] = [];
  const signal = new TypingSignal((on) => (canSend() ? (sent.push(on), true) : false), {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
  });
  return { signal, sent };
}

describe('TypingSignal', () => {
  it('sends on once per 2.5 s of continuous typing, and off after 3 s idle', () => {
    const { signal, sent } = setup();
    for (let i = 0; i < 10; i++) {
      signal.input(true);
      vi.advanceTimersByTime(500); // a keystroke every half second for 5 s
    }
    expect(sent).toEqual([true, true]);
    vi.advanceTimersByTime(2499);
    expect(sent).toEqual([true, true]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([true, true, false]);
  });

  it('sends off at once when the composer empties or the message goes, and only if on was sent', () => {
    const { signal, sent } = setup();
    signal.stop();
    expect(sent).toEqual([]);
    signal.input(true);
    signal.input(false);
    expect(sent).toEqual([true, false]);
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual([true, false]);
  });

  it('sends nothing while it cannot (no conversation yet), then starts normally', () => {
    let can = false;
    const { signal, sent } = setup(() => can);
    signal.input(true);
    vi.advanceTimersByTime(5000);
    expect(sent).toEqual([]);
    can = true;
    signal.input(true);
    expect(sent).toEqual([true]);
  });
});
