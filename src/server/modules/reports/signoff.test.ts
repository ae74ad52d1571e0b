/**
 * Sign-off on both engines through the API: the merchant (its own owner or admin) and the vendor
 * (the installation's ops: the home workspace's owner, admins and ops engineers) each sign once,
 * recorded with who, when and the SHA-256 signed, in the merchant workspace's audit log, and shown
 * in the rendered report. The vendor reaches a merchant's report by naming the workspace
 * (`?workspace=`); a merchant's own ops engineer is not the vendor; other roles, other merchants
 * and a second signature of a party are refused with a reason, also when two arrive at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { produceReport } from './service.ts';
import { seedMonth } from './testing.ts';

describe.each(engines)('report sign-off on %s', (engine) => {
  let t: TestApp;
  let shop: string;
  let owner: Client;
  let shopOps: Client;
  let agent: Client;
  let vendorOps: Client;
  let vendorAgent: Client;
  let otherOwner: Client;
  let report: { id: string; sha256: string };
  const clock = manualClock('2026-11-02T03:00:00Z');

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    const home = await t.workspace(`vendor-${engine}`, { installationOwner: true });
    vendorOps = await t.user(home.id, 'ops');
    vendorAgent = await t.user(home.id, 'agent');
    const w = await t.workspace(`sign-${engine}`);
    shop = w.id;
    owner = w.owner;
    shopOps = await t.user(w.id, 'ops');
    agent = await t.user(w.id, 'agent');
    otherOwner = (await t.workspace(`other-${engine}`)).owner;
    await seedMonth(t.s, w.id, owner.actor.userId);
    report = await produceReport(t.s, w.id, 'monthly-cs', '2026-10', 'manual');
  }, 120_000);
  afterAll(() => t?.close());

  const sign = (c: Client, party: string, ws?: string) =>
    c.post(`/api/reports/${report.id}/sign-off${ws ? `?workspace=${ws}` : ''}`, { party });

  it("refuses roles that cannot sign for a party: a merchant's own ops engineer is not the vendor", async () => {
    expect((await sign(agent, 'merchant')).statusCode).toBe(403);
    for (const c of [owner, shopOps]) {
      const asVendor = await sign(c, 'vendor');
      expect([asVendor.statusCode, asVendor.json().error.message]).toEqual([
        403,
        'your role cannot sign off for the vendor',
      ]);
    }
    expect((await sign(shopOps, 'merchant')).statusCode).toBe(403);
    expect((await sign(vendorOps, 'merchant', shop)).statusCode).toBe(403); // the vendor never signs as the merchant
    expect((await sign(vendorAgent, 'vendor', shop)).statusCode).toBe(403); // the home agent is not installation ops
    expect((await sign(owner, 'customer')).statusCode).toBe(400);
  });

  it("lets only the vendor name a merchant's workspace; an unknown or malformed one is refused", async () => {
    for (const c of [otherOwner, shopOps]) {
      const r = await c.get(`/api/reports?workspace=${shop}`);
      if (c === shopOps)
        expect(r.statusCode).toBe(200); // its own workspace, named, is fine
      else
        expect([r.statusCode, r.json().error.message]).toEqual([
          403,
          "only the installation's ops may open another workspace's reports",
        ]);
    }
    expect((await sign(otherOwner, 'vendor', shop)).statusCode).toBe(403);
    expect((await sign(otherOwner, 'merchant', shop)).statusCode).toBe(403);
    expect((await otherOwner.get(`/api/reports/${report.id}/download?format=html&workspace=${shop}`)).statusCode).toBe(
      403,
    );
    // Without naming the workspace the vendor finds nothing of it: its own home has no such report.
    expect((await vendorOps.get(`/api/reports/${report.id}`)).statusCode).toBe(404);
    const unknown = await vendorOps.get('/api/reports?workspace=ws_doesnotexist');
    expect([unknown.statusCode, unknown.json().error.message]).toEqual([404, 'workspace not found']);
    expect((await vendorOps.get("/api/reports?workspace=a'%20or%201=1")).statusCode).toBe(400);
  });

  it('records each party once with who, when and the hash; two signatures at once give one 200 and one 409', async () => {
    clock.set('2026-11-02T03:10:00Z');
    const both = await Promise.all([sign(owner, 'merchant'), sign(owner, 'merchant')]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.statusCode === 409)!.json().error.message).toBe(
      'the merchant has signed this report off already',
    );
    // The vendor browses the merchant's reports from the home workspace and signs one.
    const listed = (await vendorOps.get(`/api/reports?workspace=${shop}&type=monthly-cs`)).json().items;
    expect(listed.map((x: { id: string }) => x.id)).toEqual([report.id]);
    clock.set('2026-11-02T03:20:00Z');
    const vendor = await sign(vendorOps, 'vendor', shop);
    expect(vendor.statusCode).toBe(200);
    expect(vendor.json().signoffs).toEqual([
      { party: 'merchant', userName: expect.any(String), at: '2026-11-02T03:10:00.000Z', sha256: report.sha256 },
      {
        party: 'vendor',
        userName: expect.stringMatching(/^ops /),
        at: '2026-11-02T03:20:00.000Z',
        sha256: report.sha256,
      },
    ]);
    expect((await sign(vendorOps, 'vendor', shop)).statusCode).toBe(409);
    const opened = (await owner.get(`/api/reports/${report.id}`)).json();
    expect(opened.signoffs.map((x: { party: string }) => x.party)).toEqual(['merchant', 'vendor']);

    // The merchant's audit log names who signed for each party.
    const audit = (await owner.get('/api/audit?action=report.signed')).json().items;
    expect(
      audit
        .map((e: { actorId: string; objectId: string; data: { party: string; sha256: string } }) => [
          e.actorId,
          e.objectId,
          e.data.party,
          e.data.sha256,
        ])
        .sort(),
    ).toEqual(
      [
        [owner.actor.userId, report.id, 'merchant', report.sha256],
        [vendorOps.actor.userId, report.id, 'vendor', report.sha256],
      ].sort(),
    );

    // The rendered report shows both sign-offs (in the report's zone), for the merchant and the vendor alike.
    for (const url of [
      `/api/reports/${report.id}/download?format=html`,
      `/api/reports/${report.id}/download?format=html&workspace=${shop}`,
    ]) {
      const html = (await (url.includes('workspace') ? vendorOps : owner).get(url)).body;
      expect(html).toContain('签署 / Sign-off');
      expect(html).toMatch(/商户 \/ Merchant<\/dt><dd>[^<]+ · 2026-11-02 11:10:00 \(Asia\/Shanghai\)/);
      expect(html).toMatch(/服务商 \/ Vendor<\/dt><dd>ops [^<]+ · 2026-11-02 11:20:00 \(Asia\/Shanghai\)/);
    }
    const csv = (await owner.get(`/api/reports/${report.id}/download?format=csv`)).body;
    expect(csv).toContain('服务商 / Vendor');
  });
});
