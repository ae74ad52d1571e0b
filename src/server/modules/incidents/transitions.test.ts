/**
 * The whole state machine through the HTTP API on both engines, driven by the transition table:
 * every (from, to) pair of states is tried. A legal move answers 200, moves the incident, bumps
 * its version and appends one state entry to its timeline; an illegal one answers 409
 * `invalid_transition` and leaves the incident exactly as it was (same detail, same timeline).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentStates, type IncidentStateName } from '../../../shared/incidents-api.ts';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { transitions } from './model.ts';

/** A legal path from a new (triggered) incident to each state. */
const pathTo: Record<IncidentStateName, IncidentStateName[]> = {
  triggered: [],
  acknowledged: ['acknowledged'],
  mitigated: ['mitigated'],
  resolved: ['resolved'],
  closed: ['resolved', 'closed'],
  cancelled: ['cancelled'],
};

const pairs = incidentStates.flatMap((from) => incidentStates.map((to) => [from, to] as const));
const legal = pairs.filter(([from, to]) => transitions[from].includes(to));
const illegal = pairs.filter(([from, to]) => !transitions[from].includes(to));

describe('the transition table', () => {
  it('covers every state, and closed and cancelled are final', () => {
    expect(Object.keys(transitions).sort()).toEqual([...incidentStates].sort());
    expect([transitions.closed, transitions.cancelled]).toEqual([[], []]);
    // Every state can be reached from a new incident by legal moves only.
    for (const s of incidentStates) {
      const states = ['triggered', ...pathTo[s]] as IncidentStateName[];
      states.slice(1).forEach((to, i) => expect(transitions[states[i]]).toContain(to));
      expect(states.at(-1)).toBe(s);
    }
    // No state moves to itself (a second acknowledgement is a lost race, below).
    expect(pairs.filter(([from, to]) => from === to && transitions[from].includes(to))).toEqual([]);
    expect(legal.length + illegal.length).toBe(36);
  });
});

describe.each(engines)('incident transitions over HTTP on %s', (engine) => {
  let t: TestApp;
  let ops: Client;
  beforeAll(async () => {
    t = await testApp(engine, { clock: manualClock(new Date('2026-03-02T02:00:00Z')) });
    const { id: wsId } = await t.workspace('shop');
    ops = await t.user(wsId, 'ops');
  }, 60_000);
  afterAll(async () => t?.close());

  const move = (id: string, to: IncidentStateName) => ops.post(`/api/ops/incidents/${id}/transitions`, { to });
  const detail = async (id: string) => (await ops.get(`/api/ops/incidents/${id}`)).json();

  /** A new incident moved along the legal path to `state`. */
  async function incidentIn(state: IncidentStateName): Promise<string> {
    const res = await ops.post('/api/ops/incidents', { title: `to ${state}`, severity: 'P2', component: 'tickets' });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    for (const to of pathTo[state]) expect((await move(id, to)).statusCode).toBe(200);
    expect((await detail(id)).state).toBe(state);
    return id;
  }

  it.each(incidentStates)('refuses every illegal move from %s and changes nothing', async (from) => {
    const id = await incidentIn(from);
    const before = await detail(id);
    const targets = illegal.filter(([f]) => f === from).map(([, to]) => to);
    expect(targets.length).toBeGreaterThan(0);
    for (const to of targets) {
      const res = await move(id, to);
      expect(res.statusCode, `${from} → ${to}`).toBe(409);
      const error = res.json().error;
      if (from === 'acknowledged' && to === 'acknowledged') {
        // A second acknowledgement is the lost race of two people acknowledging: it says who won.
        expect(error.code).toBe('conflict');
        expect(error.message).toMatch(/acknowledged by /);
      } else {
        expect(error).toMatchObject({ code: 'invalid_transition', issues: { from, to } });
        expect(error.message).toBe(`an incident cannot go from ${from} to ${to}`);
      }
    }
    expect(await detail(id)).toEqual(before);
  });

  it.each(legal)('moves %s → %s', async (from, to) => {
    const id = await incidentIn(from);
    const before = await detail(id);
    const res = await move(id, to);
    expect(res.statusCode).toBe(200);
    const after = await detail(id);
    expect(after).toMatchObject({ state: to, version: before.version + 1 });
    expect(after.timeline).toHaveLength(before.timeline.length + 1);
    expect(after.timeline.at(-1)).toMatchObject({ type: 'state', data: { from, to } });
    // The stamps follow the state: set on arrival, cleared by re-triggering.
    if (to === 'acknowledged') expect(after.acknowledgedAt).not.toBeNull();
    if (to === 'resolved') expect(after.resolvedAt).not.toBeNull();
    if (to === 'closed') expect(after.closedAt).not.toBeNull();
    if (to === 'triggered') expect([after.resolvedAt, after.closedAt, after.mitigatedAt]).toEqual([null, null, null]);
  });
});
