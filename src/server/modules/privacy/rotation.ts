/**
 * Key rotation: every stored encrypted value resealed under the current key, target after target
 * (each module's own tables through its exported batch function), a batch at a time. The cursor is
 * saved after each batch in `key_rotations`, so an interrupted rotation resumes where it stopped;
 * resealing is idempotent (a value already under the current key is left alone), and a row edited
 * meanwhile keeps the edit. Old keys stay in the ring: values written by a process that has not
 * loaded the new key yet are resealed by running the rotation again.
 */
import type { Services } from '../../context.ts';
import { newId } from '../../lib/ids.ts';
import type { ResealBatch } from '../../lib/reseal.ts';
import { resealBackupTargets } from '../backups/index.ts';
import { resealLlmSettings } from '../bot/index.ts';
import { resealCustomers } from '../customers/index.ts';
import { resealIncidentChannels } from '../incidents/index.ts';
import { resealInboxes } from '../inboxes/index.ts';
import { resealVapid } from '../notifications/index.ts';
import { resealOrders, resealStoreSettings } from '../store/index.ts';
import { resealTicketEvents, resealTickets } from '../tickets/index.ts';
import { resealUsers } from '../users/index.ts';
import { own } from './schema.ts';

type Scope = Pick<Services, 'db' | 'cipher' | 'clock'>;
type Target = {
  name: string;
  /** The module whose tables it reseals. */
  module: string;
  batch(s: Scope, after: string | null, limit: number): Promise<ResealBatch>;
};

export const resealTargets: readonly Target[] = [
  { name: 'customers', module: 'customers', batch: resealCustomers },
  { name: 'users', module: 'users', batch: resealUsers },
  { name: 'inboxes', module: 'inboxes', batch: resealInboxes },
  { name: 'tickets', module: 'tickets', batch: resealTickets },
  { name: 'ticket_events', module: 'tickets', batch: resealTicketEvents },
  { name: 'store_orders', module: 'store', batch: resealOrders },
  { name: 'store_settings', module: 'store', batch: resealStoreSettings },
  { name: 'backup_targets', module: 'backups', batch: resealBackupTargets },
  { name: 'incident_channels', module: 'incidents', batch: resealIncidentChannels },
  { name: 'push_vapid', module: 'notifications', batch: resealVapid },
  { name: 'bot_llm_settings', module: 'bot', batch: resealLlmSettings },
];

export type RotationProgress = {
  /** Index into the targets; equal to their count when done. */
  target: number;
  cursor: string | null;
  scanned: number;
  resealed: number;
};
export type Rotation = {
  id: string;
  keyVersion: number;
  status: 'running' | 'done' | 'superseded';
  progress: RotationProgress & { targetName: string | null; targets: number };
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
};

function toRotation(r: {
  id: string;
  key_id: number;
  status: string;
  progress: string;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
}): Rotation {
  const p = JSON.parse(r.progress) as RotationProgress;
  return {
    id: r.id,
    keyVersion: r.key_id,
    status: r.status as Rotation['status'],
    progress: { ...p, targetName: resealTargets[p.target]?.name ?? null, targets: resealTargets.length },
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

/** The newest rotation, or null. */
export async function latestRotation(s: Pick<Services, 'db'>): Promise<Rotation | null> {
  const r = await own(s.db).selectFrom('key_rotations').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r ? toRotation(r) : null;
}

/**
 * Runs (or resumes) the rotation to the current key. `maxBatches` stops early (as an interruption
 * would), leaving it running; `onProgress` is told after every batch.
 */
export async function rotateKeys(
  s: Scope,
  opts: { batch?: number; maxBatches?: number; onProgress?: (r: Rotation) => void } = {},
): Promise<Rotation> {
  const limit = opts.batch ?? 500;
  const now = () => s.clock.now().toISOString();
  let row = await own(s.db)
    .selectFrom('key_rotations')
    .selectAll()
    .where('status', '=', 'running')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (row && row.key_id !== s.cipher.currentVersion) {
    // The current key changed since: that run's work is part of the new one.
    await own(s.db).updateTable('key_rotations').set({ status: 'superseded', updated_at: now() }).execute();
    row = undefined;
  }
  if (!row) {
    row = {
      id: newId('rot'),
      key_id: s.cipher.currentVersion,
      status: 'running',
      progress: JSON.stringify({ target: 0, cursor: null, scanned: 0, resealed: 0 } satisfies RotationProgress),
      started_at: now(),
      updated_at: now(),
      finished_at: null,
    };
    await own(s.db).insertInto('key_rotations').values(row).execute();
  }
  const id = row.id;
  const p = JSON.parse(row.progress) as RotationProgress;
  let batches = 0;
  while (p.target < resealTargets.length) {
    if (opts.maxBatches !== undefined && batches >= opts.maxBatches) break;
    const done = await resealTargets[p.target].batch(s, p.cursor, limit);
    batches++;
    p.scanned += done.scanned;
    p.resealed += done.resealed;
    if (done.scanned < limit) Object.assign(p, { target: p.target + 1, cursor: null });
    else p.cursor = done.last;
    const finished = p.target >= resealTargets.length;
    await own(s.db)
      .updateTable('key_rotations')
      .set({
        progress: JSON.stringify(p),
        updated_at: now(),
        ...(finished ? { status: 'done', finished_at: now() } : {}),
      })
      .where('id', '=', id)
      .execute();
    opts.onProgress?.((await latestRotation(s))!);
  }
  return (await latestRotation(s))!;
}
