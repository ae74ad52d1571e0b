/**
 * The weekly inspection's log analysis and bottlenecks from the installation's own records, on
 * both engines: errors written through the real logger (createServices' pino logger) are grouped
 * by signature with counts and first/last seen; statements timed by the query layer and rules
 * timed by the real rule evaluator are the slowest-first tables; HTML, XLSX and PDF carry them.
 * Without a log store the section says there is no source.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { closeServices, createServices, prepare, type AppServices } from '../../services.ts';
import { allTables, engines, testEnv, testPassword, type TestEnv } from '../../testing/harness.ts';
import { applyOpsConfig, evaluateRulesOnce, parseOpsDocument } from '../monitoring/index.ts';
import { createWorkspaceWithOwner } from '../users/index.ts';
import type { ReportDocument, Section } from './document.ts';
import { periodContaining } from './periods.ts';
import { toHtml, toPdf, toXlsx } from './render.ts';
import { computeReport } from './service.ts';

const zone = 'Asia/Shanghai';
const noAudit = async () => ({ ok: false as const, reason: 'not run in this test' });
/** These tables' cells are all language-neutral (strings). */
const rowsOf = (s: Section, title: RegExp) =>
  s.blocks.flatMap((b) => (b.kind === 'table' && title.test(b.title?.en ?? '') ? [b.rows as string[][]] : []))[0];

