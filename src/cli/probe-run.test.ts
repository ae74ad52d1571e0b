/**
 * `kefu probe run --config FILE` as a real process on "another machine": it runs the file's
 * probes against a real HTTP target and a closed port, and pushes the results to a real listening
 * server with an API token holding `installation.ops`; the server stores them as blackbox series
 * with the runner's label. A wrong token, a token without the permission and an unreachable server
 * fail the run (exit 1) with the reason; a bad file exits 2 with the field.
 *
 * Each `kefu` process costs seconds of CPU (it loads the CLI). The runs that never reach the
 * server's database (an unreachable server, a bad file) run on the first engine only; the pushes,
 * the stored results and the token checks run on both.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { engines, testApp, testPassword, type TestApp } from '../server/testing/harness.ts';
import { runtime } from '../server/modules/monitoring/runtime.ts';
import { nodeCacheEnv } from '../server/testing/spawn.ts';

const bin = fileURLToPath(new URL('../../bin/kefu.js', import.meta.url));

function kefu(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ...nodeCacheEnv(), ...env },
      stdio: 'pipe',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Each run is a fresh Node process loading the CLI: seconds apiece on a busy machine.
describe.each(engines)('kefu probe run against a server on %s', { timeout: 180_000 }, (engine) => {
  /** Runs that do not depend on the engine happen on this one only. */
  const engineFree = engine === engines[0];
  let t: TestApp;
  let url: string;
  let target: Server;
  let targetUrl: string;
  let token: string;
  let agentToken: string;
  const dir = mkdtempSync(join(tmpdir(), 'kefu-probe-run-'));

  beforeAll(async () => {
    t = await testApp(engine);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    target = createServer((_req, res) => void res.writeHead(200).end('shop ok'));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
    const home = await t.workspace('ops-home', { installationOwner: true });
    const made = await home.owner.post('/api/tokens', {
      name: 'outside runner',
      scopes: ['installation.ops'],
      password: testPassword,
    });
    expect(made.statusCode, made.body).toBeLessThan(300);
    token = made.json().secret;
    const shop = await t.workspace('shop');
    const agent = await t.user(shop.id, 'agent');
    agentToken = (
      await agent.post('/api/tokens', { name: 'mine', scopes: ['conversations.read'], password: testPassword })
    ).json().secret;
    writeFileSync(
      join(dir, 'outside.yaml'),
      stringify({
        runner: { name: 'outside-1' },
        probes: [
          { name: 'shop', type: 'http', url: targetUrl, keyword: 'shop ok', component: 'web_chat' },
          { name: 'db-port', type: 'tcp', host: '127.0.0.1', port: 1, timeout: '2s' },
          { name: 'cron', type: 'push', interval: '1h' },
        ],
      }),
    );
  });
  afterAll(async () => {
    target?.close();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the probes and pushes their results, stored with the runner label', async () => {
    const r = await kefu(['probe', 'run', '--config', join(dir, 'outside.yaml'), '--server', url, '--once'], {
      KEFU_PROBE_TOKEN: token,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ shop up /);
    expect(r.stdout).toMatch(/ db-port down .*connection refused/);
    expect(r.stdout).not.toMatch(/ cron /);
    const store = runtime(t.s).store;
    const now = Date.now();
    const success = await store.read(
      'probe_success',
      [{ name: 'runner', op: '=', value: 'outside-1' }],
      now - 60_000,
      now + 1000,
    );
    const byProbe = Object.fromEntries(success.map((x) => [x.labels.probe, x.points.at(-1)![1]]));
    expect(byProbe).toEqual({ shop: 1, 'db-port': 0 });
    expect(success.find((x) => x.labels.probe === 'shop')!.labels.component).toBe('web_chat');
    const duration = await store.read(
      'probe_duration_seconds',
      [{ name: 'probe', op: '=', value: 'shop' }],
      now - 60_000,
      now + 1000,
    );
    expect(duration[0].points.at(-1)![1]).toBeGreaterThan(0);
    const last = await store.read('kefu_probe_runner_last_push_timestamp_seconds', [], now - 60_000, now + 1000);
    expect(last[0].labels).toEqual({ runner: 'outside-1' });
  });

  it('fails with the reason on a wrong token, a token without the permission, and a server that is down', async () => {
    const file = join(dir, 'outside.yaml');
    const wrong = await kefu(['probe', 'run', '--config', file, '--server', url, '--token', 'kefu_pat_nope', '--once']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/push failed: the server answered 401/);
    const weak = await kefu(['probe', 'run', '--config', file, '--server', url, '--token', agentToken, '--once']);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/answered 403/);
    if (!engineFree) return;
    // A port nobody listens on (taken, then freed).
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const closed = (free.address() as AddressInfo).port;
    await new Promise((r) => free.close(r));
    const down = await kefu([
      'probe',
      'run',
      '--config',
      file,
      '--server',
      `http://127.0.0.1:${closed}`,
      '--token',
      token,
      '--once',
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/the server is unreachable \(ECONNREFUSED\)/);
  });

  it('refuses a bad file with the field, and results far from the server time', async () => {
    if (engineFree) {
      // The file is checked before anything is sent: no server, no database involved.
      writeFileSync(join(dir, 'bad.yaml'), stringify({ probes: [{ name: 'x', type: 'http', url: 'ftp://x' }] }));
      const bad = await kefu([
        'probe',
        'run',
        '--config',
        join(dir, 'bad.yaml'),
        '--server',
        url,
        '--token',
        token,
        '--once',
      ]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/bad\.yaml: probes\.0\.url/);
    }
    const old = await t.app.inject({
      method: 'POST',
      url: '/api/ops/probe-results',
      headers: { authorization: `Bearer ${token}` },
      payload: { runner: 'r', results: [{ probe: 'x', at: '2020-01-01T00:00:00Z', ok: true, durationMs: 1 }] },
    });
    expect(old.statusCode).toBe(400);
    expect(old.json().error.message).toMatch(/too far from the server's time/);
  });
});
