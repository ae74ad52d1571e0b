/**
 * Builds the long-lived services from the configuration and prepares the data: the secret key,
 * migrations, and (on an empty database) the demo workspace with its administrator.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';
import type { Services } from './context.ts';
import { openDb, type DbHandle } from './db/index.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createBus } from './lib/bus.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createCipher, temporaryPassword } from './lib/crypto.ts';
import { AppError } from './lib/errors.ts';
import { Events } from './lib/events.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import { Registry } from 'prom-client';
import { localBlobStore } from './lib/blobs.ts';
import { registerAuditListener } from './modules/audit/index.ts';
import { createMessageWriter, pgStore, sqliteWorkerStore } from './modules/conversations/index.ts';
import { registerTicketListeners, registerTicketMetrics } from './modules/tickets/index.ts';
import { countWorkspaces, insertWorkspace } from './modules/workspaces/index.ts';

/** The key from config, or one generated once into the data folder (mode 0600). */
export function secretKey(config: Config): Buffer {
  if (config.secretKey) return Buffer.from(config.secretKey, 'hex');
  const file = join(config.dataDir, 'secret.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

export type ServiceOptions = { clock?: Clock; log?: Logger; pgSchema?: string };

export type AppServices = Services & { handle: DbHandle; closeWriter(): Promise<void> };

export function createServices(config: Config, opts: ServiceOptions = {}): AppServices {
  const log = opts.log ?? createLogger(config.logLevel);
  const sqliteFile = join(config.dataDir, 'kefu.db');
  const handle = openDb({ databaseUrl: config.databaseUrl, sqliteFile, pgSchema: opts.pgSchema });
  const bus = createBus(config.redisUrl);
  const events = new Events(bus, log);
  registerAuditListener(events, handle.db);
  const metrics = new Registry();
  const messages = createMessageWriter(
    () => (handle.engine === 'sqlite' ? sqliteWorkerStore(sqliteFile) : pgStore(handle.db)),
    metrics,
  );
  const services: AppServices = {
    config,
    db: handle.db,
    engine: handle.engine,
    bus,
    events,
    clock: opts.clock ?? systemClock,
    log,
    cipher: createCipher(secretKey(config)),
    blobs: localBlobStore(config.dataDir),
    metrics,
    handle,
    messages,
    closeWriter: () => messages.close(),
  };
  registerTicketListeners(events, services);
  registerTicketMetrics(services, events);
  return services;
}

export async function closeServices(s: Services & { handle: DbHandle; closeWriter(): Promise<void> }): Promise<void> {
  await s.closeWriter();
  await s.bus.close();
  await s.handle.close();
}

export type SeedResult = { created: false } | { created: true; email: string; password: string; generated: boolean };

/**
 * On an empty database: the demo workspace and its administrator, who is also the installation
 * owner (may create further workspaces). The password comes from config or is generated.
 */
export async function seedIfEmpty(s: Services): Promise<SeedResult> {
  if (!s.config.demo || (await countWorkspaces(s.db)) > 0) return { created: false };
  const password = s.config.adminPassword ?? temporaryPassword();
  try {
    await insertWorkspace(s.db, s.clock.now(), {
      name: 'Demo Store 演示店铺',
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
  return { created: true, email: s.config.adminEmail, password, generated: !s.config.adminPassword };
}

/** Migrations then seed: what every start does before serving. */
export async function prepare(s: Services): Promise<{ applied: string[]; seed: SeedResult }> {
  const applied = await migrateToLatest(s.db);
  const seed = await seedIfEmpty(s);
  return { applied, seed };
}
