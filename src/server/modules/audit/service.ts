/** The audit log: append-only, written by a listener for every domain event, read by auditors. */
import type { AuditEntry } from '../../../shared/api.ts';
import type { Ctx, Services } from '../../context.ts';
import type { DomainEvent } from '../../lib/events/index.ts';
import { newId } from '../../lib/ids.ts';
import { own, type AuditLogTable } from './schema.ts';

/** Every domain event becomes an audit entry (a listener on `*`, once per event). */
export async function record(e: DomainEvent, s: Services): Promise<void> {
  await recordMany([e], s);
}

/** The entries of several events (a storm delivered as one batch) in one statement. */
export async function recordMany(events: DomainEvent[], s: Services): Promise<void> {
  if (!events.length) return;
  await own(s.db)
    .insertInto('audit_log')
    .values(
      events.map((e) => ({
        id: newId('aud', Date.parse(e.at)),
        workspace_id: e.workspaceId,
        actor_type: e.actor.type,
        actor_id: e.actor.id,
        actor_name: e.actor.name,
        action: e.type,
        object_type: e.objectType,
        object_id: e.objectId,
        ip: e.ip,
        data: JSON.stringify(e.data),
        created_at: e.at,
      })),
    )
    .execute();
}

function toEntry(r: AuditLogTable): AuditEntry {
  return {
    id: r.id,
    actorType: r.actor_type as AuditEntry['actorType'],
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    ip: r.ip,
    data: JSON.parse(r.data) as Record<string, unknown>,
    createdAt: r.created_at,
  };
}

export type AuditFilter = { action?: string; actorId?: string; objectType?: string; before?: string; limit: number };

/** Newest first; page with `before` (the id of the last entry seen). */
export async function listAudit(ctx: Ctx, f: AuditFilter): Promise<{ items: AuditEntry[]; nextBefore: string | null }> {
  let q = own(ctx.db).selectFrom('audit_log').selectAll().where('workspace_id', '=', ctx.actor.workspaceId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.objectType) q = q.where('object_type', '=', f.objectType);
  if (f.before) q = q.where('id', '<', f.before);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const items = rows.slice(0, f.limit).map(toEntry);
  return { items, nextBefore: rows.length > f.limit ? items[items.length - 1].id : null };
}

/**
 * Retention of the audit log: deletes the workspace's entries older than `before`. The log is
 * append-only in the database; a DELETE passes only while this transaction holds the gate row
 * (migration 0015), which no other transaction can see. Returns how many entries went.
 */
export async function purgeAuditBefore(s: Pick<Services, 'db'>, workspaceId: string, before: string): Promise<number> {
  return s.db.transaction().execute(async (tx) => {
    await own(tx).insertInto('audit_purge_gate').values({ id: 1 }).execute();
    const gone = await own(tx)
      .deleteFrom('audit_log')
      .where('workspace_id', '=', workspaceId)
      .where('created_at', '<', before)
      .executeTakeFirst();
    await own(tx).deleteFrom('audit_purge_gate').execute();
    return Number(gone.numDeletedRows);
  });
}
