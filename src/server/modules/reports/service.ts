/**
 * Producing a report: read its inputs (inputs.ts), build its document (a pure function), store
 * the document's JSON with its SHA-256. Producing the same period again replaces the stored
 * report (its sign-offs go: they signed other bytes) — unless it is signed off, then it stays.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import type { Services } from '../../context.ts';
import { newId } from '../../lib/ids.ts';
import { AppError, badRequest, conflict, notFound } from '../../lib/errors.ts';
import { isoDateOfDay, localDayOf } from '../../lib/time/zoned-time.ts';
import { listRatings } from '../csat/index.ts';
import { buildMonthlyCs } from './build-cs.ts';
import { buildOps, type OpsInputs } from './build-ops.ts';
import { loadLogSignatures, loadPerfSamples } from './inputs-ops.ts';
import type { ComputeJob } from './compute-worker.ts';
import type { ReportDocument } from './document.ts';
import { clustererOf } from './hot-questions.ts';
import { loadIncidentClocks } from './inputs-risk.ts';
import { liveInputs, snapshotInputs, type InputSnapshot } from './inputs-snapshot.ts';
import { loadBackupRuns, loadSeries, loadSlaOutcomes, loadWorkspaceZone } from './inputs.ts';
import { npmAudit, type AuditRunner } from './npm-audit.ts';
import { opsMetrics } from './ops-health.ts';
import type { Pace } from './pace.ts';
import { kindOf, parsePeriod, shiftPeriod, type Period, type ReportType } from './periods.ts';
import { own, type ReportsTable } from './schema.ts';

/** The report worker passes its duty cycle (`pace`, pace.ts) so that a long report yields the CPU. */
type S = Pick<Services, 'db' | 'clock'> & { pace?: Pace };
const DAY = 86_400_000;

