/**
 * Writes stopped for a restore over live data. `kefu restore --force` writes one row into the live
 * database; every server on that database then answers writes (HTTP requests other than
 * GET/HEAD/OPTIONS, chat sends and read receipts over /ws) with 503 `writes_stopped` and its job
 * workers claim nothing. Servers read the row at most `writeStopCacheMs` late, so the restore waits
 * `writeStopGraceMs` after writing it before it takes its safety backup.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { AppError } from '../../lib/errors.ts';
import { own } from './schema.ts';

export type WriteStop = { reason: string; stoppedAt: string };

export const writeStopCacheMs = 1000;
/** How long a restore waits after stopping writes: every server has seen the row, requests in flight are done. */
export const writeStopGraceMs = 2 * writeStopCacheMs + 500;

const id = 'installation';

export async function stopWrites(db: Executor, reason: string, now: Date): Promise<void> {
  await own(db).deleteFrom('backup_write_stop').where('id', '=', id).execute();
  await own(db).insertInto('backup_write_stop').values({ id, reason, stopped_at: now.toISOString() }).execute();
}

export async function resumeWrites(db: Executor): Promise<void> {
  await own(db).deleteFrom('backup_write_stop').where('id', '=', id).execute();
}

export async function readWriteStop(db: Executor): Promise<WriteStop | null> {
  const row = await own(db).selectFrom('backup_write_stop').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? { reason: row.reason, stoppedAt: row.stopped_at } : null;
}

type Cached = { at: number; value: WriteStop | null; pending?: Promise<WriteStop | null> };

/** This process's last read of the write stop while it is at most `writeStopCacheMs` old; else undefined. */
function cachedWriteStop(s: Pick<Services, 'state'>): WriteStop | null | undefined {
  const c = s.state.get('backups.writeStop') as Cached | undefined;
  return c && performance.now() - c.at < writeStopCacheMs ? c.value : undefined;
}

/** The write stop as this process last read it (at most `writeStopCacheMs` old). */
export async function writesStopped(s: Pick<Services, 'db' | 'state'>): Promise<WriteStop | null> {
  const cached = cachedWriteStop(s);
  if (cached !== undefined) return cached;
  let entry = s.state.get('backups.writeStop') as Cached | undefined;
  if (!entry) s.state.set('backups.writeStop', (entry = { at: -Infinity, value: null }));
  entry.pending ??= readWriteStop(s.db).then(
    (value) => {
      Object.assign(entry, { at: performance.now(), value, pending: undefined });
      return value;
    },
    (err: unknown) => {
      entry.pending = undefined;
      throw err;
    },
  );
  return entry.pending;
}

export function writesStoppedError(stop: WriteStop): AppError {
  return new AppError(
    503,
    'writes_stopped',
    `writes are stopped since ${stop.stoppedAt}: ${stop.reason}; reading still works`,
  );
}

/** A read-only instance (`readOnly`: a drill's sandbox) refuses every write. */
export function readOnlyError(): AppError {
  return new AppError(503, 'read_only', 'this Kefu instance is read-only (readOnly is set): writes are refused');
}

/** Throws 503 `writes_stopped` while a restore over this data runs, `read_only` on a read-only instance (the realtime gateway's writes). */
export async function assertWritesAllowed(
  s: Pick<Services, 'db' | 'state'> & { config?: Services['config'] },
): Promise<void> {
  const now = writeRefusalNow(s);
  if (now) throw now;
  if (now === undefined) {
    const stop = await writesStopped(s);
    if (stop) throw writesStoppedError(stop);
  }
}

/**
 * What `assertWritesAllowed` would throw, decided now from this process's cached row: the error,
 * null when writes are allowed, or undefined when the cache is older than `writeStopCacheMs`
 * (then await `assertWritesAllowed`). The chat gateway asks this for every send: no promise in
 * the common case.
 */
export function writeRefusalNow(
  s: Pick<Services, 'state'> & { config?: Services['config'] },
): AppError | null | undefined {
  if (s.config?.readOnly) return readOnlyError();
  const stop = cachedWriteStop(s);
  return stop ? writesStoppedError(stop) : stop;
}

const reads = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Every write request to the API answers 503 while writes are stopped, and always on a read-only instance. */
export function installWriteStop(app: FastifyInstance, s: Services): void {
  app.addHook('onRequest', async (req, reply) => {
    if (reads.has(req.method) || !req.url.startsWith('/api/')) return;
    if (s.config.readOnly) throw readOnlyError();
    const stop = await writesStopped(s);
    if (stop) {
      reply.header('retry-after', '60');
      throw writesStoppedError(stop);
    }
  });
}