describe.each(engines)('weekly inspection from the ops records on %s', (engine) => {
  let env: TestEnv;
  let s: AppServices;
  let ws: string;
  let doc: ReportDocument;
  // The week being logged now, reported on a week later.
  const week = periodContaining('week', zone, Date.now());
  const clock = manualClock(new Date(week.end + 86_400_000).toISOString());

  beforeAll(async () => {
    env = await testEnv(engine, { logLevel: 'warn' }, { migrated: true });
    s = createServices(env.config, { clock, pgSchema: env.pgSchema, logDestination: { write: () => undefined } });
    await prepare(s);
    ws = (
      await createWorkspaceWithOwner(s, {
        name: 'Ops records',
        slug: `ops-${engine}`,
        timezone: zone,
        defaultLanguage: 'zh-CN',
        admin: { email: `ops-${engine}@example.com`, name: 'Owner', password: testPassword, role: 'owner' },
      })
    ).workspace.id;
    // One fault three times (other ids, other quoted values), another twice, a warning, an info line.
    for (const id of [newId('cnv'), newId('cnv'), newId('cnv')])
      s.log.error({ err: new TypeError(`conversation ${id} has no inbox "${id.slice(-5)}"`) }, 'assigning failed');
    for (const ms of [812, 1290]) s.log.warn(`slow chat flush took ${ms} ms`);
    s.log.error({ err: new RangeError('limit 500 exceeded') }, 'export failed');
    s.log.error({ err: new RangeError('limit 900 exceeded') }, 'export failed');
    s.log.info('not an error: never stored');
    // The real rule evaluator (each evaluation timed) over a group of two rules.
    const rule = (alert: string, expr: string) => ({ alert, expr, for: '1m', labels: { severity: 'P3' } });
    const ops = parseOpsDocument(
      JSON.stringify({
        groups: [
          {
            name: 'weekly-test',
            interval: '15s',
            rules: [rule('ProbeDown', 'probe_success == 0'), rule('Busy', 'sum(kefu_realtime_connections) > 1000')],
          },
        ],
      }),
    );
    expect(ops.problems).toEqual([]);
    await applyOpsConfig(s, ops.config!);
    expect(await evaluateRulesOnce(s, Date.now())).toBe(2);
    await s.opsRecorder!.flush();
    doc = await computeReport(s, ws, 'weekly', week.key, { audit: noAudit });
  }, 120_000);
  afterAll(async () => {
    if (s) await closeServices(s);
    await env?.cleanup();
  });

  it('keeps only warnings and errors, as signatures without their data', async () => {
    const stored = await allTables(s).selectFrom('log_records').selectAll().execute();
    // The seven written here (a loaded machine may add a warning of its own, e.g. a slow request).
    const mine = stored.filter((r) => /assigning failed|export failed|slow chat flush/.test(r.message));
    expect(mine).toHaveLength(7);
    expect(mine.map((r) => r.message).join('\n')).not.toMatch(/cnv_|\d{3}/);
    expect(stored.map((r) => r.message)).not.toContain('not an error: never stored');
  });

  it('groups the week’s errors by signature with counts and first/last seen', () => {
    const logs = doc.sections.find((x) => x.id === 'logs')!;
    expect(logs.noSource).toBeNull();
    const all = rowsOf(logs, /Grouped by signature/)!;
    // Most frequent first.
    expect(all.map((r) => Number(r[3]))).toEqual(all.map((r) => Number(r[3])).sort((a, b) => b - a));
    const rows = [
      'TypeError: assigning failed: conversation <id> has no inbox <str>',
      'RangeError: export failed: limit <n> exceeded',
      'slow chat flush took <n> ms',
    ].map((sig) => all.find((r) => r[1] === sig)!);
    expect(rows.map((r) => [r[0], r[1], r[3]])).toEqual([
      ['error', 'TypeError: assigning failed: conversation <id> has no inbox <str>', '3'],
      ['error', 'RangeError: export failed: limit <n> exceeded', '2'],
      ['warn', 'slow chat flush took <n> ms', '2'],
    ]);
    // The top frame is this test file, without line or column.
    expect(rows[0]![2]).toMatch(/^.*\(src\/server\/modules\/reports\/weekly-ops\.test\.ts\)/);
    const local = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(rows[0]![4]!.slice(0, 10)).toBe(local(Date.now()));
    expect(rows[0]![4]! <= rows[0]![5]!).toBe(true);
    const figures = logs.blocks.find((b) => b.kind === 'figures');
    expect(Number(figures?.kind === 'figures' && figures.items[0]!.value)).toBeGreaterThanOrEqual(7);
  });

  it('lists the slowest statements by shape and the slowest rule evaluations', () => {
    const b = doc.sections.find((x) => x.id === 'bottlenecks')!;
    const statements = rowsOf(b, /Slowest database statements/)!;
    expect(statements.length).toBeGreaterThan(3);
    // Shapes carry no values; counts are positive; slowest (by p95 bound) first.
    for (const r of statements) {
      expect(r[0]).not.toMatch(/'[^']*'|\$\d/);
      expect(Number(r[1])).toBeGreaterThan(0);
    }
    const bound = (x: string) => (x.startsWith('>') ? Infinity : Number(/\d+/.exec(x)![0]));
    const bounds = statements.map((r) => bound(r[3]!));
    expect([...bounds].sort((x, y) => y - x)).toEqual(bounds);
    const rules = rowsOf(b, /Slowest alert-rule evaluations/)!;
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.map((r) => r[0]).sort()).toEqual(['weekly-test/Busy', 'weekly-test/ProbeDown']);
  });

  it('renders both sections in HTML, XLSX and PDF', async () => {
    const html = toHtml(doc);
    expect(html).toContain('conversation &lt;id&gt; has no inbox &lt;str&gt;');
    expect(html).toContain('最慢的数据库语句');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await toXlsx(doc)) as unknown as ArrayBuffer);
    const cells = book.worksheets.flatMap((w) =>
      w.getSheetValues().flatMap((r) => (Array.isArray(r) ? r.map((c) => String(c ?? '')) : [])),
    );
    expect(cells.some((c) => c.includes('limit <n> exceeded'))).toBe(true);
    expect(cells.some((c) => c.includes('Slowest alert-rule evaluations') || c.includes('最慢的告警规则评估'))).toBe(
      true,
    );
    const dir = mkdtempSync(join(tmpdir(), 'kefu-weekly-'));
    const file = join(dir, 'weekly.pdf');
    writeFileSync(file, await toPdf(doc));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain('日志分析');
    // Table cells wrap in the PDF: their first words.
    expect(text).toContain('RangeError:');
    expect(text).toContain('<id> has no inbox');
    expect(text).toContain('最慢的告警规则评估');
    // The log analysis page as an image (look at it): into docs/screenshots with KEFU_WRITE_SCREENSHOTS=1.
    if (engine === 'sqlite') {
      const page = text.split('\f').findIndex((p) => p.includes('按签名归并')) + 1;
      const png = process.env.KEFU_WRITE_SCREENSHOTS
        ? fileURLToPath(new URL('../../../../docs/screenshots/reports-weekly-pdf-logs', import.meta.url))
        : join(dir, 'reports-weekly-pdf-logs');
      execFileSync('pdftoppm', ['-png', '-r', '70', '-f', String(page), '-l', String(page), '-singlefile', file, png]);
    }
  });

  it('says there is no log source for a week the log store did not run', async () => {
    const before = await computeReport(
      s,
      ws,
      'weekly',
      periodContaining('week', zone, week.start - 8 * 86_400_000).key,
      {
        audit: noAudit,
      },
    );
    const logs = before.sections.find((x) => x.id === 'logs')!;
    expect(logs.noSource?.en).toMatch(/No log source for this period/);
    const b = before.sections.find((x) => x.id === 'bottlenecks')!;
    expect(
      b.blocks.some((x) => x.kind === 'note' && /Slowest database statements \(by shape\): no samples/.test(x.text.en)),
    ).toBe(true);
  });
});
