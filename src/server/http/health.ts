/**
 * /livez: the process answers. /readyz: this node can serve (database reachable, migrations
 * applied, bus reachable, disk not full), as application/health+json. /metrics: Prometheus, behind
 * a bearer token when `metricsToken` is set, and only on the internal `metricsPort` when that is.
 */
import { timingSafeEqual } from 'node:crypto';
import { statfs } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { nodeNameOf } from '../config.ts';
import type { Services } from '../context.ts';
import { ping } from '../db/index.ts';
import { pendingMigrations } from '../db/migrate.ts';

type Check = {
  status: 'pass' | 'warn' | 'fail';
  output?: string;
  observedValue?: number;
  observedUnit?: string;
  time: string;
};
const minFreeBytes = 512 * 1024 * 1024;

async function timed(fn: () => Promise<Omit<Check, 'time'>>): Promise<Check> {
  const time = new Date().toISOString();
  try {
    return {
      ...(await Promise.race([
        fn(),
        new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timed out after 2 s')), 2000).unref()),
      ])),
      time,
    };
  } catch (err) {
    return { status: 'fail', output: (err as Error).message, time };
  }
}

export async function readiness(s: Services): Promise<{ status: 'pass' | 'fail'; checks: Record<string, Check[]> }> {
  const [db, migrations, bus, disk] = await Promise.all([
    timed(async () => {
      await ping(s.db);
      return { status: 'pass', output: s.engine };
    }),
    timed(async () => {
      const pending = await pendingMigrations(s.db);
      return pending.length ? { status: 'fail', output: `pending: ${pending.join(', ')}` } : { status: 'pass' };
    }),
    timed(async () => {
      await s.bus.ping();
      return { status: 'pass', output: s.bus.kind };
    }),
    timed(async () => {
      const st = await statfs(s.config.dataDir);
      const free = st.bavail * st.bsize;
      return { status: free < minFreeBytes ? 'fail' : 'pass', observedValue: free, observedUnit: 'bytes' };
    }),
  ]);
  const checks = {
    'database:connection': [db],
    'database:migrations': [migrations],
    'bus:connection': [bus],
    'disk:free': [disk],
  };
  const status = Object.values(checks).every(([c]) => c.status !== 'fail') ? 'pass' : 'fail';
  return { status, checks };
}

export function healthRoutes(app: FastifyInstance, s: Services, registry: Registry): void {
  app.get('/livez', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('application/health+json').send({ status: 'pass' }),
  );
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const r = await readiness(s);
    return reply
      .status(r.status === 'pass' ? 200 : 503)
      .type('application/health+json')
      .send(r);
  });
  // With a separate metrics port the public one does not serve them at all.
  if (s.config.metricsPort) return;
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (!metricsAllowed(s.config.metricsToken, req.headers.authorization))
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send({
          error: { code: 'unauthenticated', message: 'metrics need the bearer token', requestId: String(req.id) },
        });
    return reply.type(registry.contentType).send(await exposition(registry, { node: nodeNameOf(s.config) }));
  });
}

/**
 * The exposition served on /metrics: the registry's metrics with `labels` (the node's `node`) added
 * to every series, as the series store has them. The labels go on a view of the registry made per
 * scrape, so the registry itself (which the sampler and the tests read) is left as it is.
 */
export function exposition(registry: Registry, labels: Record<string, string>): Promise<string> {
  const view = Registry.merge([registry]);
  view.setDefaultLabels(labels);
  return view.metrics();
}

/** Whether a request may read the metrics: always without a token set, else only with `Bearer <token>`. */
export function metricsAllowed(token: string | undefined, authorization: string | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
