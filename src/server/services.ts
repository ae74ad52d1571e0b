/**
 * Builds the long-lived services from the configuration and prepares the data: the secret key,
 * migrations, the modules (their events, listeners and metrics), and (on an empty database) the
 * demo workspace with its administrator.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { Registry } from 'prom-client';
import type { Config } from './config.ts';
import { listenerScope, type Faults, type Services } from './context.ts';
import { openDb, optimize, type DbHandle } from './db/index.ts';
import { migrateToLatest } from './db/migrate.ts';
import { localBlobStore } from './lib/blobs.ts';
import { ensurePrivateDir } from './lib/data-dir.ts';
import { createBus, withPublishDelay } from './lib/bus.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createCipher, temporaryPassword, type Cipher } from './lib/crypto.ts';
import { loadKeyRing } from './keys.ts';
import { AppError } from './lib/errors.ts';
import { Events, type EventsOptions } from './lib/events/index.ts';
import { registerJobMetrics } from './lib/jobs/metrics.ts';
import { createLimiter } from './lib/limits.ts';
import { createLogger, defaultDestination, type Logger } from './lib/logger.ts';
import { OpsRecorder } from './lib/ops-records/recorder.ts';
import { modules } from './modules/registry.ts';
import { countWorkspaces } from './modules/workspaces/index.ts';
import { createWorkspaceWithOwner } from './modules/users/index.ts';
import { seedDemoContent } from './demo/seed.ts';

/** The key from config, or one generated once into the data folder (mode 0600). */
export function secretKey(config: Config): Buffer {
  if (config.secretKey) return Buffer.from(config.secretKey, 'hex');
  const file = join(config.dataDir, 'secret.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  if (config.readOnly) throw new Error(`read-only: ${file} is missing and may not be created`);
  ensurePrivateDir(config.dataDir);
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

/** The field cipher over this configuration's key ring; it re-reads the ring for a key added meanwhile. */
export function cipherFor(config: Config): Cipher {
  const root = secretKey(config);
  return createCipher(loadKeyRing(config, root), { reload: () => loadKeyRing(config, root) });
}

export type ServiceOptions = {
  clock?: Clock;
  log?: Logger;
  /** Where the logger made here writes (default: stdout); its warnings and errors also go to the ops recorder. */
  logDestination?: DestinationStream;
  pgSchema?: string;
  faults?: EventsOptions['faults'];
};

type AllFaults = { events?: EventsOptions['faults']; services?: Faults; busDelayMs?: number };

export type AppServices = Services & { handle: DbHandle };

export function createServices(config: Config, opts: ServiceOptions = {}): AppServices {
  // Every engine needs the data folder (uploads, backups, the disk check of /readyz), not only
  // SQLite or a generated key: with PostgreSQL and KEFU_SECRET_KEY nothing else would create it.
  ensurePrivateDir(config.dataDir);
  const opsRecorder = new OpsRecorder();
  opsRecorder.capturesLogs = !opts.log && config.logLevel !== 'silent';
  const log =
    opts.log ?? createLogger(config.logLevel, opts.logDestination ?? defaultDestination(), opsRecorder.logSink);
  const clock = opts.clock ?? systemClock;
  const handle = openDb({
    databaseUrl: config.databaseUrl,
    sqliteFile: join(config.dataDir, 'kefu.db'),
    pgSchema: opts.pgSchema,
    onQuery: opsRecorder.onQuery,
    readOnly: config.readOnly,
    onIdleError: (err) => log.warn({ err }, 'PostgreSQL ended an idle connection; the pool opens another'),
  });
  // A read-only process (config.readOnly) writes nothing, its ops records neither.
  if (!config.readOnly) opsRecorder.start(handle.db, (err) => log.debug({ err }, 'ops records could not be flushed'));
  const faults = faultsFromEnv();
  const bus = createBus(config.redisUrl, config.redisPrefix);
  if (faults.busDelayMs) withPublishDelay(bus, faults.busDelayMs);
  const events = new Events({ db: handle.db, bus, clock, log, faults: opts.faults ?? faults.events });
  const services: AppServices = {
    config,
    db: handle.db,
    engine: handle.engine,
    bus,
    events,
    clock,
    log,
    cipher: cipherFor(config),
    blobs: localBlobStore(config.dataDir),
    limiter: createLimiter(config.redisUrl, config.redisPrefix),
    metrics: new Registry(),
    state: new Map(),
    opsRecorder,
    handle,
    ...(faults.services ? { faults: faults.services } : {}),
  };
  for (const m of modules) {
    if (m.events) events.declare(m.events);
    for (const l of m.listeners ?? []) {
      events.listen({
        name: `${m.name}.${l.name}`,
        on: l.on,
        handle: (e, scope) => l.handle(e, listenerScope(services, scope)),
        ...(l.handleBatch && {
          handleBatch: (es, scope) => l.handleBatch!(es, listenerScope(services, scope)),
        }),
      });
    }
    m.metrics?.(services);
  }
  registerJobMetrics(services.metrics, services.db, services.clock);
  return services;
}

export async function closeServices(s: AppServices): Promise<void> {
  await s.events.stop();
  for (const m of [...modules].reverse()) await m.stop?.(s);
  await s.opsRecorder?.stop();
  // The last warnings and errors (a shutdown's are worth keeping); the timings are samples, and a
  // closing process writes no new rows of them (a restored sandbox checked against its backup stays equal).
  if (!s.config.readOnly) await s.opsRecorder?.flushLogs().catch(() => undefined);
  await s.bus.close();
  await s.limiter.close();
  await s.handle.close();
}

/**
 * Test-only crash points for the crash tests: the process kills itself with SIGKILL there.
 * KEFU_FAULT=crash-before-delivery:<event type> (committed, not delivered),
 * crash-after-listener:<listener> (a listener committed, the event not marked delivered),
 * crash-after-chat-commit (the chat writer committed a batch that wrote events; no ack, no delivery),
 * crash-during-backup:<n> (a backup wrote its n-th new chunk; no manifest).
 * Not a crash: bus-delay:<ms> delays every bus publish by a random 0–ms (publishes overtake each other).
 */
function faultsFromEnv(): AllFaults {
  const spec = process.env.KEFU_FAULT;
  if (!spec) return {};
  const [point, name] = spec.split(':');
  const die = () => process.kill(process.pid, 'SIGKILL');
  if (point === 'crash-before-delivery') return { events: { beforeDelivery: (e) => void (e.type === name && die()) } };
  if (point === 'crash-after-listener') return { events: { afterListener: (l) => void (l === name && die()) } };
  if (point === 'bus-delay') return { busDelayMs: Number(name ?? 50) || 50 };
  if (point === 'crash-after-chat-commit')
    return { services: { afterChatCommit: (ids) => void (ids.length && die()) } };
  if (point === 'crash-during-backup')
    return { services: { backupChunkWritten: (n) => void (n >= Number(name || 1) && die()) } };
  throw new Error(`KEFU_FAULT: unknown fault ${spec}`);
}

export type SeedResult = { created: false } | { created: true; email: string; password: string; generated: boolean };

/**
 * On an empty database: the demo workspace and its administrator, who is also the installation
 * owner (may create further workspaces), then each module's demo data. The password comes from
 * config or is generated.
 */
export async function seedIfEmpty(s: Services): Promise<SeedResult> {
  if (!s.config.demo || (await countWorkspaces(s)) > 0) return { created: false };
  const password = s.config.adminPassword ?? temporaryPassword();
  let created;
  try {
    created = await createWorkspaceWithOwner(s, {
      // One name in the workspace's language (it read "Demo Store 演示店铺"): the demo shop's brand.
      name: '云帆优选（演示）',
      slug: 'demo',
      timezone: 'Asia/Shanghai',
      defaultLanguage: 'zh-CN',
      admin: { email: s.config.adminEmail, name: 'Administrator', password, installationOwner: true, role: 'owner' },
    });
  } catch (err) {
    // Another node starting at the same moment seeded first.
    if (err instanceof AppError && err.status === 409) return { created: false };
    throw err;
  }
  for (const m of modules) await m.seed?.(s, { workspaceId: created.workspace.id, ownerId: created.admin.id });
  if (s.config.demoData)
    await seedDemoContent(s, {
      workspaceId: created.workspace.id,
      ownerId: created.admin.id,
      email: s.config.adminEmail,
      password,
    });
  return { created: true, email: s.config.adminEmail, password, generated: !s.config.adminPassword };
}

/** Migrations then seed: what every start does before serving (nothing when read-only). */
export async function prepare(s: Services): Promise<{ applied: string[]; seed: SeedResult }> {
  // A read-only instance serves the data as it is: pending migrations show on /readyz.
  if (s.config.readOnly) return { applied: [], seed: { created: false } };
  const applied = await migrateToLatest(s.db);
  await optimize(s.db);
  const seed = await seedIfEmpty(s);
  return { applied, seed };
}
