/**
 * An incident whose service clock reads earlier than its declaration (a clock set back by hand, a
 * node whose clock lags the one that declared it): writes at such a time are refused with a clear
 * 409, nothing is written, and the incident still renders.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';

describe.each(engines)('an incident clock before its declaration on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('refuses the write with a 409 and still renders the incident', async () => {
    const clock = manualClock('2026-03-02T02:00:00Z');
    t = await testApp(engine, { clock });
    const { id: wsId } = await t.workspace('shop');
    const ops = await t.user(wsId, 'ops');
    const res = await ops.post('/api/ops/incidents', { title: '工单流转卡住', severity: 'P2' });
    expect(res.statusCode).toBe(201);
    const inc = res.json();

    clock.set('2026-03-02T01:00:00Z');
    const ack = await ops.post(`/api/ops/incidents/${inc.id}/transitions`, { to: 'acknowledged' });
    expect(ack.statusCode, ack.body).toBe(409);
    expect(ack.json().error).toMatchObject({ code: 'clock_before_declaration' });
    expect(ack.json().error.message).toMatch(/before the incident was declared/);
    const note = await ops.post(`/api/ops/incidents/${inc.id}/notes`, { body: 'looking' });
    expect(note.statusCode).toBe(409);
    const edit = await ops.request({
      method: 'PATCH',
      url: `/api/ops/incidents/${inc.id}`,
      payload: { version: inc.version, severity: 'P1' },
    });
    expect(edit.statusCode).toBe(409);

    const got = await ops.get(`/api/ops/incidents/${inc.id}`);
    expect(got.statusCode, got.body).toBe(200);
    expect(got.json()).toMatchObject({
      state: 'triggered',
      severity: 'P2',
      acknowledgedAt: null,
      version: inc.version,
    });
    // Nothing was written: the timeline holds the declaration only.
    expect(got.json().timeline.map((e: { type: string }) => e.type)).toEqual(['declared']);

    clock.set('2026-03-02T02:10:00Z');
    const later = await ops.post(`/api/ops/incidents/${inc.id}/transitions`, { to: 'acknowledged' });
    expect(later.statusCode).toBe(200);
    expect((await ops.get(`/api/ops/incidents/${inc.id}`)).statusCode).toBe(200);
  });
});
