/**
 * Layered rosters through the API on both engines: saving a business-hours rotation returns the
 * gaps it leaves as warnings; a night layer closes them and takes over for its hours (who is on
 * call now, and the escalation's rotation target); bad layers are refused with a reason.
 * Times are +08:00 (2026-03-02 is a Monday).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../lib/clock.ts';
import { engines, testApp, type TestApp } from '../../../testing/harness.ts';
import { onCallUser } from './service.ts';

const at = (local: string) => new Date(`${local}+08:00`);

describe.each(engines)('layered on-call rosters on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('warns of gaps when saved, closes the nights with a layer, and puts the night layer on call at night', async () => {
    const clock = manualClock(at('2026-03-02T10:00:00'));
    t = await testApp(engine, { clock });
    const { owner, id } = await t.workspace('vendor');
    const [day, night] = [await t.user(id, 'ops'), await t.user(id, 'ops')];
    const outsider = await t.user((await t.workspace('other')).id, 'ops');
    const base = {
      name: '一线值班',
      handoff: 'weekly',
      handoffTime: '09:00',
      startDate: '2026-03-02',
      participants: [day.actor.userId],
      hours: { start: '09:00', end: '18:00', weekdays: [0, 1, 2, 3, 4] },
    };
    const put = (url: string, body: object) => owner.request({ method: 'PUT', url, payload: body });
    const saved = await owner.post('/api/ops/oncall/rotations', base);
    expect(saved.statusCode, saved.body).toBe(200);
    const gaps = saved.json().warnings.filter((w: { code: string }) => w.code === 'gap');
    expect(gaps).toHaveLength(20); // four weeks of evenings and weekends
    expect(gaps[0]).toMatchObject({ start: '2026-03-02T10:00:00.000Z', end: '2026-03-03T01:00:00.000Z' });

    const night24 = {
      name: '夜班',
      handoff: 'daily',
      handoffTime: '18:00',
      startDate: '2026-03-02',
      participants: [night.actor.userId],
      hours: { start: '18:00', end: '09:00' },
    };
    const layered = await put(`/api/ops/oncall/rotations/${saved.json().id}`, { ...base, layers: [night24] });
    expect(layered.statusCode, layered.body).toBe(200);
    // Nights are covered now; weekend days are still nobody's (8 in four weeks).
    const left = layered.json().warnings as { code: string; start: string; end: string }[];
    expect(left).toHaveLength(8);
    for (const g of left) {
      expect(new Date(Date.parse(g.start) + 8 * 3_600_000).getUTCDay() % 6).toBe(0); // Saturday or Sunday
      expect(Date.parse(g.end) - Date.parse(g.start)).toBe(9 * 3_600_000); // 09:00–18:00
    }
    expect(layered.json().layers).toEqual([
      { name: '夜班', timezone: 'Asia/Shanghai', participants: [{ id: night.actor.userId, name: expect.any(String) }] },
    ]);
    // 10:00 the day person; the next shift is the night layer's from 18:00.
    const now = (await owner.get('/api/ops/oncall')).json().rotations[0];
    expect(
      now.shifts
        .slice(0, 2)
        .map((s: { userId: string; layer: string | null; start: string }) => [s.userId, s.layer, s.start]),
    ).toEqual([
      [day.actor.userId, null, '2026-03-02T01:00:00.000Z'],
      [night.actor.userId, '夜班', '2026-03-02T10:00:00.000Z'],
    ]);
    // A layer with someone outside the workspace, or hours that are not times: 400, nothing saved.
    const bad = await put(`/api/ops/oncall/rotations/${saved.json().id}`, {
      ...base,
      layers: [{ ...night24, participants: [outsider.actor.userId] }],
    });
    expect(bad.statusCode, bad.body).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode, bad.body).not.toBe(401);
    expect(bad.statusCode).toBeLessThan(500);
    const badHours = await put(`/api/ops/oncall/rotations/${saved.json().id}`, {
      ...base,
      layers: [{ ...night24, hours: { start: '25:00', end: '09:00' } }],
    });
    expect(badHours.statusCode).toBe(400);
    expect((await owner.get('/api/ops/oncall')).json().rotations[0].layers).toHaveLength(1);
    clock.set(at('2026-03-02T23:00:00'));
    expect(await onCallUser(t.s, id, saved.json().id)).toBe(night.actor.userId);
    clock.set(at('2026-03-03T09:00:00'));
    expect(await onCallUser(t.s, id, saved.json().id)).toBe(day.actor.userId);
  });
});