export const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A computed report as it is stored: the document's JSON and the input snapshot's JSON, each with
 * its SHA-256. The report worker serialises and hashes (a busy month's snapshot is megabytes), so
 * the server's thread only parses the document (tens of KiB) and writes the row.
 */
export type Computed = {
  document: ReportDocument;
  text: string;
  sha256: string;
  inputsText: string;
  inputsSha256: string;
  /** The SHA-256 of the snapshot the computation was given (`inputsText` of the options), if any. */
  givenInputsSha256?: string;
};

export function serialise(c: { document: ReportDocument; inputs: InputSnapshot }, given?: string): Computed {
  const text = JSON.stringify(c.document);
  const inputsText = JSON.stringify(c.inputs);
  return {
    document: c.document,
    text,
    sha256: sha256Of(text),
    inputsText,
    inputsSha256: sha256Of(inputsText),
    ...(given === undefined ? {} : { givenInputsSha256: sha256Of(given) }),
  };
}

export { npmAudit, npmAuditWith, type AuditRunner } from './npm-audit.ts';

type ComputeOpts = {
  audit?: AuditRunner;
  previousAdvisories?: string[] | null;
  sloPercent?: number;
  /** The current, unfinished period, read up to now (never stored: provisional.ts). */
  provisional?: boolean;
  /** Recomputing a stored report: its inputs that are not records of the period, as it kept them. */
  inputs?: InputSnapshot;
};

/** The options off the thread: a stored snapshot as its JSON text (the worker parses it). */
type OffThreadOpts = Omit<ComputeOpts, 'inputs'> & { inputsText?: string };

/** Reads every input of one report and builds its document (no writes). */
export async function computeReport(
  s: S,
  workspaceId: string,
  type: ReportType,
  periodKey: string,
  opts: ComputeOpts = {},
): Promise<ReportDocument> {
  return (await computeWithInputs(s, workspaceId, type, periodKey, opts)).document;
}

/**
 * `computeReport`, with the snapshot of the inputs that are not records of the period: read live
 * and kept (producing), or given in `opts.inputs` and read from there (recomputing; inputs-snapshot.ts).
 */
export async function computeWithInputs(
  s: S,
  workspaceId: string,
  type: ReportType,
  periodKey: string,
  opts: ComputeOpts = {},
): Promise<{ document: ReportDocument; inputs: InputSnapshot }> {
  const src = opts.inputs ? snapshotInputs(s.db, workspaceId, opts.inputs) : liveInputs(s.db, workspaceId);
  const zone = await src.zone();
  if (!zone) throw notFound('workspace');
  const full = parsePeriod(kindOf(type), periodKey, zone);
  if (!full)
    throw badRequest(`period ${JSON.stringify(periodKey)} is not a ${kindOf(type)} (YYYY-MM-DD, YYYY-Www or YYYY-MM)`);
  const now = s.clock.now().getTime();
  if (opts.provisional && (full.start > now || full.end <= now))
    throw badRequest(`period ${periodKey} is not the current one`);
  if (!opts.provisional && full.end > now) throw badRequest(`period ${periodKey} has not ended yet`);
  const period: Period = opts.provisional ? { ...full, end: now } : full;
  const done = (document: ReportDocument) => ({ document, inputs: src.snapshot() });
  if (type === 'monthly-cs') {
    const previous = shiftPeriod(period, 1);
    const [data, incidents, sla, knowledge] = await Promise.all([
      src.csData(previous.start, period.end, s.pace),
      src.incidents(period.start, period.end),
      loadSlaOutcomes(s.db, workspaceId, dayKey(period, period.start), dayKey(period, period.end - 1)),
      src.knowledge(),
    ]);
    // Ratings of both months (the comparison); a rating counts by its own time (docs/REPORTS.md).
    const rated = await listRatings(s, {
      workspaceId,
      from: new Date(previous.start).toISOString(),
      to: new Date(period.end).toISOString(),
      limit: 10_000_000,
    });
    const ratings = rated.map((r) => ({
      conversationId: r.conversationId ?? r.subjectId,
      score: r.score,
      at: Date.parse(r.ratedAt),
    }));
    const [groups, calendars] = await Promise.all([src.groups(data), src.calendars(data)]);
    return done(
      buildMonthlyCs({
        workspaceId,
        period,
        previous,
        data,
        ratings,
        incidents,
        sla,
        cluster: clustererOf(knowledge),
        groups,
        calendars,
      }),
    );
  }
  const minuteNames = Object.values(opsMetrics);
  const hourlyNames = [opsMetrics.cpu, opsMetrics.p99, opsMetrics.loop, opsMetrics.rss, opsMetrics.diskFree];
  const minute: OpsInputs['minute'] = {};
  const hourly: OpsInputs['hourly'] = {};
  for (const n of minuteNames) minute[n] = await loadSeries(s.db, n, period.start, period.end, 60);
  for (const n of hourlyNames) hourly[n] = await loadSeries(s.db, n, period.start - 7 * DAY, period.end, 3600);
  const [probes, backups, incidents] = await Promise.all([
    src.probes(),
    loadBackupRuns(s.db, period.start, period.end),
    src.incidents(period.start, period.end),
  ]);
  return done(
    buildOps({
      workspaceId,
      type,
      period,
      probes,
      minute,
      hourly,
      backups,
      incidents,
      audit: type === 'weekly' ? await src.audit(opts.audit ?? npmAudit) : null,
      previousAdvisories: type === 'weekly' ? src.previousAdvisories(opts.previousAdvisories ?? null) : null,
      sloPercent: opts.sloPercent ?? 99.9,
      logs: type === 'weekly' ? await loadLogSignatures(s.db, period.start, period.end) : null,
      perf: type === 'weekly' ? await loadPerfSamples(s.db, period.start, period.end) : null,
      slaRisk:
        type === 'daily'
          ? {
              incidentClocks: await loadIncidentClocks(
                s.db,
                workspaceId,
                incidents.map((x) => x.id),
              ),
              tickets: await src.ticketRisk(period.end),
            }
          : null,
      penalty: type === 'monthly-ops' ? await src.penalty(period) : null,
    }),
  );
}

const dayKey = (p: Period, at: number) => isoDateOfDay(localDayOf(p.zone, at));

type Done = Omit<Computed, 'document'>;
type Reply = { id: number; done?: Done; error?: { status?: number; code?: string; message: string } };
let worker: { w: Worker; pending: Map<number, { resolve: (j: Done) => void; reject: (e: Error) => void }> } | null =
  null;
let nextJob = 1;

/** The process's report worker (started at the first report: its imports take a few seconds), one job at a time. */
function inWorker(job: ComputeJob): Promise<Done> {
  if (!worker) {
    const w = new Worker(new URL('./compute-worker.ts', import.meta.url));
    const pending = new Map<number, { resolve: (j: Done) => void; reject: (e: Error) => void }>();
    const current = { w, pending };
    const fail = (err: Error) => {
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      if (worker === current) worker = null;
    };
    w.on('message', (m: Reply) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (!pending.size) w.unref();
      if (m.done) p?.resolve(m.done);
      else if (m.error?.status) p?.reject(new AppError(m.error.status, m.error.code ?? 'error', m.error.message));
      else p?.reject(new Error(m.error?.message ?? 'the report worker failed'));
    });
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`the report worker exited with ${code}`)));
    worker = current;
  }
  const { w, pending } = worker;
  const id = nextJob++;
  w.ref(); // a report being computed keeps the process (the CLI) alive; an idle worker does not
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, job });
  });
}

