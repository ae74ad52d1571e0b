/**
 * config → services → migrate → seed → start the selected roles (web, realtime, worker,
 * scheduler). Stops cleanly on SIGINT/SIGTERM: stop taking requests, finish running jobs, close.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { nodeNameOf, type Config } from './config.ts';
import type { Services } from './context.ts';
import { startMetricsServer } from './http/metrics.ts';
import { optimize } from './db/index.ts';
import { JobWorker } from './lib/jobs/worker.ts';
import { registerMailJobs } from './lib/mailer.ts';
import { Scheduler, type Schedule } from './lib/jobs/scheduler.ts';
import { modules } from './modules/registry.ts';
import { writesStopped } from './modules/backups/index.ts';
import { closeServices, createServices, prepare, type SeedResult, type ServiceOptions } from './services.ts';

export type Running = { app: FastifyInstance | null; url: string | null; stop(): Promise<void> };

/** Infrastructure schedules besides the modules': delivered events pruned, planner statistics refreshed, hourly. */
const coreSchedules: Schedule[] = [
  { name: 'events.prune', cron: '41 * * * *', jobType: 'events.prune' },
  { name: 'db.optimize', cron: '17 * * * *', jobType: 'db.optimize' },
];

/** Every job handler: the modules', mail, and the outbox's pruning. */
export function registerJobs(worker: JobWorker, s: Services): void {
  for (const m of modules)
    for (const [type, run] of Object.entries(m.jobs ?? {})) worker.register(type, (job) => run(job, s));
  registerMailJobs(worker, s);
  worker.register('events.prune', async () => void (await s.events.prune(3600_000)));
  worker.register('db.optimize', () => optimize(s.db));
}

/**
 * Every schedule. Without a configuration (a test picking one schedule) those that follow it
 * (the backups', in `backupTimeZone`) are left out.
 */
export const allSchedules = (config?: Config): Schedule[] => [
  ...coreSchedules,
  ...modules.flatMap((m) =>
    typeof m.schedules === 'function' ? (config ? m.schedules(config) : []) : (m.schedules ?? []),
  ),
];

/**
 * What a person needs after `npm start`, in plain text: where the console and the demo shop are,
 * and how to sign in (the generated password only the first time: it is stored hashed).
 */
export function banner(url: string, config: Config, seed: SeedResult): string[] {
  const base = config.publicUrl ?? url.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  const lines = [
    '',
    `  Kefu is running: ${base}  (roles: ${config.roles.join(', ')}${config.readOnly ? '; READ-ONLY' : ''})`,
    `    Console:    ${base}/`,
  ];
  if (config.demo && config.roles.includes('web'))
    lines.push(`    Demo shop:  ${base}/demo   (chat with yourself there, answer in the console)`);
  if (seed.created) {
    lines.push(`    Sign in:    ${seed.email}`);
    lines.push(
      seed.generated
        ? `    Password:   ${seed.password}   (shown only this once; change it after signing in)`
        : '    Password:   the one in KEFU_ADMIN_PASSWORD',
    );
  } else if (config.demo) {
    lines.push(`    Sign in:    ${config.adminEmail}   (password: the one printed at the first start)`);
  }
  if (!config.backupKey)
    lines.push('    Backups:    OFF (no backup key; create one with `kefu backup key init`, set KEFU_BACKUP_KEY)');
  lines.push('');
  return lines;
}

export async function startKefu(
  config: Config,
  opts: ServiceOptions & { print?: (line: string) => void } = {},
): Promise<Running> {
  const started = performance.now();
  const s = createServices(config, opts);
  const print = opts.print ?? ((line: string) => process.stdout.write(line + '\n'));
  const { applied, seed } = await prepare(s);
  if (applied.length) s.log.info({ applied }, 'migrations applied');
  let app: FastifyInstance | null = null;
  let url: string | null = null;
  if (config.roles.includes('web') || config.roles.includes('realtime')) {
    app = await buildApp(s, {
      serveConsole: config.roles.includes('web'),
      realtime: config.roles.includes('realtime'),
    });
    url = await app.listen({ port: config.port, host: config.host });
  }
  // Any role may serve it there, so worker-only nodes can be scraped too.
  const metricsServer = config.metricsPort
    ? await startMetricsServer(s.metrics, {
        port: config.metricsPort,
        host: config.host,
        token: config.metricsToken,
        labels: { node: nodeNameOf(config) },
      })
    : null;
  let worker: JobWorker | null = null;
  // Read-only (a drill's sandbox): no jobs, schedules or modules' start-up work, which all write.
  const active = !config.readOnly;
  if (active && config.roles.includes('worker')) {
    worker = new JobWorker({
      db: s.db,
      clock: s.clock,
      log: s.log,
      pollMs: config.workerPollMs,
      paused: async () => !!(await writesStopped(s)),
    });
    registerJobs(worker, s);
    worker.start();
    // Events left undelivered (a crash, a failing listener, another node's commit) are picked up here.
    s.events.start();
  }
  let scheduler: Scheduler | null = null;
  if (active && config.roles.includes('scheduler')) {
    scheduler = new Scheduler({ db: s.db, clock: s.clock, log: s.log });
    scheduler.start(allSchedules(config));
  }
  if (active) for (const m of modules) await m.start?.(s, config.roles, { url });
  s.log.info(
    {
      roles: config.roles,
      database: s.handle.describe,
      bus: s.bus.kind,
      url,
      startupMs: Math.round(performance.now() - started),
    },
    'kefu started',
  );
  // One write, so a reader of the pipe sees the whole banner at once.
  if (url) print(banner(url, config, seed).join('\n'));

  let stopping: Promise<void> | undefined;
  return {
    app,
    url,
    stop: () =>
      (stopping ??= (async () => {
        scheduler?.stop();
        await new Promise((r) => (metricsServer ? metricsServer.close(r) : r(null)));
        await app?.close();
        await worker?.stop();
        await closeServices(s);
      })()),
  };
}
