/**
 * Prometheus metrics: prom-client's process defaults plus the HTTP request-duration histogram
 * by route and status, in the process's registry (Services.metrics), so tests can build many apps.
 */
import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { readdir, stat } from 'node:fs/promises';
import { collectDefaultMetrics, Gauge, Histogram, type Registry } from 'prom-client';
import { exposition, metricsAllowed } from './health.ts';

/**
 * The process's open file descriptors. Linux (6.2 and later) gives their number as the size of
 * /proc/self/fd, counted from the descriptor table; listing the directory instead cost ~5 ms of
 * CPU per scrape at 10,500 sockets (10,500 names made into strings). Older kernels report 0 there:
 * then the listing, less its own descriptor.
 */
export async function openDescriptors(): Promise<number> {
  const { size } = await stat('/proc/self/fd');
  return size > 0 ? size : (await readdir('/proc/self/fd')).length - 1;
}

/**
 * A scrape must not block the event loop for long (issue 8: 55–72 ms at 10,500 sockets). prom-client's
 * handle, resource and request gauges list every libuv handle (each socket) on the event loop:
 * dropped (`kefu_realtime_connections` counts the sockets). Its open-descriptor gauge reads
 * /proc/self/fd synchronously: `openDescriptors` instead.
 */
function cheapenDefaults(registry: Registry): void {
  for (const kind of ['handles', 'resources', 'requests'])
    for (const suffix of ['', '_total']) registry.removeSingleMetric(`kefu_nodejs_active_${kind}${suffix}`);
  if (!registry.getSingleMetric('kefu_process_open_fds')) return;
  registry.removeSingleMetric('kefu_process_open_fds');
  new Gauge({
    name: 'kefu_process_open_fds',
    help: 'Number of open file descriptors.',
    registers: [registry],
    async collect() {
      this.set(await openDescriptors());
    },
  });
}

export function installMetrics(app: FastifyInstance, registry: Registry): Registry {
  // One registry may serve several apps (tests; a restart in-process): register each metric once.
  if (!registry.getSingleMetric('kefu_process_cpu_seconds_total')) {
    collectDefaultMetrics({ register: registry, prefix: 'kefu_' });
    cheapenDefaults(registry);
  }
  const name = 'kefu_http_request_duration_seconds';
  const duration =
    (registry.getSingleMetric(name) as Histogram<'method' | 'route' | 'status_code'> | undefined) ??
    new Histogram({
      name,
      help: 'HTTP request duration in seconds, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, not the raw URL, keeps the label set bounded.
    const route = req.is404 ? 'unmatched' : (req.routeOptions.url ?? 'unmatched');
    duration.observe({ method: req.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  return registry;
}

/**
 * /metrics on its own port (`metricsPort`), for a network only Prometheus reaches: the public port
 * then does not serve them. The bearer token, when set, is asked here too.
 */
export async function startMetricsServer(
  registry: Registry,
  opts: { port: number; host: string; token?: string; labels?: Record<string, string> },
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') return void res.writeHead(404).end();
    if (!metricsAllowed(opts.token, req.headers.authorization))
      return void res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"' }).end();
    exposition(registry, opts.labels ?? {}).then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return server;
}
