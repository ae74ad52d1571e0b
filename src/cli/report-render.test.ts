/**
 * `kefu report render` as a real process on both engines, on a database holding a hand-built
 * October (reports/testing.ts): every type and every format is written to a file and read back —
 * the PDF starts with %PDF and pdftoppm renders its first page, the XLSX opens with exceljs and
 * holds the figures, the JSON has the hand-computed figures, CSV and HTML name them. The weekly
 * inspection's `npm audit` is pointed at a closed port: the report says it could not run. Each
 * report the process stored carries its input snapshot and recomputes exactly from it.
 *
 * What depends on the engine (the figures read from the database, the report stored with its
 * snapshot) runs on both: each of the four types is produced by a process on each engine. A format
 * is rendered from the produced document whatever the engine, so the other formats of a type, and
 * the refusal of bad arguments (before any database is opened), run on the first engine only:
 * each `kefu` process costs seconds of CPU (it loads the server), and these were 8 of its 12.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/lib/logger.ts';
import { closeServices, createServices, prepare } from '../server/services.ts';
import { createWorkspaceWithOwner } from '../server/modules/users/index.ts';
import { verifyReport } from '../server/modules/reports/index.ts';
import { seedMonth } from '../server/modules/reports/testing.ts';
import { allTables, engines } from '../server/testing/harness.ts';
import { nodeCacheEnv, processPlace } from '../server/testing/spawn.ts';

const bin = fileURLToPath(new URL('../../bin/kefu.js', import.meta.url));

/** The outer environment without any Kefu setting, plus the place's; npm's registry is a closed port. */
function envOf(place: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('KEFU_') && k !== 'DATABASE_URL' && k !== 'REDIS_URL') env[k] = v;
  return {
    ...env,
    ...nodeCacheEnv(),
    ...place,
    KEFU_LOG_LEVEL: 'warn',
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_fetch_retries: '0',
  };
}

