/**
 * End to end with real processes: a local HTTP server the test starts and stops, a probe on it,
 * a rule `for: 10s` → pending → firing → `alert.firing` (on the Redis bus with PostgreSQL) → the
 * target comes back → resolved. On PostgreSQL + Redis with two scheduler nodes, the node that runs
 * the probes is killed (-9) and the other takes over (the 10 s lease) without a second alert.firing.
 * Nothing waits on a fixed time: each step polls until it is true, bounded by the test's timeout.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/index.ts';
import { engines, pgUrl, redisUrl } from '../../testing/harness.ts';
import { api, processPlace, signInHttp, startKefuProcess, type KefuProcess } from '../../testing/spawn.ts';
import { until } from '../../testing/until.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
}, 120_000);

async function target(): Promise<{ url: string; setUp(up: boolean): void }> {
  let up = true;
  const server: Server = createServer((_req, res) => void res.writeHead(up ? 200 : 503).end(up ? 'ok' : 'down'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, setUp: (v) => (up = v) };
}

const opsDoc = (url: string) => ({
  probes: [{ name: 'target', type: 'http', url, interval: '1s', timeout: '2s', component: 'web_chat' }],
  groups: [
    {
      name: 'e2e',
      interval: '1s',
      rules: [
        {
          alert: 'TargetDown',
          expr: 'probe_success{probe="target"} == 0',
          for: '10s',
          labels: { severity: 'P2' },
          annotations: { summary: '{{ $labels.probe }} is down' },
        },
      ],
    },
  ],
});

type Alerts = { items: { state: string; rule: string; firedAt: string | null }[] };

describe.concurrent.each(engines)('alerts with real processes on %s', (engine) => {
  it('fires on a stopped target and resolves when it comes back', { timeout: 240_000 }, async () => {
    const where = await processPlace(engine, cleanups);
    // Its own Redis prefix: other tests' processes publish alerts on the same Redis at the same time.
    const prefix = `kefu-alerts-${Math.random().toString(36).slice(2, 10)}:`;
    const env = {
      ...where.env,
      ...(engine === 'postgres' && redisUrl ? { REDIS_URL: redisUrl, KEFU_REDIS_PREFIX: prefix } : {}),
    };
    const node = await startKefuProcess({ ...where, env });
    cleanups.push(() => node.stop());
    const t = await target();
    const auth = await signInHttp(node.url);
    const seen: string[] = [];
    if (env.REDIS_URL) {
      const sub = new Redis(env.REDIS_URL);
      cleanups.push(async () => void sub.disconnect());
      await sub.subscribe(`${prefix}events`);
      sub.on('message', (_c: string, m: string) => {
        const e = JSON.parse(m) as { type?: string };
        if (e.type?.startsWith('alert.')) seen.push(e.type);
      });
    }
    await api(node.url, auth, 'PUT', '/api/ops/config', opsDoc(t.url));
    await until('the probe is up', async () => {
      const p = await api<{ items: { name: string; status: string }[] }>(node.url, auth, 'GET', '/api/ops/probes');
      return p.items.find((x) => x.name === 'target')?.status === 'up';
    });
    t.setUp(false);
    const pending = await until('pending', async () =>
      (await api<Alerts>(node.url, auth, 'GET', '/api/ops/alerts?state=pending')).items.find(
        (a) => a.rule === 'TargetDown',
      ),
    );
    expect(pending.firedAt).toBeNull();
    const firing = await until('firing', async () =>
      (await api<Alerts>(node.url, auth, 'GET', '/api/ops/alerts?state=firing')).items.find(
        (a) => a.rule === 'TargetDown',
      ),
    );
    expect(firing.firedAt).toBeTruthy();
    const audit = async (action: string) =>
      (await api<{ items: unknown[] }>(node.url, auth, 'GET', `/api/audit?action=${action}`)).items.length;
    await until('alert.firing recorded', async () => (await audit('alert.firing')) === 1);
    t.setUp(true);
    await until('resolved', async () =>
      (await api<Alerts>(node.url, auth, 'GET', '/api/ops/alerts?state=resolved')).items.some(
        (a) => a.rule === 'TargetDown',
      ),
    );
    await until('alert.resolved recorded', async () => (await audit('alert.resolved')) === 1);
    expect(await audit('alert.firing')).toBe(1);
    if (env.REDIS_URL)
      await until('both on the bus', async () => seen.join() === 'alert.firing,alert.resolved', 20_000).catch((err) => {
        throw new Error(`${(err as Error).message}; seen: ${seen.join()}`);
      });
  });
});

describe.runIf(Boolean(pgUrl && redisUrl))('alerts with real processes on PostgreSQL + Redis, two nodes', () => {
  const engine = 'postgres' as const;
  it(
    'lets a second node take over the probes when the first is killed, without a second alert',
    { timeout: 300_000 },
    async () => {
      const where = await processPlace(engine, cleanups);
      const env = { ...where.env, REDIS_URL: redisUrl! };
      const a = await startKefuProcess({ ...where, env: { ...env, KEFU_NODE_NAME: 'node-a' } });
      cleanups.push(() => a.stop());
      const b = await startKefuProcess({ ...where, env: { ...env, KEFU_NODE_NAME: 'node-b' } });
      cleanups.push(() => b.stop());
      const db = openDb({ databaseUrl: where.env.DATABASE_URL, poolSize: 1 });
      cleanups.push(() => db.close());
      const holder = async () =>
        (await sql<{ holder: string }>`select holder from monitoring_leases where name = 'ops'`.execute(db.db)).rows[0]
          ?.holder;
      // This rule's firings only: built-in rules of other modules (backups, reports) may fire in a fresh install.
      const firings = async () =>
        Number(
          (
            await sql<{
              n: number;
            }>`select count(*) as n from outbox where type = 'alert.firing' and payload like '%TargetDown%'`.execute(
              db.db,
            )
          ).rows[0].n,
        );
      const t = await target();
      const auth = await signInHttp(a.url);
      await api(a.url, auth, 'PUT', '/api/ops/config', opsDoc(t.url));
      const first = await until('a lease holder', holder);
      const [leader, other]: KefuProcess[] = first.startsWith('node-a/') ? [a, b] : [b, a];
      t.setUp(false);
      await until('firing', async () => (await firings()) === 1);
      await leader.kill9();
      const next = await until('the other node holds the lease', async () => {
        const h = await holder();
        return h && h !== first ? h : null;
      });
      expect(next.split('/')[0]).toBe(first.startsWith('node-a/') ? 'node-b' : 'node-a');
      // The survivor keeps evaluating: the alert stays one firing alert; then it resolves once.
      const otherAuth = await signInHttp(other.url);
      t.setUp(true);
      await until('resolved', async () =>
        (await api<Alerts>(other.url, otherAuth, 'GET', '/api/ops/alerts?state=resolved')).items.some(
          (x) => x.rule === 'TargetDown',
        ),
      );
      expect(await firings()).toBe(1);
      const resolved = Number(
        (
          await sql<{
            n: number;
          }>`select count(*) as n from outbox where type = 'alert.resolved' and payload like '%TargetDown%'`.execute(
            db.db,
          )
        ).rows[0].n,
      );
      expect(resolved).toBe(1);
    },
  );
});
