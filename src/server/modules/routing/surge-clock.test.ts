/**
 * Surge mode turns on and off by the clock alone (both engines, a hand-driven clock, the minute
 * tick's real job `routing.tick`): inside a schedule window, and inside a promotion of the
 * promotion calendar (the incidents module's default contract: 双11 from Oct 31 20:00 Shanghai),
 * with no arrival at all; off again when the window ends, or when promotions are turned off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { routingModule } from './index.ts';
import { surgeState } from './surge.ts';

describe.each(engines)('surge mode by the clock on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('follows its schedule and the promotion calendar at the minute tick', async () => {
    const clock = manualClock('2026-10-30T00:00:00Z'); // Oct 30, 08:00 in Shanghai: no promotion
    t = await testApp(engine, { clock });
    const { id: ws, owner } = await t.workspace('surge-clock');
    expect(
      (await owner.request({ method: 'PUT', url: '/api/routing/rules/*', payload: { enabled: true } })).statusCode,
    ).toBe(200);
    // Signed in again at each save: the clock jumps days, past a session's idle limit.
    const save = async (settings: object) => {
      const who = await t.signIn(owner.actor.email);
      const r = await who.request({ method: 'PUT', url: '/api/routing/surge', payload: settings });
      expect(r.statusCode, r.body).toBe(200);
    };
    const tick = () => routingModule.jobs!['routing.tick']({} as never, t.s);
    const state = async () => {
      const s = await surgeState(t.s, ws);
      return { active: s.active, reason: s.reason, promotion: s.promotion };
    };
    const at = async (iso: string) => {
      clock.set(new Date(iso));
      await tick();
      return state();
    };
    const schedule = [{ start: '2026-10-30T01:00:00Z', end: '2026-10-30T02:00:00Z' }];
    await save({ mode: 'auto', schedule, promotions: true });
    expect(await state()).toEqual({ active: false, reason: null, promotion: null });
    expect(await at('2026-10-30T00:59:00Z')).toEqual({ active: false, reason: null, promotion: null });
    expect(await at('2026-10-30T01:00:00Z')).toEqual({ active: true, reason: 'schedule', promotion: null });
    expect(await at('2026-10-30T02:00:00Z')).toEqual({ active: false, reason: null, promotion: null });
    // 双11 starts Oct 31, 20:00 Shanghai (12:00 UTC).
    expect(await at('2026-10-31T11:59:00Z')).toEqual({ active: false, reason: null, promotion: null });
    expect(await at('2026-10-31T12:00:00Z')).toEqual({ active: true, reason: 'promotion', promotion: '双11' });
    // Promotions turned off: off at once (saving evaluates), and the tick keeps it off.
    await save({ mode: 'auto', schedule, promotions: false });
    expect(await state()).toEqual({ active: false, reason: null, promotion: null });
    expect(await at('2026-11-10T16:00:00Z')).toEqual({ active: false, reason: null, promotion: null });
    await save({ mode: 'auto', schedule, promotions: true });
    expect(await at('2026-11-11T15:59:00Z')).toEqual({ active: true, reason: 'promotion', promotion: '双11' });
    // It ends Nov 12, 00:00 Shanghai (Nov 11, 16:00 UTC).
    expect(await at('2026-11-11T16:00:00Z')).toEqual({ active: false, reason: null, promotion: null });
  });
});