function kefu(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Each run is a fresh Node process loading the CLI (and the report worker): seconds apiece on a busy machine.
describe.each(engines)('kefu report render as a process on %s', { timeout: 300_000 }, (engine) => {
  /** Formats and checks that do not depend on the engine run on this one only. */
  const everyFormat = engine === engines[0];
  const cleanups: (() => Promise<void>)[] = [];
  const out = mkdtempSync(join(tmpdir(), 'kefu-render-'));
  let dataDir = '';
  let env: NodeJS.ProcessEnv = {};
  let config: ReturnType<typeof loadConfig>['config'];

  beforeAll(async () => {
    const place = await processPlace(engine, cleanups);
    dataDir = place.dataDir;
    env = envOf(place.env);
    ({ config } = loadConfig({
      env: {},
      flags: {
        dataDir,
        databaseUrl: place.env.DATABASE_URL,
        secretKey: place.env.KEFU_SECRET_KEY,
        logLevel: 'silent',
        demo: false,
      },
    }));
    const s = createServices(config, { log: createLogger('silent') });
    try {
      await prepare(s);
      const made = await createWorkspaceWithOwner(s, {
        name: '示例店铺',
        slug: 'shop',
        timezone: 'Asia/Shanghai',
        defaultLanguage: 'zh-CN',
        admin: { email: 'owner@shop.example', name: 'Owner', password: 'correct-horse-battery' },
      });
      await seedMonth(s, made.workspace.id, made.admin.id);
    } finally {
      await closeServices(s);
    }
  }, 120_000);
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    rmSync(out, { recursive: true, force: true });
  });

  const render = async (type: string, period: string, format: string) => {
    const file = join(out, `${engine}-${type}.${format}`);
    const r = await kefu(
      [
        'report',
        'render',
        '--type',
        type,
        '--period',
        period,
        '--format',
        format,
        '--out',
        file,
        '--data-dir',
        dataDir,
      ],
      env,
    );
    expect(r.stderr, `${type} ${format}`).toBe('');
    expect(r.code, `${type} ${format}`).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`${type} ${period} → .*SHA-256 of the report [0-9a-f]{64}`));
    return file;
  };

  it('renders the monthly CS report in every format with the hand-computed figures', async () => {
    const json = JSON.parse(readFileSync(await render('monthly-cs', '2026-10', 'json'), 'utf8'));
    expect(json.summary).toMatchObject({
      created: 3,
      frtP50: 240,
      frtP90: 7200,
      resolutionP50: 1800,
      resolutionP90: 3600,
      resolutionRate: 66.67,
      fcr: 50,
      csatCount: 0,
    });

    if (!everyFormat) return;
    const pdf = await render('monthly-cs', '2026-10', 'pdf');
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', '-singlefile', pdf, join(out, 'cs-page')]);
    expect(statSync(join(out, 'cs-page.png')).size).toBeGreaterThan(5000);
    expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' })).toContain('66.67');

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await render('monthly-cs', '2026-10', 'xlsx'));
    expect(book.worksheets.length).toBeGreaterThan(0);
    const cells: string[] = [];
    book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((c) => void cells.push(String(c.value)))));
    expect(cells.some((c) => c.includes('66.67'))).toBe(true);

    const csv = readFileSync(await render('monthly-cs', '2026-10', 'csv'), 'utf8');
    expect(csv).toContain('66.67');
    const html = readFileSync(await render('monthly-cs', '2026-10', 'html'), 'utf8');
    expect(html).toContain('客服分析月报');
    expect(html).toContain('66.67');
  });

  it('renders the daily, weekly and monthly ops reports (the weekly says npm audit could not run)', async () => {
    const daily = JSON.parse(readFileSync(await render('daily', '2026-11-01', 'json'), 'utf8'));
    expect(daily.type).toBe('daily');
    expect(daily.period).toMatchObject({ key: '2026-11-01', zone: 'Asia/Shanghai' });
    if (everyFormat)
      expect(
        readFileSync(await render('daily', '2026-11-01', 'pdf'))
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');

    const weekly = JSON.parse(readFileSync(await render('weekly', '2026-W44', 'json'), 'utf8'));
    const vulns = weekly.sections.find((x: { id: string }) => x.id === 'vulnerabilities');
    expect(vulns.noSource.en).toMatch(/npm audit could not run/);

    const ops = new ExcelJS.Workbook();
    await ops.xlsx.readFile(await render('monthly-ops', '2026-10', 'xlsx'));
    expect(ops.worksheets.length).toBeGreaterThan(0);
    expect(existsSync(join(out, `${engine}-monthly-ops.xlsx`))).toBe(true);
  });

  it('stored each report with its input snapshot: each recomputes exactly, the weekly one too', async () => {
    const s = createServices(config, { log: createLogger('silent') });
    try {
      const rows = await allTables(s).selectFrom('reports').select(['id', 'workspace_id', 'type', 'inputs']).execute();
      expect(rows.map((r) => r.type).sort()).toEqual(['daily', 'monthly-cs', 'monthly-ops', 'weekly']);
      for (const r of rows) {
        expect(JSON.parse(r.inputs!).zone, r.type).toBe('Asia/Shanghai');
        expect(await verifyReport(s, r.workspace_id, r.id), r.type).toEqual({
          stored: true,
          recomputed: true,
          inputs: 'snapshot',
        });
      }
    } finally {
      await closeServices(s);
    }
  });

  // Defined for the first engine only (it exits before a database opens), so no run shows it skipped.
  if (engine === engines[0])
    it('refuses a bad type or format with exit status 2', async () => {
      const r = await kefu(
        [
          'report',
          'render',
          '--type',
          'yearly',
          '--period',
          '2026',
          '--format',
          'doc',
          '--out',
          'x',
          '--data-dir',
          dataDir,
        ],
        env,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--type: one of daily, weekly, monthly-ops, monthly-cs; --format: one of html/);
    });
});
