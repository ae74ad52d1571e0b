/**
 * Reports from stored data, on both engines: a seeded month gives the hand-computed CS figures,
 * a day of monitoring samples gives its peaks and an anomaly, every report renders in every
 * format, the stored SHA-256 checks out and recomputing gives the same bytes, also once a probe is
 * added after the period (the probe list is in the report's input snapshot).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { formats, render } from './render.ts';
import { produceReport, verifyReport } from './service.ts';
import { seedMonth } from './testing.ts';
import { ProbeInput } from '../../../shared/ops-api.ts';
import { saveProbe } from '../monitoring/index.ts';

const at = (local: string) => new Date(`${local}+08:00`).toISOString();

describe.each(engines)('reports on %s', (engine) => {
  let t: TestApp;
  let ws: string;
  const clock = manualClock('2026-11-02T03:00:00Z');
  beforeAll(async () => {
    t = await testApp(engine, { clock });
    const w = await t.workspace(`rep-${engine}`);
    ws = w.id;
    await seedMonth(t.s, ws, w.owner.actor.userId);
  }, 60_000);
  afterAll(() => t?.close());

  it('produces the monthly CS report with the hand-computed figures, stored with its SHA-256', async () => {
    const r = await produceReport(t.s, ws, 'monthly-cs', '2026-10', 'manual');
    // created a, b, c; FRT [60, 240, 7200]; resolution a 1800, b 3600; resolved at the end a, b → 2/3.
    expect(r.document.summary).toMatchObject({
      created: 3,
      frtP50: 240,
      frtP90: 7200,
      resolutionP50: 1800,
      resolutionP90: 3600,
      resolutionRate: 66.67,
      fcr: 50,
      csatPercent: null, // the CSAT module is there, but nobody rated in October
      csatCount: 0,
    });
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    const csat = r.document.sections.find((s) => s.id === 'csat')!;
    expect(csat.noSource).toBeNull();
    const hot = r.document.sections.find((s) => s.id === 'hot-questions')!;
    const rows = hot.blocks[0]!.kind === 'table' ? hot.blocks[0]!.rows : [];
    expect(rows[0]![1]).toBe('2'); // the two return-address questions cluster together
    expect(rows.flat().join(' ')).toContain('138****5678'); // the phone number is masked
    expect(rows.flat().join(' ')).not.toContain('13812345678');
    expect(await verifyReport(t.s, ws, r.id)).toEqual({ stored: true, recomputed: true, inputs: 'snapshot' });
  }, 120_000); // the first report starts the process's report worker (its imports: seconds on a loaded machine)

  it('renders the daily health report from monitoring rollups, with an anomaly against the previous week', async () => {
    const db = allTables(t.s);
    const series = await db
      .insertInto('monitoring_series')
      .values({
        name: 'kefu_host_cpu_usage_ratio',
        labels: '{"node":"n1"}',
        kind: 'gauge',
        created_at: at('2026-10-01T00:00:00'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const hour = 3600_000;
    const dayStart = Date.parse(at('2026-11-01T00:00:00'));
    const rows = [];
    // Seven previous days at 10–12 % every hour, then the report's day: 95 % at 14:00.
    for (let h = -7 * 24; h < 24; h++) {
      const v = h === 14 ? 0.95 : 0.1 + ((h + 200) % 7) * 0.01;
      rows.push({
        series_id: Number(series.id),
        res: 3600,
        t: dayStart + h * hour,
        n: 60,
        sum: v * 60,
        min: v,
        max: v,
        last: v,
      });
      if (h >= 0)
        rows.push({
          series_id: Number(series.id),
          res: 60,
          t: dayStart + h * hour,
          n: 1,
          sum: v,
          min: v,
          max: v,
          last: v,
        });
    }
    await db.insertInto('monitoring_rollups').values(rows).execute();
    const r = await produceReport(t.s, ws, 'daily', '2026-11-01', 'manual');
    expect(r.document.summary.cpuPeak).toBe(0.95);
    expect(r.document.summary.anomalies).toBe(1);
    const an = r.document.sections.find((s) => s.id === 'anomalies')!;
    const table = an.blocks.find((b) => b.kind === 'table');
    expect(table && table.kind === 'table' ? table.rows[0]![0] : '').toBe('2026-11-01T14:00');
    expect(r.document.sections.find((s) => s.id === 'availability')!.noSource?.en).toBe('No probe is configured.');
  });

  it('reads the groups routing placed conversations in and the inbox’s hours (business-hours variants)', async () => {
    const db = allTables(t.s);
    const now = at('2026-09-01T00:00:00');
    await db
      .insertInto('groups')
      .values({ id: 'grp_r1', workspace_id: ws, name: '售后组', supervisor_id: null, created_at: now, updated_at: now })
      .execute();
    await db
      .insertInto('routing_items')
      .values({
        id: 'cnv_a',
        workspace_id: ws,
        kind: 'chat',
        inbox_id: 'inb_r1',
        group_id: 'grp_r1',
        customer_id: 'cus_r1',
        state: 'done',
        priority: 0,
        skills: '[]',
        arrived_at: at('2026-10-08T10:00:00'),
        agent_id: null,
        assigned_at: null,
        first_assigned_at: null,
        done_at: null,
        wait_reason: null,
        version: 1,
      })
      .execute();
    const office = [['09:00', '18:00']];
    const hours = { mon: office, tue: office, wed: office, thu: office, fri: office };
    await db
      .updateTable('inboxes')
      .set({ settings: JSON.stringify({ businessHours: { timezone: 'Asia/Shanghai', hours } }) })
      .where('id', '=', 'inb_r1')
      .execute();
    const r = await produceReport(t.s, ws, 'monthly-cs', '2026-10', 'manual');
    const blocks = r.document.sections.flatMap((x) => x.blocks);
    const fig = blocks
      .flatMap((b) => (b.kind === 'figures' ? b.items : []))
      .find((x) => x.label.en === 'First response in business hours p50 / p90');
    // d's reply (Thu 01:00, before hours) took no working time: [0, 60, 240] against the wall's [60, 240, 7200].
    expect(fig?.value).toBe('1 min / 4 min（n=3）');
    const byGroup = blocks.find((b) => b.kind === 'table' && b.title?.en === 'By group');
    expect(byGroup?.kind === 'table' && byGroup.rows.map((row) => row.slice(0, 3))).toEqual([['售后组', '1', '1 min']]);
    await db.updateTable('inboxes').set({ settings: '{}' }).where('id', '=', 'inb_r1').execute();
  }, 120_000);

  it('refuses a period that has not ended and a malformed one', async () => {
    await expect(produceReport(t.s, ws, 'daily', '2026-11-02', 'manual')).rejects.toThrow(/not ended/);
    await expect(produceReport(t.s, ws, 'monthly-cs', '2026-13', 'manual')).rejects.toThrow(/not a month/);
  });

  it('renders every report in every format; the PDF page shows ink', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-rep-'));
    const weekly = await produceReport(t.s, ws, 'weekly', '2026-W44', 'manual', {
      audit: async () => ({ ok: false, reason: 'the registry did not answer' }),
    });
    expect(weekly.document.sections.find((s) => s.id === 'vulnerabilities')!.noSource?.en).toMatch(
      /could not run: the registry did not answer/,
    );
    const reports = [
      await produceReport(t.s, ws, 'monthly-cs', '2026-10', 'manual'),
      await produceReport(t.s, ws, 'daily', '2026-11-01', 'manual'),
      weekly,
      await produceReport(t.s, ws, 'monthly-ops', '2026-10', 'manual'),
    ];
    for (const r of reports)
      for (const f of formats) {
        const bytes = await render(r.document, f, r.sha256);
        expect(bytes.length, `${r.type} ${f}`).toBeGreaterThan(200);
        if (f === 'html') expect(bytes.toString()).toContain(r.document.title.zh);
        if (f === 'csv') expect(bytes.toString()).toContain('##');
        if (f === 'xlsx') expect(bytes.subarray(0, 2).toString()).toBe('PK');
        if (f === 'pdf') {
          const file = join(dir, `${r.type}.pdf`);
          writeFileSync(file, bytes);
          expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain(
            r.document.title.zh.split(' · ')[0]!,
          );
          execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, join(dir, r.type)]);
          expect(readFileSync(join(dir, `${r.type}.png`)).length).toBeGreaterThan(5000);
          if (process.env.KEFU_WRITE_SCREENSHOTS)
            writeFileSync(`docs/screenshots/report-${r.type}-pdf.png`, readFileSync(join(dir, `${r.type}.png`)));
        }
      }
  }, 120_000);

  it('recomputes the day exactly after a probe is added: the probe list is kept with the report', async () => {
    const r = await produceReport(t.s, ws, 'daily', '2026-11-01', 'manual');
    const exact = { stored: true, recomputed: true, inputs: 'snapshot' };
    expect(await verifyReport(t.s, ws, r.id)).toEqual(exact);
    // Before input snapshots (migration 0281) this turned recomputed false; the snapshot keeps the
    // probes listed on Nov 1 (docs/REPORTS.md "Recomputing"; recompute.test.ts for the other inputs).
    await saveProbe(
      t.s.db,
      ProbeInput.parse({ name: 'added-later', type: 'http', url: 'http://127.0.0.1:9/' }),
      clock.now(),
    );
    try {
      expect(await verifyReport(t.s, ws, r.id)).toEqual(exact);
    } finally {
      await allTables(t.s).deleteFrom('monitoring_probes').where('name', '=', 'added-later').execute();
    }
  });
});
