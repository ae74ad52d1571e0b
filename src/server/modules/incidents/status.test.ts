/**
 * The public status page's incidents over HTTP on both engines: a workspace's page (no sign-in)
 * shows its open incidents and those of the last 90 days with their public updates only; internal
 * notes and descriptions, other workspaces' incidents, drills, cancelled incidents and incidents
 * older than 90 days never appear. An installation-wide incident shows on the page of each
 * workspace it affects and no other.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';

const at = (local: string) => new Date(`${local}+08:00`);

describe.each(engines)('the status page shows incidents on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('lists current and past incidents with public updates, nothing internal, nothing of others', async () => {
    const clock = manualClock(at('2026-01-10T09:00:00'));
    t = await testApp(engine, { clock });
    const home = await t.workspace('vendor', { installationOwner: true });
    const shop = await t.workspace('shop');
    const other = await t.workspace('other');
    // Sessions expire across the months the test jumps: sign in again after each jump.
    const refresh = async () => {
      for (const w of [home, shop, other]) w.owner = await t.signIn(w.owner.actor.email);
    };

    const declare = async (c: Client, body: Record<string, unknown>) => {
      const res = await c.post('/api/ops/incidents', { severity: 'P2', ...body });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; number: number };
    };
    const note = async (c: Client, id: string, body: string, isPublic: boolean) =>
      expect((await c.post(`/api/ops/incidents/${id}/notes`, { body, public: isPublic })).statusCode).toBe(200);
    const move = async (c: Client, id: string, to: string) => {
      const res = await c.post(`/api/ops/incidents/${id}/transitions`, { to });
      expect(res.statusCode, res.body).toBe(200);
    };

    // Long ago (more than 90 days before the page is read): resolved, public note — not shown.
    const ancient = await declare(shop.owner, { title: 'ANCIENT-OUTAGE' });
    await note(shop.owner, ancient.id, 'ANCIENT-UPDATE', true);
    clock.advance(3600_000);
    await move(shop.owner, ancient.id, 'resolved');

    // Four months later.
    clock.set(at('2026-05-01T10:00:00'));
    await refresh();
    const past = await declare(shop.owner, {
      title: '工单流转卡住',
      description: 'INTERNAL-DESCRIPTION queue consumer blocked',
      severity: 'P2',
    });
    clock.advance(5 * 60_000);
    await note(shop.owner, past.id, '我们已发现工单流转异常，正在处理。', true);
    await note(shop.owner, past.id, 'INTERNAL-NOTE the db pool is exhausted', false);
    clock.advance(40 * 60_000);
    await note(shop.owner, past.id, '已修复，工单恢复流转。', true);
    await move(shop.owner, past.id, 'resolved');

    const drill = await declare(shop.owner, { title: 'DRILL-INCIDENT', mode: 'drill' });
    await note(shop.owner, drill.id, 'DRILL-UPDATE', true);
    const cancelled = await declare(shop.owner, { title: 'CANCELLED-FALSE-ALARM' });
    await move(shop.owner, cancelled.id, 'cancelled');
    const others = await declare(other.owner, { title: 'OTHER-SHOP-INCIDENT' });
    await note(other.owner, others.id, 'OTHER-SHOP-UPDATE', true);

    clock.set(at('2026-05-03T08:00:00'));
    await refresh();
    // The vendor declares a platform incident for the shop only (not for the other merchant).
    const platform = await declare(home.owner, {
      title: '智能客服机器人离线',
      severity: 'P1',
      workspaceIds: [shop.id],
    });
    clock.advance(9 * 60_000);
    await move(home.owner, platform.id, 'acknowledged');
    await note(home.owner, platform.id, '会话已自动转人工，我们正在恢复机器人。', true);
    await note(home.owner, platform.id, 'INTERNAL-PLATFORM-NOTE node 3 OOM', false);
    clock.advance(60_000);

    const page = async (slug: string, lang: 'zh-CN' | 'en' = 'zh-CN') => {
      const res = await t.app.inject({ method: 'GET', url: `/status/${slug}?lang=${lang}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      return res.body;
    };

    const zh = await page('shop');
    // Current: the platform incident, with its public update; the banner says something is wrong.
    const current = zh.slice(zh.indexOf('id="current-incidents"'), zh.indexOf('id="past-incidents"'));
    expect(current).toContain('智能客服机器人离线');
    expect(current).toContain('已确认，处理中');
    expect(current).toContain('会话已自动转人工，我们正在恢复机器人。');
    expect(current).toContain('2026-05-03 08:00');
    expect(zh).toContain('部分服务异常');
    // Past: the resolved one, both public updates, newest first, times in the workspace's zone.
    const pastPart = zh.slice(zh.indexOf('id="past-incidents"'));
    expect(pastPart).toContain('工单流转卡住');
    expect(pastPart).toContain('已解决');
    expect(pastPart).toContain('恢复于 2026-05-01 10:45');
    expect(pastPart.indexOf('已修复，工单恢复流转。')).toBeLessThan(pastPart.indexOf('我们已发现工单流转异常'));
    expect(zh).toContain('UTC+8');
    // Never: internal notes, descriptions, drills, cancelled, other merchants', older than 90 days.
    for (const hidden of [
      'INTERNAL-NOTE',
      'INTERNAL-DESCRIPTION',
      'INTERNAL-PLATFORM-NOTE',
      'DRILL-INCIDENT',
      'DRILL-UPDATE',
      'CANCELLED-FALSE-ALARM',
      'OTHER-SHOP',
      'ANCIENT-',
    ])
      expect(zh, hidden).not.toContain(hidden);

    const en = await page('shop', 'en');
    expect(en).toContain('Current incidents');
    expect(en).toContain('Identified, being fixed');
    expect(en).toContain('Incidents in the last 90 days');
    expect(en).toContain('Resolved');

    // The other merchant sees its own incident and not the shop's nor the platform one.
    const theirs = await page('other');
    expect(theirs).toContain('OTHER-SHOP-INCIDENT');
    expect(theirs).toContain('OTHER-SHOP-UPDATE');
    for (const hidden of ['智能客服机器人离线', '工单流转卡住', '会话已自动转人工'])
      expect(theirs).not.toContain(hidden);

    // The vendor's own page: the platform incident has no clock for the vendor's workspace.
    const vendor = await page('vendor');
    expect(vendor).not.toContain('智能客服机器人离线');
    expect(vendor).toContain('过去 90 天没有事件。');
    expect(vendor).toContain('所有服务运行正常');

    // Once resolved, the platform incident moves to the past list.
    await move(home.owner, platform.id, 'resolved');
    const later = await page('shop');
    expect(later).not.toContain('id="current-incidents"');
    expect(later.slice(later.indexOf('id="past-incidents"'))).toContain('智能客服机器人离线');

    expect((await t.app.inject({ method: 'GET', url: '/status/no-such-shop' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/status/shop?lang=fr' })).statusCode).toBe(400);
  });
});
