/**
 * `kefu ops apply` as its own process beside a running server process on the same data folder (and,
 * on PostgreSQL, the same database), while that server's samplers write every second: the apply
 * succeeds and prints its diff, the server — which applied nothing — runs the probe the file added
 * at its next tick (its result on /metrics), `--dry-run` changes nothing, and a bad file exits 2
 * naming the problem's path and changes nothing. Both engines (on SQLite: two processes on one
 * file in WAL mode, a busy statement retried).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, outputOf } from '../../testing/cli.ts';
import { engines } from '../../testing/harness.ts';
import { api, processPlace, signInHttp, startKefuProcess } from '../../testing/spawn.ts';
import { until } from '../../testing/until.ts';

const bin = fileURLToPath(new URL('../../../../bin/kefu.js', import.meta.url));

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
}, 120_000);

const doc = (url: string, probe: string) => `
probes:
  - {name: ${probe}, type: http, url: "${url}", interval: 1s, timeout: 2s}
groups:
  - name: applied-rules
    rules:
      - alert: AppliedRule
        expr: kefu_test_applied > 0
        labels: {severity: P3}
`;

describe.concurrent.each(engines)('kefu ops apply beside a running server process on %s', (engine) => {
  it(
    'applies while the server writes; the server runs the new probe at its next tick',
    { timeout: 240_000 },
    async () => {
      const target: Server = createServer((_req, res) => void res.writeHead(200).end('ok'));
      await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
      cleanups.push(async () => {
        target.closeAllConnections();
        await new Promise((r) => target.close(r));
      });
      const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
      const where = await processPlace(engine, cleanups);
      const server = await startKefuProcess({
        ...where,
        env: { ...where.env, KEFU_MONITORING_INTERVAL_SECONDS: '1' },
      });
      cleanups.push(() => server.stop());
      const auth = await signInHttp(server.url);
      const scrape = () => fetch(`${server.url}/metrics`).then((r) => r.text());
      // The server's samplers are writing before anything is applied.
      await until('the sampler on /metrics', async () => /^kefu_monitoring_samples\{/m.test(await scrape()));

      /** `kefu ops apply` as a process of its own, on the server's data folder and database. */
      const kefu = (...args: string[]) =>
        outputOf(
          spawn(process.execPath, [bin, '--data-dir', where.dataDir, 'ops', ...args], {
            cwd: where.dataDir,
            env: cliEnv(where.env),
            stdio: ['ignore', 'pipe', 'pipe'],
          }),
        );
      const probes = async () =>
        (await api<{ items: { name: string }[] }>(server.url, auth, 'GET', '/api/ops/probes')).items.map((p) => p.name);
      const file = join(where.dataDir, 'ops.yaml');

      // A dry run prints what it would do and changes nothing.
      writeFileSync(file, doc(url, 'dry-probe'));
      const dry = await kefu('apply', '--file', file, '--dry-run');
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('+ probe/dry-probe');
      expect(dry.stdout).toMatch(/would apply: 2 created, 0 updated, 0 deleted/);
      expect(await probes()).not.toContain('dry-probe');

      // A bad file exits 2 with the path of the problem and changes nothing.
      writeFileSync(file, doc('not a url', 'bad-probe'));
      const bad = await kefu('apply', '--file', file);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/ops\.yaml: probes\.0\.url: /);
      expect(bad.stdout).toBe('');
      expect(await probes()).not.toContain('bad-probe');

      // The apply itself, while the server writes: the diff, then the probe's result on the server.
      writeFileSync(file, doc(url, 'applied-probe'));
      const applied = await kefu('apply', '--file', file);
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout).toContain('+ probe/applied-probe');
      expect(applied.stdout).toContain('+ group/applied-rules');
      // Two created: neither the dry run nor the bad file left the rule group behind.
      expect(applied.stdout).toMatch(/applied: 2 created, 0 updated, 0 deleted/);
      const appliedAt = Date.now();
      expect(await probes()).toContain('applied-probe');
      await until(
        'the applied probe on /metrics',
        async () => /^probe_success\{probe="applied-probe"[^}]*\} 1\b/m.test(await scrape()),
        60_000,
      );
      // "At its next tick": probes are looked up every second (measured: 15 ms on SQLite, 0.7 s on
      // PostgreSQL, load 5 on 2 cores); a loaded machine gets some slack.
      expect(Date.now() - appliedAt).toBeLessThan(15_000);
      // Three applies at once, beside the server: each waits its turn for the write lock.
      for (const again of await Promise.all([1, 2, 3].map(() => kefu('apply', '--file', file)))) {
        expect(again.code, again.stderr).toBe(0);
        expect(again.stdout).toMatch(/applied: 0 created, 0 updated, 0 deleted, 2 unchanged/);
      }
      const exported = await kefu('export');
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toContain('AppliedRule');
      expect(exported.stdout).not.toContain('dry-probe');
    },
  );
});
