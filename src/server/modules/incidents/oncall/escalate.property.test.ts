/**
 * Escalation timing as a property, on the real escalation code (the escalate and sla_check
 * schedules, the jobs worker, the HTTP API) moved by the manual clock. Over random policies
 * (1–3 levels with random waits, the whole chain repeated K = 0–3 more times), random
 * acknowledgement or resolution times and random extra clock ticks, the notifications on the
 * timeline are exactly those the policy prescribes:
 * - level i of round r at t0 + r·(sum of waits) + (waits of the levels before i), to the minute;
 * - nothing before its time (extra ticks never send early), nothing after the last round;
 * - nothing once the incident is acknowledged or resolved;
 * - the technical director is engaged once, at the resolution deadline, unless resolved by then
 *   (an acknowledgement does not stop that; a resolution exactly at the deadline is on time).
 * On both engines. One app and workspace serve every run; each run starts a day later than the one before and
 * cancels its incident at the end, so runs do not see each other's incidents or schedule ticks.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../../lib/clock.ts';
import { JobWorker } from '../../../lib/jobs/worker.ts';
import { Scheduler } from '../../../lib/jobs/scheduler.ts';
import { allSchedules, registerJobs } from '../../../main.ts';
import { engines, testApp, type Client, type TestApp } from '../../../testing/harness.ts';

const MIN = 60_000;
/** Resolution targets of the contract's default severity table (no promotion windows here). */
const resolveMinutes = { P1: 120, P2: 240, P3: 480 } as const;

type Case = {
  waits: number[];
  repeat: number;
  severity: keyof typeof resolveMinutes;
  /** What a person does, and when (minutes after the declaration); none: nobody reacts. */
  action: { kind: 'acknowledged' | 'resolved' | 'none'; at: number };
  /** Extra ticks of the clock, in minutes after the declaration. */
  extra: number[];
};

const caseArb: fc.Arbitrary<Case> = fc.record({
  waits: fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 3 }),
  repeat: fc.integer({ min: 0, max: 3 }),
  severity: fc.constantFrom('P1', 'P2', 'P3'),
  action: fc.record({
    kind: fc.constantFrom('acknowledged', 'resolved', 'none'),
    at: fc.integer({ min: 0, max: 600 }),
  }),
  extra: fc.array(fc.integer({ min: 0, max: 1200 }), { maxLength: 8 }),
});

/** The policy's schedule: [level, round, minute] of every notification while nobody reacts. */
function prescribed(waits: number[], repeat: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  let t = 0;
  for (let round = 0; round <= repeat; round++)
    waits.forEach((w, level) => {
      out.push([level, round, t]);
      t += w;
    });
  return out;
}

