/**
 * Surge mode (issue #15 item 4): per workspace, on by hand, by schedule, by the promotion calendar
 * (the incidents module's contract: 618, Double 11, Double 12), or while the queue is long, with
 * hysteresis. While on: the bot answers first where it is turned on (bot module's surge probe,
 * set by routing's index.ts: the bot imports nothing of routing), shoppers waiting see the surge
 * notice, and the deferred inboxes are served after every other. A change of state is written by
 * compare-and-set from the state read, so with several nodes evaluating it is announced once
 * (`routing.surge_changed`, in the audit log like every event).
 */
import { sql } from 'kysely';
import { SurgeSettings, type SurgeState } from '../../../shared/routing-api.ts';
import { publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { contractOf } from '../incidents/index.ts';
import { inboxNames } from '../inboxes/index.ts';
import { own, type RoutingSurgeTable } from './schema.ts';

type Db = { db: Executor };
export const defaultSurge: SurgeSettings = SurgeSettings.parse({});

export type Decision = { active: boolean; reason: string | null; promotion: string | null };
export type Window = { name?: string; start: number; end: number };

/** Pure: whether surge should be on now, and why. `queueLength` is read only up to what the thresholds need. */
export function decideSurge(
  settings: SurgeSettings,
  now: number,
  queueLength: number,
  was: { active: boolean; reason: string | null },
  promotions: readonly Window[],
): Decision {
  if (settings.mode === 'on') return { active: true, reason: 'manual', promotion: null };
  if (settings.mode === 'off') return { active: false, reason: null, promotion: null };
  if (settings.schedule.some((w) => Date.parse(w.start) <= now && now < Date.parse(w.end)))
    return { active: true, reason: 'schedule', promotion: null };
  if (settings.promotions) {
    const p = promotions.find((w) => w.start <= now && now < w.end);
    if (p) return { active: true, reason: 'promotion', promotion: p.name ?? null };
  }
  if (settings.queueAbove !== null) {
    if (queueLength >= settings.queueAbove) return { active: true, reason: 'queue', promotion: null };
    const below = settings.queueBelow ?? Math.floor(settings.queueAbove / 2);
    if (was.active && was.reason === 'queue' && queueLength > below)
      return { active: true, reason: 'queue', promotion: null };
  }
  return { active: false, reason: null, promotion: null };
}

async function row(s: Db, workspaceId: string): Promise<RoutingSurgeTable | undefined> {
  return own(s.db).selectFrom('routing_surge').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
}

const settingsOf = (r: RoutingSurgeTable | undefined): SurgeSettings =>
  r ? SurgeSettings.parse(JSON.parse(r.settings)) : defaultSurge;

/** Whether surge mode is on in the workspace (one primary-key read; no row: never set up, off). */
export async function surgeActive(s: Db, workspaceId: string): Promise<boolean> {
  const r = await own(s.db)
    .selectFrom('routing_surge')
    .select('active')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return !!r?.active;
}

/** The surge state for the assigner and the queue notices: on?, the notice, the deferred inboxes. */
export async function surgeNow(
  s: Db,
  workspaceId: string,
): Promise<{ active: boolean; notice: string; defer: string[] } | null> {
  const r = await row(s, workspaceId);
  if (!r?.active) return null;
  const st = settingsOf(r);
  return { active: true, notice: st.notice, defer: st.deferInboxes };
}

/** Waiting chats, counted only as far as the thresholds need (an index range, not the whole queue). */
async function queueLength(s: Db, workspaceId: string, upTo: number): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from (select 1 from routing_items
    where workspace_id = ${workspaceId} and state = 'queued' and kind = 'chat' limit ${upTo}) q`.execute(s.db);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Evaluates surge mode for the workspace and records a change (compare-and-set: another node that
 * changed it meanwhile wins and this one announces nothing). Returns whether it is on.
 */
export async function evaluateSurge(s: Services, workspaceId: string): Promise<boolean> {
  const r = await row(s, workspaceId);
  if (!r) return false;
  const settings = settingsOf(r);
  const now = s.clock.now();
  const need = settings.queueAbove === null ? 0 : settings.queueAbove + 1;
  const length = need ? await queueLength(s, workspaceId, need) : 0;
  const promotions = settings.mode === 'auto' && settings.promotions ? await promotionsOf(s, workspaceId) : [];
  const reasonOf = (x: string | null) => (x?.startsWith('promotion') ? 'promotion' : x);
  const d = decideSurge(
    settings,
    now.getTime(),
    length,
    { active: !!r.active, reason: reasonOf(r.reason) },
    promotions,
  );
  const reason = d.reason === 'promotion' && d.promotion ? `promotion:${d.promotion}` : d.reason;
  if (d.active === !!r.active && reason === r.reason) return d.active;
  await unitOfWork(s, async (s) => {
    const at = now.toISOString();
    const res = await own(s.db)
      .updateTable('routing_surge')
      .set({ active: d.active ? 1 : 0, reason, since: at, updated_at: at })
      .where('workspace_id', '=', workspaceId)
      .where('active', '=', r.active)
      .where(sql<boolean>`coalesce(reason, '') = ${r.reason ?? ''}`)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return;
    await publish(s, 'routing.surge_changed', workspaceId, 'routing_surge', workspaceId, {
      active: d.active,
      reason: d.reason,
      promotion: d.promotion,
      queueLength: length,
    });
  });
  return d.active;
}

async function promotionsOf(s: Services, workspaceId: string): Promise<Window[]> {
  try {
    return (await contractOf(s, workspaceId)).contract.promotions;
  } catch {
    return []; // a contract that does not parse turns nothing on (its page says what is wrong)
  }
}

/** Every node evaluates at most this often per workspace after queue changes (the minute tick catches the rest). */
const throttleMs = 3000;
const lastCheck = new Map<string, number>();

/** After a change to the queue: evaluate when thresholds are set and the last check is old enough. */
export async function maybeEvaluateSurge(s: Services, workspaceId: string): Promise<void> {
  const now = Date.now();
  if (now - (lastCheck.get(workspaceId) ?? 0) < throttleMs) return;
  lastCheck.set(workspaceId, now);
  if (lastCheck.size > 10_000) lastCheck.clear();
  await evaluateSurge(s, workspaceId);
}

/** The minute tick: every workspace that set surge mode up (schedule windows and promotions start without any arrival). */
export async function surgeTick(s: Services): Promise<void> {
  const rows = await own(s.db).selectFrom('routing_surge').select('workspace_id').execute();
  for (const r of rows) await evaluateSurge(s, r.workspace_id);
}

export async function surgeState(s: Db, workspaceId: string): Promise<SurgeState> {
  const r = await row(s, workspaceId);
  const settings = settingsOf(r);
  const names = settings.deferInboxes.length ? await inboxNames(s, workspaceId) : new Map<string, string>();
  const reason = r?.reason ?? null;
  return {
    active: !!r?.active,
    reason: reason?.startsWith('promotion') ? 'promotion' : reason,
    promotion: reason?.startsWith('promotion:') ? reason.slice('promotion:'.length) : null,
    since: r?.since ?? null,
    settings,
    deferInboxNames: settings.deferInboxes.map((id) => names.get(id) ?? id),
  };
}

/** A supervisor saves the settings (audited); the state is evaluated at once. */
export async function saveSurge(ctx: Ctx, settings: SurgeSettings): Promise<SurgeState> {
  const ws = ctx.actor.workspaceId;
  const now = ctx.clock.now().toISOString();
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db)
      .insertInto('routing_surge')
      .values({
        workspace_id: ws,
        settings: JSON.stringify(settings),
        active: 0,
        reason: null,
        since: null,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('workspace_id').doUpdateSet({ settings: JSON.stringify(settings), updated_at: now }),
      )
      .execute();
    await publish(ctx, 'routing.surge_saved', ws, 'routing_surge', ws, {
      mode: settings.mode,
      queueAbove: settings.queueAbove,
      queueBelow: settings.queueBelow,
      promotions: settings.promotions,
      windows: settings.schedule.length,
      deferInboxes: settings.deferInboxes.length,
    });
  });
  await evaluateSurge(ctx, ws);
  return surgeState(ctx, ws);
}
