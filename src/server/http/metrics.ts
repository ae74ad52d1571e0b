/**
 * Prometheus metrics: prom-client's process defaults plus the HTTP request-duration histogram
 * by route and status, in the process's registry (Services.metrics), so tests can build many apps.
 */
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Histogram, type Registry } from 'prom-client';

export function installMetrics(app: FastifyInstance, registry: Registry): Registry {
  // One registry may serve several apps (tests; a restart in-process): register each metric once.
  if (!registry.getSingleMetric('kefu_process_cpu_seconds_total'))
    collectDefaultMetrics({ register: registry, prefix: 'kefu_' });
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