describe.each(engines)('escalation timing (property) on %s', (engine) => {
  let t: TestApp;
  const clock = manualClock('2026-03-02T02:00:00Z');
  let tick: () => Promise<void>;
  let run = 0;

  beforeAll(async () => {
    // Runs move the clock a day each: the console session must outlive that.
    t = await testApp(engine, { clock, config: { sessionTtlHours: 24 * 90, sessionMaxHours: 24 * 90 } });
    const worker = new JobWorker({ db: t.s.db, clock, log: t.s.log, pollMs: 1000 });
    registerJobs(worker, t.s);
    const scheduler = new Scheduler({ db: t.s.db, clock, log: t.s.log });
    const schedules = allSchedules().filter((x) => x.name === 'incidents.escalate' || x.name === 'incidents.sla_check');
    const drain = async () => {
      while ((await worker.tick()) > 0);
    };
    // What a node does at a minute: pending listeners first, then the two schedules.
    tick = async () => {
      await drain();
      for (const x of schedules) await scheduler.fire(x, clock.now());
      await drain();
    };
  }, 60_000);
  afterAll(async () => t?.close());

  let owner: Client;
  let people: { id: string; name: string }[];
  beforeAll(async () => {
    const ws = await t.workspace('vendor');
    owner = ws.owner;
    const users = [await t.user(ws.id, 'ops'), await t.user(ws.id, 'ops'), await t.user(ws.id, 'ops')];
    const contract = await owner.request({
      method: 'PUT',
      url: '/api/ops/contract',
      payload: {
        total: 1000000,
        term: { start: '2026-01-01T00:00:00+08:00', end: '2027-01-01T00:00:00+08:00' },
        promotions: [],
        technicalDirector: { name: '王总监', email: 'director@vendor.example.com' },
      },
    });
    expect(contract.statusCode, contract.body).toBe(200);
    const names = new Map<string, string>(
      (await owner.get('/api/users/directory')).json().items.map((u: { id: string; name: string }) => [u.id, u.name]),
    );
    people = users.map((u) => ({ id: u.actor.userId, name: names.get(u.actor.userId)! }));
  }, 60_000);

  it('sends exactly what the policy prescribes, stops on acknowledgement or resolution, and calls the director on breach', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        // A day per run, from Monday 2026-03-02 10:00 +08:00: before 618, and never back in time.
        const t0 = Date.parse('2026-03-02T02:00:00Z') + run++ * 24 * 60 * MIN;
        clock.set(new Date(t0));
        const policy = await owner.request({
          method: 'PUT',
          url: '/api/ops/escalation-policy',
          payload: {
            steps: c.waits.map((waitMinutes, i) => ({ notify: [{ type: 'user', id: people[i].id }], waitMinutes })),
            repeat: c.repeat,
            reackMinutes: 0,
          },
        });
        expect(policy.statusCode, policy.body).toBe(200);
        const inc = (await owner.post('/api/ops/incidents', { title: '支付回调失败', severity: c.severity })).json();
        expect(inc.resolveBy).toBe(new Date(t0 + resolveMinutes[c.severity] * MIN).toISOString());

        const schedule = prescribed(c.waits, c.repeat);
        const deadline = resolveMinutes[c.severity];
        const lastSend = schedule.at(-1)![2];
        const horizon = Math.max(lastSend, deadline) + 60;
        const minutes = new Set<number>([0, deadline, deadline + 1, horizon, ...schedule.map((x) => x[2])]);
        for (const m of c.extra) if (m <= horizon) minutes.add(m);
        if (c.action.kind !== 'none') minutes.add(c.action.at);
        for (const m of [...minutes].sort((a, b) => a - b)) {
          clock.set(new Date(t0 + m * MIN));
          // The person acts at that minute before the node's tick of the same minute.
          if (c.action.kind !== 'none' && m === c.action.at) {
            const r = await owner.post(`/api/ops/incidents/${inc.id}/transitions`, { to: c.action.kind });
            expect(r.statusCode, r.body).toBe(200);
          }
          await tick();
        }

        const stopAt = c.action.kind === 'none' ? Infinity : c.action.at;
        const timeline = (await owner.get(`/api/ops/incidents/${inc.id}`)).json().timeline as {
          type: string;
          at: string;
          data: { step: number; round: number; people: string[] };
        }[];
        const sent = timeline
          .filter((e) => e.type === 'escalated')
          .map((e) => [e.data.step, e.data.round, e.data.people, e.at]);
        expect(sent).toEqual(
          schedule
            .filter(([, , m]) => m < stopAt)
            .map(([level, round, m]) => [
              level + 1,
              round + 1,
              [people[level].name],
              new Date(t0 + m * MIN).toISOString(),
            ]),
        );
        const resolvedAt = c.action.kind === 'resolved' ? c.action.at : Infinity;
        const director = timeline.filter((e) => e.type === 'director_engaged').map((e) => e.at);
        expect(director).toEqual(resolvedAt <= deadline ? [] : [new Date(t0 + deadline * MIN).toISOString()]);
        // The next run starts from a quiet workspace.
        if (c.action.kind !== 'resolved')
          expect((await owner.post(`/api/ops/incidents/${inc.id}/transitions`, { to: 'cancelled' })).statusCode).toBe(
            200,
          );
      }),
      // PostgreSQL's round trips are slower: fewer runs there, the same properties.
      { numRuns: engine === 'sqlite' ? 60 : 25 },
    );
  }, 600_000);
});
