/** An injectable clock so that every deadline, session expiry and report is testable. */
export type Clock = { now(): Date };
export const systemClock: Clock = { now: () => new Date() };

/** A clock stopped at one moment: work done on behalf of an event, dated when the event happened. */
export const fixedClock = (at: Date | string): Clock => {
  const t = new Date(at).getTime();
  return { now: () => new Date(t) };
};

/** A clock tests move by hand. */
export function manualClock(start: Date | string): Clock & { set(d: Date | string): void; advance(ms: number): void } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = new Date(d).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export const iso = (d: Date): string => d.toISOString();
