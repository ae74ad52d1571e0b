/**
 * A drill's stored report exported through the API (GET /api/backups/runs/:id/report): JSON with
 * the run around it, CSV in the reader's language (figures, then rows per table, a BOM for Excel),
 * a printable HTML page with the text escaped; each a download named after the target and the day.
 * Only a drill with a report has one; a bad format is a 400; only the installation's ops read it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { insertRun, updateRun } from './service.ts';

const report = {
  ok: false,
  backupId: 'bak_01JEXAMPLE',
  startedAt: '2026-10-01T21:30:00.000Z',
  rtoMs: 8421,
  rpoMs: 5400000,
  restoreMs: 3100,
  readyMs: 5321,
  bytes: 1048576,
  tables: [
    { name: 'workspaces', expected: 1, restored: 1 },
    { name: 'tickets', expected: 5, restored: 4 },
    // Same count, other rows: the drill's row checksum differs (ok false).
    { name: 'users', expected: 2, restored: 2, ok: false },
  ],
  problems: ['tickets: 4 rows restored, 5 backed up', 'a <script> in a message'],
};

describe('drill report export', () => {
  let t: TestApp;
  let owner: Client;
  let drillId: string;
  let backupId: string;
  const folder = mkdtempSync(join(tmpdir(), 'kefu-bk-export-'));
  beforeAll(async () => {
    t = await testApp('sqlite');
    const home = await t.workspace('vendor', { installationOwner: true });
    owner = home.owner;
    const target = (
      await owner.post('/api/backups/targets', { kind: 'local', name: 'local-nightly', settings: { path: folder } })
    ).json();
    const drill = await insertRun(t.s, target.id, 'drill', 'schedule');
    await updateRun(t.s, drill.id, {
      status: 'failed',
      progress: 100,
      started_at: '2026-10-01T21:30:00.000Z',
      finished_at: '2026-10-01T21:30:09.000Z',
      report: JSON.stringify(report),
      error: report.problems.join('; '),
    });
    drillId = drill.id;
    backupId = (await insertRun(t.s, target.id, 'backup', 'manual')).id;
  });
  afterAll(async () => {
    await t?.close();
    rmSync(folder, { recursive: true, force: true });
  });
  const get = (url: string, lang?: string) =>
    owner.request({ method: 'GET', url, headers: lang ? { 'accept-language': lang } : {} });

  it('JSON: the stored report with its run, as a download', async () => {
    const r = await get(`/api/backups/runs/${drillId}/report?format=json`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['content-disposition']).toBe('attachment; filename="kefu-drill-local-nightly-2026-10-01.json"');
    expect(r.json()).toEqual({
      runId: drillId,
      target: 'local-nightly',
      trigger: 'schedule',
      startedAt: '2026-10-01T21:30:00.000Z',
      finishedAt: '2026-10-01T21:30:09.000Z',
      status: 'failed',
      report,
    });
  });

  it('CSV in Chinese by default and in English when asked, one row per table', async () => {
    const zh = await get(`/api/backups/runs/${drillId}/report?format=csv`, 'zh-CN,zh;q=0.9');
    expect(zh.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(zh.headers['content-disposition']).toContain('kefu-drill-local-nightly-2026-10-01.csv');
    const lines = zh.body.split('\r\n');
    expect(lines[0]).toBe('\ufeff恢复演练报告');
    expect(lines).toContain('结果,未通过');
    expect(lines).toContain('RTO（恢复到可用，毫秒）,8421');
    expect(lines).toContain('问题,"tickets: 4 rows restored, 5 backed up; a <script> in a message"');
    expect(lines).toContain('表,备份行数,恢复行数,一致');
    expect(lines).toContain('workspaces,1,1,是');
    expect(lines).toContain('tickets,5,4,否');
    expect(lines).toContain('users,2,2,否');
    const en = await get(`/api/backups/runs/${drillId}/report?format=csv`, 'en-US,en;q=0.9');
    const enLines = en.body.split('\r\n');
    expect(enLines[0]).toBe('\ufeffRestore drill report');
    expect(enLines).toContain('Result,failed');
    expect(enLines).toContain('Table,Rows backed up,Rows restored,Match');
    expect(enLines).toContain('tickets,5,4,no');
    // The console's language (lang) wins over the browser's.
    const asked = await get(`/api/backups/runs/${drillId}/report?format=csv&lang=en`, 'zh-CN');
    expect(asked.body.split('\r\n')[0]).toBe('\ufeffRestore drill report');
    expect((await get(`/api/backups/runs/${drillId}/report?format=csv&lang=fr`)).statusCode).toBe(400);
  });

  it('HTML: a printable page with the figures, the tables and the text escaped', async () => {
    const r = await get(`/api/backups/runs/${drillId}/report?format=html`, 'en');
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toMatch(/^<!doctype html><html lang="en">/);
    expect(r.body).toContain('<h1>Restore drill report · local-nightly</h1>');
    expect(r.body).toContain('<tr class="bad"><td>tickets</td><td>5</td><td>4</td><td>no</td></tr>');
    expect(r.body).toContain('a &lt;script&gt; in a message');
    expect(r.body).not.toContain('<script>');
  });

  it('refuses a run without a drill report, an unknown format or run, and users without installation.ops', async () => {
    const notDrill = await get(`/api/backups/runs/${backupId}/report?format=csv`);
    expect([notDrill.statusCode, notDrill.json().error.code]).toEqual([404, 'no_drill_report']);
    const pdf = await get(`/api/backups/runs/${drillId}/report?format=pdf`);
    expect(pdf.statusCode).toBe(400);
    expect(pdf.body).toContain('format');
    expect((await get('/api/backups/runs/brn_nothing/report')).statusCode).toBe(404);
    const agent = await t.user(owner.actor.workspaceId, 'agent');
    expect((await agent.get(`/api/backups/runs/${drillId}/report`)).statusCode).toBe(403);
  });
});
