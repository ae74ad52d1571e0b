/**
 * Sign-off on both engines through the API: the merchant (owner or admin) and the vendor (ops
 * staff or the installation owner) each sign once, recorded with the SHA-256 they signed; other
 * roles and a second signature of a party are refused with a reason, also when two arrive at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { produceReport } from './service.ts';
import { seedMonth } from './testing.ts';

describe.each(engines)('report sign-off on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let ops: Client;
  let agent: Client;
  let report: { id: string; sha256: string };
  const clock = manualClock('2026-11-02T03:00:00Z');

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    const w = await t.workspace(`sign-${engine}`);
    owner = w.owner;
    ops = await t.user(w.id, 'ops');
    agent = await t.user(w.id, 'agent');
    await seedMonth(t.s, w.id, owner.actor.userId);
    report = await produceReport(t.s, w.id, 'monthly-cs', '2026-10', 'manual');
  }, 120_000);
  afterAll(() => t?.close());

  const sign = (c: Client, party: string) => c.post(`/api/reports/${report.id}/sign-off`, { party });

  it('refuses roles that cannot sign for a party, and an unknown party', async () => {
    expect((await sign(agent, 'merchant')).statusCode).toBe(403);
    const asVendor = await sign(owner, 'vendor'); // a workspace owner is not the installation's vendor
    expect([asVendor.statusCode, asVendor.json().error.message]).toEqual([
      403,
      'your role cannot sign off for the vendor',
    ]);
    expect((await sign(ops, 'merchant')).statusCode).toBe(403);
    expect((await sign(owner, 'customer')).statusCode).toBe(400);
  });

  it('records each party once with the hash signed; two signatures at once give one 200 and one 409', async () => {
    clock.set('2026-11-02T03:10:00Z');
    const both = await Promise.all([sign(owner, 'merchant'), sign(owner, 'merchant')]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.statusCode === 409)!.json().error.message).toBe(
      'the merchant has signed this report off already',
    );
    clock.set('2026-11-02T03:20:00Z');
    const vendor = await sign(ops, 'vendor');
    expect(vendor.statusCode).toBe(200);
    expect(vendor.json().signoffs).toEqual([
      { party: 'merchant', userName: expect.any(String), at: '2026-11-02T03:10:00.000Z', sha256: report.sha256 },
      { party: 'vendor', userName: expect.any(String), at: '2026-11-02T03:20:00.000Z', sha256: report.sha256 },
    ]);
    const opened = (await owner.get(`/api/reports/${report.id}`)).json();
    expect(opened.signoffs.map((x: { party: string }) => x.party)).toEqual(['merchant', 'vendor']);
  });
});
