/**
 * Results of probes run from another machine (`kefu probe run --config FILE`): the runner pushes
 * them with an API token that holds `installation.ops`; they become the same blackbox series as
 * the server's own probes, with a `runner` label (so a rule can tell "unreachable from outside"
 * from "down from inside"), plus the runner's last push time. Results older than a day or in the
 * future beyond a minute are refused: a runner's clock must be roughly right.
 */
import type { FastifyInstance } from 'fastify';
import { WrittenResponse } from '../../../shared/ops-responses.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ProbeResultsInput } from '../../../shared/ops-api.ts';
import type { Services } from '../../context.ts';
import { badRequest } from '../../lib/errors.ts';
import { rememberPushed } from './exposed.ts';
import { runtime, writeSamples } from './runtime.ts';
import type { Labels, Sample } from './store.ts';

export function resultSamples(input: ProbeResultsInput): Map<number, Sample[]> {
  const byTime = new Map<number, Sample[]>();
  for (const r of input.results) {
    const t = Date.parse(r.at);
    const labels: Labels = {
      probe: r.probe,
      runner: input.runner,
      ...(r.component ? { component: r.component } : {}),
    };
    const out = byTime.get(t) ?? [];
    out.push(
      { name: 'probe_success', labels, value: r.ok ? 1 : 0 },
      { name: 'probe_duration_seconds', labels, value: r.durationMs / 1000 },
    );
    if (r.statusCode !== undefined) out.push({ name: 'probe_http_status_code', labels, value: r.statusCode });
    if (r.certExpiresAt) out.push({ name: 'probe_ssl_earliest_cert_expiry', labels, value: r.certExpiresAt / 1000 });
    byTime.set(t, out);
  }
  return byTime;
}

export async function recordRemoteResults(s: Services, input: ProbeResultsInput): Promise<number> {
  const now = s.clock.now().getTime();
  const batches = resultSamples(input);
  for (const t of batches.keys())
    if (t < now - 86400_000 || t > now + 60_000)
      throw badRequest(`a result at ${new Date(t).toISOString()} is too far from the server's time`);
  let written = 0;
  const write = writeSamples(s);
  for (const [t, samples] of [...batches].sort((a, b) => a[0] - b[0])) {
    written += await write(t, samples);
    rememberPushed(runtime(s).pushed, samples, now);
  }
  const last = [
    { name: 'kefu_probe_runner_last_push_timestamp_seconds', labels: { runner: input.runner }, value: now / 1000 },
  ];
  await write(now, last);
  rememberPushed(runtime(s).pushed, last, now);
  return written;
}

export function remoteResultRoutes(app: FastifyInstance, s: Services): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/ops/probe-results',
    {
      config: { permission: 'installation.ops', rateLimit: { max: 600, timeWindow: '1 minute' } },
      schema: { tags: ['monitoring'], body: ProbeResultsInput, response: { 200: WrittenResponse } },
    },
    async (req) => ({ written: await recordRemoteResults(s, req.body) }),
  );
}
