/**
 * Retention rules: how many days each kind of data is kept, per workspace (no rule: forever), and
 * the purge job that applies them. Kinds are registered (`registerRetentionKind`), so a module that
 * adds a kind of data (the monitoring module's metrics) adds its purge without changing this file.
 * Each purge that removed something is announced (`retention.purged`), so the audit log records it.
 */
import type { RetentionRules } from '../../../shared/privacy-api.ts';
import { publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import { badRequest } from '../../lib/errors.ts';
import { own } from './schema.ts';

export type RetentionKind = {
  kind: string;
  /** The shortest retention allowed (e.g. the audit log: a year). */
  minDays: number;
  /** Deletes (or empties) the workspace's data of this kind older than `before`; returns how many items. */
  purge(s: Services, workspaceId: string, before: string): Promise<number>;
};

const kinds = new Map<string, RetentionKind>();

/** Adds a kind of data to the retention rules (once per kind; called when a module is loaded). */
export function registerRetentionKind(k: RetentionKind): void {
  if (kinds.has(k.kind) && kinds.get(k.kind) !== k) throw new Error(`retention kind ${k.kind} registered twice`);
  kinds.set(k.kind, k);
}

export const retentionKinds = (): RetentionKind[] => [...kinds.values()];

export async function getRetention(ctx: Ctx): Promise<RetentionRules> {
  const rows = await own(ctx.db)
    .selectFrom('retention_rules')
    .select(['kind', 'days'])
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .execute();
  const rules: Record<string, number | null> = {};
  for (const k of kinds.values()) rules[k.kind] = rows.find((r) => r.kind === k.kind)?.days ?? null;
  return { kinds: retentionKinds().map((k) => ({ kind: k.kind, minDays: k.minDays })), rules };
}

/** Sets the given kinds' rules (null: keep forever); unknown kinds and too short periods are refused. */
export async function saveRetention(ctx: Ctx, rules: Record<string, number | null>): Promise<RetentionRules> {
  for (const [kind, days] of Object.entries(rules)) {
    const k = kinds.get(kind);
    if (!k) throw badRequest(`unknown kind of data ${kind}; known: ${[...kinds.keys()].join(', ')}`);
    if (days !== null && days < k.minDays) throw badRequest(`${kind} must be kept at least ${k.minDays} days`);
  }
  const ws = ctx.actor.workspaceId;
  await unitOfWork(ctx, async (ctx) => {
    for (const [kind, days] of Object.entries(rules)) {
      await own(ctx.db).deleteFrom('retention_rules').where('workspace_id', '=', ws).where('kind', '=', kind).execute();
      if (days !== null)
        await own(ctx.db)
          .insertInto('retention_rules')
          .values({ workspace_id: ws, kind, days, updated_at: ctx.clock.now().toISOString() })
          .execute();
    }
    await publish(ctx, 'retention.saved', ws, 'retention', null, { rules });
  });
  return getRetention(ctx);
}

/** The purge job: every workspace's rules, each kind once; returns what was purged per kind. */
export async function purgeExpired(s: Services): Promise<Record<string, number>> {
  const rules = await own(s.db)
    .selectFrom('retention_rules')
    .selectAll()
    .orderBy('workspace_id')
    .orderBy('kind')
    .execute();
  const done: Record<string, number> = {};
  for (const r of rules) {
    const k = kinds.get(r.kind);
    if (!k) continue; // a kind whose module is gone
    const days = Math.max(r.days, k.minDays);
    const before = new Date(s.clock.now().getTime() - days * 86_400_000).toISOString();
    const purged = await k.purge(s, r.workspace_id, before);
    done[r.kind] = (done[r.kind] ?? 0) + purged;
    if (purged > 0)
      await publish(s, 'retention.purged', r.workspace_id, 'retention', r.kind, { kind: r.kind, days, purged });
  }
  return done;
}

/** The demo workspace keeps conversations a year, files half a year and the audit log two years. */
export async function seedRetention(s: Services, target: { workspaceId: string }): Promise<void> {
  const now = s.clock.now().toISOString();
  const rules = { conversations: 365, attachments: 180, audit: 730 };
  await own(s.db)
    .insertInto('retention_rules')
    .values(
      Object.entries(rules).map(([kind, days]) => ({ workspace_id: target.workspaceId, kind, days, updated_at: now })),
    )
    .onConflict((oc) => oc.columns(['workspace_id', 'kind']).doNothing())
    .execute();
}
