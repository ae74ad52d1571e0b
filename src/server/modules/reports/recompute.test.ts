/**
 * Recomputing stored reports from their input snapshot, on both engines (docs/REPORTS.md
 * "Recomputing a stored report"): October 2026 of conversations (seedMonth), a knowledge entry,
 * a group, inbox hours and an incident, each edited after the period (through the API but for the inbox's stored hours), a probe
 * added and the workspace's time zone changed — every edit changes what the report computes from
 * the data as it is now, and `recomputed` stays true for each type (the weekly one too); a message of
 * the period deleted turns it false. A report stored without a snapshot (before migration 0281) is
 * recomputed from the inputs as they are now, as before; one whose conversation → group mapping is
 * stored plain (before it was packed) is still read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { ProbeInput } from '../../../shared/ops-api.ts';
import { saveProbe } from '../monitoring/index.ts';
import type { ReportType } from './periods.ts';
import { computeReport, produceReport, sha256Of, verifyReport, type StoredReport } from './service.ts';
import { seedMonth } from './testing.ts';
import { packGroups, unpackGroups } from './inputs-snapshot.ts';

const at = (local: string) => new Date(`${local}+08:00`);
const audit = async () => ({
  ok: true as const,
  counts: { high: 1 },
  advisories: [{ name: 'left-pad', severity: 'high', title: 'Prototype pollution' }],
});
const office = [['09:00', '18:00']];

describe.each(engines)('recomputing stored reports from their input snapshot on %s', (engine) => {
  let t: TestApp;
  let ws: string;
  let owner: Client;
  let ownerEmail: string;
  const opsEmail = `ops-rec-${engine}@example.com`;
  const clock = manualClock(at('2026-10-15T10:00:00'));
  const reports = new Map<ReportType, StoredReport>();
  let entry: string;
  let group: string;
  let incident: { id: string; version: number };
  const live = (type: ReportType, key: string) =>
    computeReport(t.s, ws, type, key, type === 'weekly' ? { audit } : {}).then((d) => sha256Of(JSON.stringify(d)));
  const keys: Record<ReportType, string> = {
    'monthly-cs': '2026-10',
    'monthly-ops': '2026-10',
    daily: '2026-10-15',
    weekly: '2026-W42',
  };
  /** Every stored report verifies; the listed ones would differ if computed from the data as it is now. */
  const stillExact = async (changed: ReportType[]) => {
    for (const [type, r] of reports) {
      expect(await verifyReport(t.s, ws, r.id), type).toEqual({ stored: true, recomputed: true, inputs: 'snapshot' });
      if (changed.includes(type)) expect(await live(type, keys[type]), `${type} now`).not.toBe(r.sha256);
    }
  };

  const hoursOfInbox = (businessHours: object | null) =>
    allTables(t.s)
      .updateTable('inboxes')
      .set({ settings: JSON.stringify({ businessHours }) })
      .where('id', '=', 'inb_r1')
      .execute();

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    const w = await t.workspace(`rec-${engine}`);
    [ws, owner] = [w.id, w.owner];
    ownerEmail = owner.actor.email;
    await seedMonth(t.s, ws, owner.actor.userId);
    await t.user(ws, 'ops', opsEmail);
    const ops = await t.signIn(opsEmail);
    // An incident of October 15 (the daily, the weekly's week, both monthly reports), resolved the same day.
    const declared = await ops.post('/api/ops/incidents', { title: '客服台无法登录', severity: 'P2' });
    expect(declared.statusCode, declared.body).toBe(201);
    const id = declared.json().id as string;
    clock.set(at('2026-10-15T11:00:00'));
    const resolved = await ops.post(`/api/ops/incidents/${id}/transitions`, { to: 'resolved' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    incident = { id, version: resolved.json().version as number };
    clock.set(at('2026-11-02T10:00:00'));
    owner = await t.signIn(ownerEmail);
    const kb = await owner.post('/api/knowledge/entries', {
      question: '退货地址在哪里',
      similar: ['退货地址是什么'],
      answer: '请寄到上海市。',
    });
    expect(kb.statusCode, kb.body).toBe(200);
    entry = kb.json().id as string;
    const g = await owner.post('/api/groups', { name: '售后组' });
    expect(g.statusCode, g.body).toBe(200);
    group = g.json().id as string;
    // Routing's record of where cnv_a went (the routing tests cover how it gets there).
    await allTables(t.s)
      .insertInto('routing_items')
      .values({
        id: 'cnv_a',
        workspace_id: ws,
        kind: 'chat',
        inbox_id: 'inb_r1',
        group_id: group,
        customer_id: 'cus_r1',
        state: 'done',
        priority: 0,
        skills: '[]',
        arrived_at: at('2026-10-08T10:00:00').toISOString(),
        agent_id: null,
        assigned_at: null,
        first_assigned_at: null,
        done_at: null,
        wait_reason: null,
        version: 1,
      })
      .execute();
    const hours = { mon: office, tue: office, wed: office, thu: office, fri: office };
    // seedMonth's inbox is a bare row (no sealed identity secret for the inboxes API): its stored settings.
    await hoursOfInbox({ timezone: 'Asia/Shanghai', hours });
    for (const type of Object.keys(keys) as ReportType[])
      reports.set(type, await produceReport(t.s, ws, type, keys[type], 'manual', type === 'weekly' ? { audit } : {}));
  }, 180_000);
  afterAll(() => t?.close());

  it('stores each report with the snapshot of its inputs that are not records of the period', async () => {
    const rows = await allTables(t.s)
      .selectFrom('reports')
      .select(['type', 'inputs', 'inputs_sha256'])
      .where('workspace_id', '=', ws)
      .execute();
    const snap = Object.fromEntries(rows.map((r) => [r.type, JSON.parse(r.inputs!)]));
    for (const r of rows) expect(r.inputs_sha256).toBe(sha256Of(r.inputs!));
    expect(snap['monthly-cs']).toMatchObject({
      zone: 'Asia/Shanghai',
      knowledge: [{ id: entry, question: '退货地址在哪里', similar: ['退货地址是什么'] }],
      calendars: { inb_r1: { timezone: 'Asia/Shanghai' } },
      incidents: { [incident.id]: { title: '客服台无法登录', severity: 'P2', state: 'resolved' } },
    });
    // The conversation → group mapping is packed (gzip + base64 of its JSON).
    expect(snap['monthly-cs'].groups).toBeUndefined();
    expect(unpackGroups(snap['monthly-cs'].groupsGz)).toEqual({ 售后组: ['cnv_a'] });
    expect(snap.weekly.audit).toEqual(await audit());
    expect(snap['monthly-ops'].contract).toMatchObject({ configured: false });
    expect(snap.daily.probes).toEqual([]);
  });

  it('stays exact when a knowledge entry, a group, an inbox’s hours and an incident are edited', async () => {
    const kb = await owner.request({
      method: 'PUT',
      url: `/api/knowledge/entries/${entry}`,
      payload: { question: '寄回地址', similar: ['怎么寄回'], answer: '请寄到北京市。' },
    });
    expect(kb.statusCode, kb.body).toBe(200);
    const g = await owner.request({ method: 'PUT', url: `/api/groups/${group}`, payload: { name: '售后二组' } });
    expect(g.statusCode, g.body).toBe(200);
    await hoursOfInbox(null);
    const ops = await t.signIn(opsEmail);
    const edited = await ops.patch(`/api/ops/incidents/${incident.id}`, {
      version: incident.version,
      title: '登录服务故障',
      severity: 'P1',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    // (The daily and weekly reports name only incidents open at the end: this one was resolved.)
    await stillExact(['monthly-cs', 'monthly-ops']);
  }, 180_000);

  it('stays exact when a probe is added after the period (it was not listed then)', async () => {
    await saveProbe(
      t.s.db,
      ProbeInput.parse({ name: 'added-later', type: 'http', url: 'http://127.0.0.1:9/' }),
      clock.now(),
    );
    await stillExact(['daily', 'weekly', 'monthly-ops']);
  }, 180_000);

  it('stays exact when the workspace’s time zone changes', async () => {
    const r = await owner.patch('/api/workspace', { timezone: 'America/New_York' });
    expect(r.statusCode, r.body).toBe(200);
    await stillExact(['monthly-cs', 'daily']);
  }, 180_000);

  it('recomputes a report stored without a snapshot from the inputs as they are now (a weekly one not at all)', async () => {
    const db = allTables(t.s);
    const legacy = async (type: ReportType) => {
      await db
        .updateTable('reports')
        .set({ inputs: null, inputs_sha256: null })
        .where('id', '=', reports.get(type)!.id)
        .execute();
      return verifyReport(t.s, ws, reports.get(type)!.id);
    };
    try {
      expect(await legacy('monthly-cs')).toEqual({ stored: true, recomputed: false, inputs: 'current' });
      expect(await legacy('weekly')).toEqual({ stored: true, recomputed: null, inputs: 'current' });
    } finally {
      for (const type of ['monthly-cs', 'weekly'] as const) {
        const r = reports.get(type)!;
        await db
          .updateTable('reports')
          .set({ inputs: r.inputs, inputs_sha256: r.inputs_sha256 })
          .where('id', '=', r.id)
          .execute();
      }
    }
    // A snapshot stored before the mapping was packed (plain `groups`) is still read: the group
    // renamed since then is kept as it was (售后组), so the report stays exact.
    const cs = reports.get('monthly-cs')!;
    const { groupsGz, ...rest } = JSON.parse(cs.inputs!) as { groupsGz: string };
    expect(packGroups(unpackGroups(groupsGz))).toBe(groupsGz);
    const older = JSON.stringify({ ...rest, groups: unpackGroups(groupsGz) });
    await db
      .updateTable('reports')
      .set({ inputs: older, inputs_sha256: sha256Of(older) })
      .where('id', '=', cs.id)
      .execute();
    try {
      expect(await verifyReport(t.s, ws, cs.id)).toEqual({ stored: true, recomputed: true, inputs: 'snapshot' });
    } finally {
      await db
        .updateTable('reports')
        .set({ inputs: cs.inputs, inputs_sha256: cs.inputs_sha256 })
        .where('id', '=', cs.id)
        .execute();
    }
    // An edited snapshot is caught like an edited document.
    const r = reports.get('daily')!;
    await db
      .updateTable('reports')
      .set({ inputs: r.inputs!.replace('"probes":[]', '"probes":[{"id":"x","name":"x","component":null}]') })
      .where('id', '=', r.id)
      .execute();
    try {
      expect((await verifyReport(t.s, ws, r.id)).stored).toBe(false);
    } finally {
      await db.updateTable('reports').set({ inputs: r.inputs }).where('id', '=', r.id).execute();
    }
  }, 180_000);

  it('says recomputed: false once a record of the period is removed (a message deleted)', async () => {
    const r = reports.get('monthly-cs')!;
    await allTables(t.s).deleteFrom('messages').where('conversation_id', '=', 'cnv_b').where('seq', '=', 2).execute();
    expect(await verifyReport(t.s, ws, r.id)).toEqual({ stored: true, recomputed: false, inputs: 'snapshot' });
  }, 180_000);
});