/**
 * `computeReport` in a worker thread (compute-worker.ts) when the services say where the database
 * is (a server, the scheduler, the CLI): the inputs of a busy month are read and reduced there, so
 * the event loop stays free. The weekly report when produced (it runs `npm audit`) and callers
 * without a config compute in this thread. Returns the document, its JSON and the input snapshot's JSON, hashed (`Computed`).
 */
export async function computeOffThread(
  s: S & Partial<Pick<Services, 'config' | 'engine'>>,
  workspaceId: string,
  type: ReportType,
  periodKey: string,
  opts: OffThreadOpts,
): Promise<Computed> {
  const { inputsText, ...rest } = opts;
  const sqliteFile = s.config ? join(s.config.dataDir, 'kefu.db') : '';
  const usable =
    s.config &&
    (type !== 'weekly' || inputsText !== undefined) &&
    opts.audit === undefined &&
    (s.engine === 'postgres' ? !!s.config.databaseUrl : existsSync(sqliteFile));
  if (!usable) {
    const inputs = inputsText === undefined ? {} : { inputs: JSON.parse(inputsText) as InputSnapshot };
    return serialise(await computeWithInputs(s, workspaceId, type, periodKey, { ...rest, ...inputs }), inputsText);
  }
  const pgSchema =
    s.engine === 'postgres'
      ? (await sql<{ search_path: string }>`show search_path`.execute(s.db)).rows[0]?.search_path
      : undefined;
  const job: ComputeJob = {
    databaseUrl: s.engine === 'postgres' ? s.config!.databaseUrl : undefined,
    sqliteFile,
    pgSchema: pgSchema && !pgSchema.includes('$user') ? pgSchema : undefined,
    workspaceId,
    type,
    periodKey,
    now: s.clock.now().getTime(),
    ...(opts.sloPercent === undefined ? {} : { sloPercent: opts.sloPercent }),
    ...(opts.provisional ? { provisional: true } : {}),
    ...(inputsText === undefined ? {} : { inputsText }),
  };
  const done = await inWorker(job);
  return { ...done, document: JSON.parse(done.text) as ReportDocument };
}

export type StoredReport = Omit<ReportsTable, 'document'> & { document: ReportDocument };
const parse = (r: ReportsTable): StoredReport => ({ ...r, document: JSON.parse(r.document) as ReportDocument });

