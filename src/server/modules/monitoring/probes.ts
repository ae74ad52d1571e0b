/**
 * Probes as stored: the definition (what `ops apply`, the API and the console give, by name) and
 * the state the runner keeps (up / pending / down with the failures in a row, the last check).
 * Saving a definition never resets the state.
 */
import { ProbeInput, parseDuration } from '../../../shared/ops-api.ts';
import type { Executor } from '../../db/index.ts';
import { randomToken } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import type { CheckResult } from './checks.ts';
import { own, type MonitoringProbesTable } from './schema.ts';

export type ProbeStatus = 'unknown' | 'up' | 'pending' | 'down';

export type ProbeView = {
  id: string;
  name: string;
  type: ProbeInput['type'];
  definition: ProbeInput;
  component: string | null;
  enabled: boolean;
  status: ProbeStatus;
  failures: number;
  lastCheckAt: string | null;
  lastOkAt: string | null;
  lastDurationMs: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  certExpiresAt: string | null;
  statusChangedAt: string | null;
  /** Push probes: the path an outside job calls (GET), relative to the public URL. */
  pushPath: string | null;
};

const definitions = new Map<string, ProbeInput>();
/**
 * A probe's definition, validated once per distinct text (the ops loop asks for every probe's
 * interval every second). Callers must not change the object they get.
 */
export function definitionOf(row: Pick<MonitoringProbesTable, 'definition'>): ProbeInput {
  let d = definitions.get(row.definition);
  if (!d) {
    if (definitions.size >= 10_000) definitions.clear();
    d = ProbeInput.parse(JSON.parse(row.definition));
    definitions.set(row.definition, d);
  }
  return d;
}

const redacted = (d: ProbeInput): ProbeInput => (d.type === 'redis' && d.password ? { ...d, password: '********' } : d);

export function toProbeView(r: MonitoringProbesTable): ProbeView {
  return {
    id: r.id,
    name: r.name,
    type: r.type as ProbeInput['type'],
    // A Redis probe's password stays in the configuration; the console never receives it.
    definition: redacted(definitionOf(r)),
    component: r.component,
    enabled: r.enabled === 1,
    status: r.status as ProbeStatus,
    failures: r.failures,
    lastCheckAt: r.last_check_at,
    lastOkAt: r.last_ok_at,
    lastDurationMs: r.last_duration_ms,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    certExpiresAt: r.cert_expires_at,
    statusChangedAt: r.status_changed_at,
    pushPath: r.push_token ? `/api/ops/push/${r.push_token}` : null,
  };
}

export async function listProbes(db: Executor): Promise<MonitoringProbesTable[]> {
  return own(db).selectFrom('monitoring_probes').selectAll().orderBy('name').execute();
}

export async function probeByName(db: Executor, name: string): Promise<MonitoringProbesTable | undefined> {
  return own(db).selectFrom('monitoring_probes').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Creates or updates a probe by name; returns whether it was created, changed or left alone. */
export async function saveProbe(
  db: Executor,
  input: ProbeInput,
  now: Date,
): Promise<'created' | 'updated' | 'unchanged'> {
  const definition = JSON.stringify(input);
  const existing = await probeByName(db, input.name);
  const at = now.toISOString();
  if (!existing) {
    await own(db)
      .insertInto('monitoring_probes')
      .values({
        id: newId('prb', now.getTime()),
        name: input.name,
        type: input.type,
        definition,
        component: input.component ?? null,
        enabled: input.enabled ? 1 : 0,
        push_token: input.type === 'push' ? randomToken(24) : null,
        status: 'unknown',
        failures: 0,
        last_check_at: null,
        last_ok_at: null,
        last_push_at: null,
        last_duration_ms: null,
        last_status_code: null,
        last_error: null,
        cert_expires_at: null,
        status_changed_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return 'created';
  }
  if (existing.definition === definition) return 'unchanged';
  await own(db)
    .updateTable('monitoring_probes')
    .set({
      type: input.type,
      definition,
      component: input.component ?? null,
      enabled: input.enabled ? 1 : 0,
      push_token: input.type === 'push' ? (existing.push_token ?? randomToken(24)) : null,
      updated_at: at,
    })
    .where('id', '=', existing.id)
    .execute();
  return 'updated';
}

export async function deleteProbe(db: Executor, name: string): Promise<boolean> {
  const r = await own(db).deleteFrom('monitoring_probes').where('name', '=', name).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** A push probe's URL was called: records the time (false for an unknown or disabled token). */
export async function recordPush(db: Executor, token: string, now: Date): Promise<boolean> {
  const r = await own(db)
    .updateTable('monitoring_probes')
    .set({ last_push_at: now.toISOString() })
    .where('push_token', '=', token)
    .where('enabled', '=', 1)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Whether a probe is due for a check at `now` (never checked, or its interval passed). */
export function isDue(row: MonitoringProbesTable, now: number): boolean {
  if (!row.enabled) return false;
  if (!row.last_check_at) return true;
  return Date.parse(row.last_check_at) + parseDuration(definitionOf(row).interval) <= now;
}

/**
 * The state after a check: up at once on success; on failure pending until more than `retries`
 * checks in a row failed, then down (Uptime Kuma's retries).
 */
export function nextState(
  row: Pick<MonitoringProbesTable, 'status' | 'failures'>,
  retries: number,
  ok: boolean,
): { status: ProbeStatus; failures: number } {
  if (ok) return { status: 'up', failures: 0 };
  const failures = row.failures + 1;
  return { status: failures > retries ? 'down' : 'pending', failures };
}

export async function recordResult(
  db: Executor,
  row: MonitoringProbesTable,
  result: CheckResult,
  now: Date,
): Promise<ProbeStatus> {
  const def = definitionOf(row);
  const next = nextState(row, def.retries, result.ok);
  const at = now.toISOString();
  await own(db)
    .updateTable('monitoring_probes')
    .set({
      status: next.status,
      failures: next.failures,
      last_check_at: at,
      last_ok_at: result.ok ? at : row.last_ok_at,
      last_duration_ms: Math.round(result.durationMs * 100) / 100,
      last_status_code: result.statusCode ?? null,
      last_error: result.ok ? null : (result.error ?? 'failed'),
      cert_expires_at: result.certExpiresAt ? new Date(result.certExpiresAt).toISOString() : row.cert_expires_at,
      status_changed_at: next.status !== row.status ? at : row.status_changed_at,
    })
    .where('id', '=', row.id)
    .execute();
  return next.status;
}
