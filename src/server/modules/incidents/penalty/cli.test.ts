/**
 * `kefu penalty compute` on temp files: in-process, and once as the real binary. Expected values
 * are computed by hand: total 1 000 000 CNY, 0.5 % = 5 000 per hour, cap 5 % = 50 000.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../../cli/io.ts';
import { runCli } from '../../../../cli/program.ts';
import { nodeCacheEnv } from '../../../testing/spawn.ts';

const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kefu-penalty-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: string): string {
  const path = join(dir, `f${n++}`);
  writeFileSync(path, content);
  return path;
}

const contract = {
  total: 1000000,
  currency: 'CNY',
  term: { start: '2026-01-01T00:00:00+08:00', end: '2027-01-01T00:00:00+08:00' },
  promotions: [{ name: '双11', start: '2026-11-01T00:00:00+08:00', end: '2026-11-12T00:00:00+08:00' }],
};
const lines = [
  // P2 4 h: due 14:00, resolved 14:00 → on time.
  '{"id": "INC-1", "severity": "P2", "declaredAt": "2026-03-02T10:00:00+08:00", "acknowledgedAt": "2026-03-02T10:20:00+08:00", "resolvedAt": "2026-03-02T14:00:00+08:00"}',
  '',
  // P1 in 双11: 10 min / 1 h → due 21:00; resolved 23:30 → 2 h 30 → 3 started hours → 15 000.
  '{"id": "INC-2", "severity": "P1", "declaredAt": "2026-11-11T20:00:00+08:00", "acknowledgedAt": "2026-11-11T20:12:00+08:00", "resolvedAt": "2026-11-11T23:30:00+08:00"}',
  // A drill 10 h late: nothing.
  '{"id": "DRILL-1", "severity": "P3", "declaredAt": "2026-05-01T09:00:00+08:00", "resolvedAt": "2026-05-01T23:00:00+08:00", "mode": "drill"}',
].join('\n');

async function run(args: string[]) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    env: process.env,
    cwd: root,
    out: (text) => void (out.stdout += text),
    err: (text) => void (out.stderr += text),
    exitCode: 0,
  };
  const { code } = await runCli(['penalty', 'compute', ...args], io);
  return { code, ...out };
}

const files = (c: unknown, incidents: string) => [
  '--contract',
  file(JSON.stringify(c)),
  '--incidents',
  file(incidents),
];

describe('kefu penalty compute', () => {
  it('prints the ledger as JSON with deadlines in the contract zone', async () => {
    const r = await run([...files(contract, lines), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(
      out.incidents.map((i: Record<string, unknown>) => [i.id, i.respondBy, i.resolveBy, i.hoursOver, i.deduction]),
    ).toEqual([
      ['INC-1', '2026-03-02T10:30:00+08:00', '2026-03-02T14:00:00+08:00', 0, 0],
      ['INC-2', '2026-11-11T20:10:00+08:00', '2026-11-11T21:00:00+08:00', 3, 15000],
      ['DRILL-1', '2026-05-01T10:00:00+08:00', '2026-05-01T17:00:00+08:00', 6, 0],
    ]);
    expect(out.incidents[1]).toMatchObject({ promotion: '双11', respondBreached: true, capApplied: false });
    expect([out.total, out.capApplied]).toEqual([15000, false]);
  });

  it('applies the contract options: whole hours, cap per incident', async () => {
    const c = { ...contract, rounding: 'whole_hours', capScope: 'incident', promotions: [] };
    // Without the promotion P1 has 2 h: due 22:00, 1 h 30 over → 1 whole hour.
    const r = await run([...files(c, lines), '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.incidents[1]).toMatchObject({ resolveBy: '2026-11-11T22:00:00+08:00', hoursOver: 1, deduction: 5000 });
    expect(out.total).toBe(5000);
  });

  it('prints a readable statement', async () => {
    const r = await run(files(contract, lines));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('cap 5 % = 50,000.00 per term');
    expect(r.stdout).toMatch(/INC-2 +P1 .* 3 +15,000\.00 +promotion 双11; response late/);
    expect(r.stdout).toMatch(/DRILL-1 .*not counted: drill/);
    expect(r.stdout).toContain('total deduction 15,000.00 CNY');
  });

  it('lists every problem with its line number and exits with 2', async () => {
    const bad = [
      '{"id": "A", "severity": "P4", "declaredAt": "2026-03-02T10:00:00+08:00", "resolvedAt": "2026-03-02T11:00:00+08:00"}',
      '{"id": "B", "severity": "P2", "declaredAt": "2026-03-02T10:00:00+08:00"}',
      'not json',
      '{"id": "A", "severity": "P2", "declaredAt": "2026-03-02T10:00:00+08:00", "resolvedAt": "2026-03-02T09:00:00+08:00"}',
      '{"id": "C", "severity": "P2", "declaredAt": "yesterday", "resolvedAt": "2026-03-02T11:00:00+08:00", "note": 1}',
      // A line that fails the schema still gets the CLI's own checks (required resolvedAt, duplicate id).
      '{"id": "C", "severity": "P9", "declaredAt": "2026-03-02T10:00:00+08:00"}',
    ].join('\n');
    const r = await run(files({ ...contract, capScope: 'year' }, bad));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const problems = r.stderr.split('\n').filter((l) => l.startsWith('  - '));
    expect(problems).toEqual([
      expect.stringMatching(/f\d+: capScope: .*"term"/),
      expect.stringMatching(/line 1: severity: /),
      expect.stringMatching(/line 2: resolvedAt: required/),
      expect.stringMatching(/line 3: not valid JSON/),
      expect.stringMatching(/line 4: resolvedAt: before declaredAt/),
      // Line 1 failed the schema; its id still counts.
      expect.stringMatching(/line 4: id "A" is already used on line 1/),
      // Schema and date problems of one line together.
      expect.stringMatching(/line 5: unknown key "note"/),
      expect.stringMatching(/line 5: declaredAt: "yesterday" is not an ISO-8601 date-time/),
      expect.stringMatching(/line 6: severity: /),
      expect.stringMatching(/line 6: resolvedAt: required/),
      expect.stringMatching(/line 6: id "C" is already used on line 5/),
    ]);
  });

  it('reports a duplicate id with the line it was first used on, and a file that cannot be read', async () => {
    const dup = [lines.split('\n')[0], lines.split('\n')[0]].join('\n');
    const r = await run(files(contract, dup));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 2: id "INC-1" is already used on line 1/);
    const missing = await run(['--contract', join(dir, 'nope.json'), '--incidents', file(lines)]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: cannot read \(ENOENT\)/);
  });

  it('runs as the real binary', () => {
    const r = spawnSync(process.execPath, ['bin/kefu.js', 'penalty', 'compute', ...files(contract, lines), '--json'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ...nodeCacheEnv(), TZ: 'America/New_York' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).total).toBe(15000);
    // A whole CLI process (the launcher and the pinned Node it starts) took over 30 s at load 20.
  }, 90_000);
});