/** Computes and stores a report; returns the stored row. */
export async function produceReport(
  s: S & Partial<Pick<Services, 'config' | 'engine'>>,
  workspaceId: string,
  type: ReportType,
  periodKey: string,
  trigger: string,
  opts: Omit<ComputeOpts, 'inputs'> = {},
): Promise<StoredReport> {
  const existing = await findReport(s, workspaceId, type, periodKey);
  if (existing) {
    const signed = await own(s.db)
      .selectFrom('report_signoffs')
      .select('party')
      .where('report_id', '=', existing.id)
      .execute();
    if (signed.length) throw conflict(`the ${type} report ${periodKey} is signed off and is not produced again`);
  }
  if (type === 'weekly' && opts.previousAdvisories === undefined) {
    const zone = (await loadWorkspaceZone(s.db, workspaceId))!;
    const p = parsePeriod('week', periodKey, zone);
    const before = p ? await findReport(s, workspaceId, 'weekly', shiftPeriod(p, 1).key) : null;
    const vuln = before?.document.sections.find((x) => x.id === 'vulnerabilities');
    const table = vuln?.blocks.find((b) => b.kind === 'table');
    opts = {
      ...opts,
      previousAdvisories: table && table.kind === 'table' ? table.rows.map((r) => r[0] as string) : null,
    };
  }
  const {
    document: doc,
    text,
    sha256,
    inputsText,
    inputsSha256,
  } = await computeOffThread(s, workspaceId, type, periodKey, opts);
  const row: ReportsTable = {
    id: existing?.id ?? newId('rpt'),
    workspace_id: workspaceId,
    type,
    period_key: periodKey,
    zone: doc.period.zone,
    period_start: doc.period.start,
    period_end: doc.period.end,
    document: text,
    sha256,
    inputs: inputsText,
    inputs_sha256: inputsSha256,
    trigger,
    produced_at: s.clock.now().toISOString(),
    delivered_at: null,
  };
  if (existing) await own(s.db).updateTable('reports').set(row).where('id', '=', existing.id).execute();
  else await own(s.db).insertInto('reports').values(row).execute();
  return { ...row, document: doc };
}

export async function findReport(
  s: Pick<S, 'db'>,
  workspaceId: string,
  type: string,
  periodKey: string,
): Promise<StoredReport | null> {
  const r = await own(s.db)
    .selectFrom('reports')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('type', '=', type)
    .where('period_key', '=', periodKey)
    .executeTakeFirst();
  return r ? parse(r) : null;
}

export async function getReport(s: Pick<S, 'db'>, workspaceId: string, id: string): Promise<StoredReport> {
  const r = await own(s.db)
    .selectFrom('reports')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) throw notFound('report');
  return parse(r);
}

/**
 * Whether the stored report is intact (its document, and its input snapshot, still hash to their
 * SHA-256s: nobody edited them), and whether recomputing it gives the same bytes: the period's
 * records read from the tables again, the other inputs from its snapshot (`inputs: 'snapshot'`).
 * A report stored before snapshots (migration 0281) is recomputed from those inputs as they are
 * now (`inputs: 'current'`), and a weekly one then cannot be (its npm audit answer was not kept):
 * `recomputed` is null there. docs/REPORTS.md "Recomputing a stored report".
 */
export async function verifyReport(
  s: S & Partial<Pick<Services, 'config' | 'engine'>>,
  workspaceId: string,
  id: string,
): Promise<{ stored: boolean; recomputed: boolean | null; inputs: 'snapshot' | 'current' }> {
  const r = await own(s.db)
    .selectFrom('reports')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) throw notFound('report');
  const kept = r.inputs === null ? null : r.inputs;
  const documentIntact = sha256Of(r.document) === r.sha256;
  const inputs = kept === null ? 'current' : 'snapshot';
  if (r.type === 'weekly' && kept === null) return { stored: documentIntact, recomputed: null, inputs };
  // The snapshot (megabytes) is parsed and hashed where the report is recomputed, off this thread.
  const again = await computeOffThread(s, workspaceId, r.type as ReportType, r.period_key, {
    ...(kept === null ? {} : { inputsText: kept }),
  });
  const stored = documentIntact && (kept === null || again.givenInputsSha256 === r.inputs_sha256);
  return { stored, recomputed: again.sha256 === r.sha256, inputs };
}
