/**
 * `kefu ops apply` on PostgreSQL while a server runs on the same database: the command line (a
 * node of its own, no server in it) creates, updates and prunes a probe and a rule group by name,
 * and the running node — which applied nothing — picks each change up at its next evaluation
 * (its probe list and its rule evaluator read the database, as docs/OPERATIONS.md says).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { OpsConfig } from '../../../shared/ops-api.ts';
import { cliEnv, runKefu } from '../../testing/cli.ts';
import { engines, pgUrl, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { listAlerts } from './alert-list.ts';
import { RuleEvaluator } from './alerts.ts';
import { memorySource } from './promql/eval.ts';
import type { Point } from './store.ts';

const doc = (threshold: number, withProbe = true) => `
probes:
${withProbe ? '  - {name: pg-apply-probe, type: tcp, host: 127.0.0.1, port: 9, interval: 30s}' : '  []'}
groups:
  - name: pg-rules
    rules:
      - alert: AppliedRule
        expr: kefu_test_applied > ${threshold}
        labels: {severity: P3}
        annotations: {summary: applied from the command line}
`;

describe.each(engines.filter((e) => e === 'postgres'))('kefu ops apply on %s beside a running server', (engine) => {
  let t: TestApp;
  let owner: Client;
  const dir = mkdtempSync(join(tmpdir(), 'kefu-ops-pg-'));
  const points: Point[] = [];
  const source = memorySource([{ name: 'kefu_test_applied', labels: {}, points }]);
  let now = Date.now();

  const kefu = async (...args: string[]) => {
    // The command line reaches the server's schema through the URL's libpq options.
    const url = `${pgUrl}?options=${encodeURIComponent(`-c search_path=${t.env.pgSchema}`)}`;
    const r = await runKefu(['--data-dir', join(dir, 'data'), ...args], {
      cwd: dir,
      env: cliEnv({ KEFU_DATABASE_URL: url }),
    });
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };
  const apply = async (text: string, ...flags: string[]) => {
    writeFileSync(join(dir, 'ops.yaml'), text);
    return kefu('ops', 'apply', '--file', 'ops.yaml', ...flags);
  };
  /** The running node's next evaluation (15 s later), with the series at 1. */
  const evaluate = async (ev: RuleEvaluator) => {
    now += 15_000;
    points.push([now, 1]);
    await ev.tick(now);
    return (await listAlerts(t.s.db)).filter((a) => a.rule === 'AppliedRule').map((a) => a.state);
  };
  const probes = async () =>
    ((await owner.get('/api/ops/probes')).json().items as { name: string; definition: { port: number } }[]).filter(
      (p) => p.name === 'pg-apply-probe',
    );

  beforeAll(async () => {
    t = await testApp(engine);
    owner = (await t.workspace('ops-home', { installationOwner: true })).owner;
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, updates and prunes by name; the running node picks each change up', async () => {
    const ev = new RuleEvaluator(t.s, source);
    expect(await evaluate(ev)).toEqual([]);
    expect(await probes()).toEqual([]);

    const first = await apply(doc(0));
    expect(first).toContain('+ probe/pg-apply-probe');
    expect(first).toMatch(/applied: 2 created, 0 updated, 0 deleted/);
    expect(await apply(doc(0))).toMatch(/applied: 0 created, 0 updated, 0 deleted, 2 unchanged/);
    // The server applied nothing: its API lists the probe, its evaluator runs the rule.
    expect(await probes()).toHaveLength(1);
    expect(await evaluate(ev)).toEqual(['firing']);

    // An update from the command line: the next evaluation uses the new expression.
    const changed = await apply(doc(5));
    expect(changed).toContain('~ group/pg-rules');
    expect(await evaluate(ev)).toEqual(['resolved']);

    // Export on PostgreSQL round-trips; --prune removes the probe the file no longer names.
    const exported = OpsConfig.parse(parse(await kefu('ops', 'export')));
    expect(exported.groups.find((g) => g.name === 'pg-rules')!.rules[0].expr).toBe('kefu_test_applied > 5');
    expect(await apply(doc(5, false))).not.toContain('- probe/pg-apply-probe');
    expect(await probes()).toHaveLength(1);
    expect(await apply(doc(5, false), '--prune')).toContain('- probe/pg-apply-probe');
    expect(await probes()).toEqual([]);
  });
});
