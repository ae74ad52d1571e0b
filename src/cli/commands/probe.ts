/**
 * `kefu probe run --config FILE`: runs the probes of an ops document from another machine and
 * pushes each round's results to the server (`POST /api/ops/probe-results`, with an API token that
 * holds `installation.ops`), so an outside view of the installation exists; when the server
 * itself cannot be reached, the runner says so on every round (and `--once` exits 1). Push probes
 * are the server's own and are skipped. The file is the `kefu ops apply` document, plus an optional
 * `runner: { name, server, token }`.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { parseDuration, type ProbeInput, type ProbeResultsInput } from '../../shared/ops-api.ts';
import { runCheck } from '../../server/modules/monitoring/checks.ts';
import { validateOpsConfig } from '../../server/modules/monitoring/index.ts';
import type { CliIo } from '../io.ts';

type RunOptions = { config?: string; server?: string; token?: string; runner?: string; once?: boolean };
type Result = ProbeResultsInput['results'][number];

/** Reads the document: its probes (push probes left out) and the runner settings. */
function readRunnerFile(
  file: string,
  io: CliIo,
): { probes: ProbeInput[]; runner: { name?: string; server?: string; token?: string } } | null {
  let doc: Record<string, unknown>;
  try {
    doc = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  } catch (err) {
    io.err(`${file}: ${(err as Error).message.split('\n')[0]}\n`);
    return null;
  }
  const { runner, ...rest } = doc;
  const { config, problems } = validateOpsConfig(rest);
  if (!config) {
    for (const p of problems) io.err(`${file}: ${p}\n`);
    return null;
  }
  const r = (runner ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return {
    probes: config.probes.filter((p) => p.type !== 'push' && p.enabled),
    runner: { name: str(r.name), server: str(r.server), token: str(r.token) },
  };
}

async function push(server: string, token: string, body: ProbeResultsInput): Promise<string | null> {
  try {
    const res = await fetch(new URL('/api/ops/probe-results', server), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    if (res.ok) return null;
    const text = await res.text();
    return `the server answered ${res.status}: ${text.slice(0, 300)}`;
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return `the server is unreachable (${cause?.code ?? cause?.message ?? (err as Error).message})`;
  }
}

async function check(p: ProbeInput): Promise<Result> {
  const at = new Date().toISOString();
  const r = await runCheck(p, null, Date.now());
  return {
    probe: p.name,
    ...(p.component ? { component: p.component } : {}),
    at,
    ok: r.ok,
    durationMs: Math.round(r.durationMs * 10) / 10,
    ...(r.statusCode !== undefined ? { statusCode: r.statusCode } : {}),
    ...(r.certExpiresAt ? { certExpiresAt: r.certExpiresAt } : {}),
    ...(r.error ? { error: r.error.slice(0, 300) } : {}),
  };
}

export function probeCommands(program: Command, io: CliIo): void {
  const probe = program.command('probe').description('probes from another machine');
  probe
    .command('run')
    .description("run an ops document's probes here and push the results to the server")
    .option(
      '--config <file>',
      'the ops document (YAML or JSON) with the probes; may hold runner: {name, server, token}',
    )
    .option('--server <url>', 'the Kefu server to push to (else runner.server)')
    .option('--token <token>', 'an API token with installation.ops (else KEFU_PROBE_TOKEN, else runner.token)')
    .option('--runner <name>', 'this runner in the series (label runner; else runner.name, else the host name)')
    .option('--once', 'one round of every probe, then exit (1 when the push failed)')
    .action(async (o: RunOptions, cmd: Command) => {
      // `--config` is also the program's option (the server's config file): either place holds it.
      const file = o.config ?? cmd.optsWithGlobals<{ config?: string }>().config;
      if (!file) {
        io.err('kefu probe run: --config <file> is required\n');
        io.exitCode = 2;
        return;
      }
      const read = readRunnerFile(resolve(io.cwd, file), io);
      if (!read) return void (io.exitCode = 2);
      const server = o.server ?? read.runner.server;
      const token = o.token ?? io.env.KEFU_PROBE_TOKEN ?? read.runner.token;
      const runner = o.runner ?? read.runner.name ?? hostname();
      if (!server || !token) {
        io.err(
          'kefu probe run: give the server (--server or runner.server) and a token (--token, KEFU_PROBE_TOKEN or runner.token)\n',
        );
        io.exitCode = 2;
        return;
      }
      if (!read.probes.length) {
        io.err(`${file}: no probes to run (push probes are the server's)\n`);
        io.exitCode = 2;
        return;
      }
      const round = async (due: ProbeInput[]) => {
        const results = await Promise.all(due.map(check));
        for (const r of results)
          io.out(`${r.at} ${r.probe} ${r.ok ? 'up' : 'down'} ${r.durationMs} ms${r.error ? ` (${r.error})` : ''}\n`);
        const failed = await push(server, token, { runner, results });
        if (failed) io.err(`${new Date().toISOString()} push failed: ${failed}\n`);
        return !failed;
      };
      if (o.once) {
        if (!(await round(read.probes))) io.exitCode = 1;
        return;
      }
      io.out(`running ${read.probes.length} probes as ${runner}, pushing to ${server} (Ctrl-C stops)\n`);
      const next = new Map(read.probes.map((p) => [p.name, 0]));
      let stopped = false;
      const stop = () => void (stopped = true);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      while (!stopped) {
        const now = Date.now();
        const due = read.probes.filter((p) => next.get(p.name)! <= now);
        for (const p of due) next.set(p.name, now + parseDuration(p.interval));
        if (due.length) await round(due);
        await new Promise((r) => setTimeout(r, 250));
      }
    });
}
