/**
 * A workspace's penalty ledger and monthly statements: the incidents that affected it, with the
 * targets copied onto its clock at declaration, run through the same pure engine as
 * `kefu penalty compute`. Both parties sign a month off (who and when, with the figure they saw).
 */
import { publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import { AppError, forbidden } from '../../lib/errors.ts';
import { dayNumber, formatInZone, localToInstant } from '../../lib/time/index.ts';
import { getWorkspace } from '../workspaces/index.ts';
import { contractOf, type WorkspaceContract } from './contracts.ts';
import {
  computeLedger,
  fromCents,
  statementOf,
  type IncidentRecord,
  type LedgerLine,
  type Severity,
  type SeverityTable,
} from './penalty/index.ts';
import { own } from './schema.ts';

type S = Pick<Services, 'db' | 'clock'>;

/**
 * The penalty records of a workspace: every incident that affects it, with its clock's targets.
 * With `asOf`, as they stood then: incidents declared later are left out, and an
 * acknowledgement or resolution at or after it has not happened yet (a stored report reads its
 * period up to its end, so recomputing it later gives the same lines; a cancellation has no time
 * stamp, and a cancelled incident deducts nothing either way). `as`: the title, severity and state
 * to read for some incidents instead of their current ones (a stored report's snapshot of them).
 */
export async function penaltyRecords(s: S, workspaceId: string, asOf?: number, as?: Record<string, IncidentAs>) {
  const rows = await own(s.db)
    .selectFrom('incident_clocks')
    .innerJoin('incidents', 'incidents.id', 'incident_clocks.incident_id')
    .select([
      'incidents.id',
      'incidents.number',
      'incidents.title',
      'incidents.severity',
      'incidents.state',
      'incidents.mode',
      'incidents.declared_at',
      'incidents.acknowledged_at',
      'incidents.resolved_at',
      'incidents.closed_at',
      'incident_clocks.severity_table',
      'incident_clocks.promotion',
    ])
    .where('incident_clocks.workspace_id', '=', workspaceId)
    .execute()
    .then((xs) => (asOf === undefined ? xs : xs.filter((r) => Date.parse(r.declared_at) < asOf)))
    .then((xs) => xs.map((r) => ({ ...r, ...as?.[r.id] })));
  const when = (v: string | null) =>
    v === null || (asOf !== undefined && Date.parse(v) >= asOf) ? null : Date.parse(v);
  const records: IncidentRecord[] = rows.map((r) => ({
    id: r.id,
    severity: r.severity as Severity,
    declaredAt: Date.parse(r.declared_at),
    acknowledgedAt: when(r.acknowledged_at),
    resolvedAt: when(r.resolved_at),
    mode: r.mode as 'real' | 'drill',
    cancelled: r.state === 'cancelled',
    targets: (JSON.parse(r.severity_table) as SeverityTable)[r.severity as Severity],
  }));
  return { rows, records };
}

/** An incident's fields that may change after the fact, as a statement reads them. */
export type IncidentAs = { title: string; severity: string; state: string };

export type StatementLine = LedgerLine & { number: number; title: string; promotion: string | null };

/**
 * The statement of one month (YYYY-MM in the contract's zone), with both parties' sign-offs.
 * `asOf` reads the incidents as they stood at that instant (penaltyRecords); the monthly ops
 * report passes its period's end, so it shows this statement's figures without recomputing them;
 * recomputing a stored report passes the contract terms and incidents' fields it kept (`given`).
 */
export async function monthlyStatement(
  s: S,
  workspaceId: string,
  month: string,
  asOf?: number,
  /** Instead of the current ones: the contract's terms and incidents' fields a stored report kept. */
  given: { contract?: WorkspaceContract; incidents?: Record<string, IncidentAs> } = {},
) {
  const { configured, contract, settings } = given.contract ?? (await contractOf(s, workspaceId));
  const { rows, records } = await penaltyRecords(s, workspaceId, asOf, given.incidents);
  const ledger = computeLedger(contract, records, s.clock.now().getTime());
  const [y, m] = month.split('-').map(Number);
  const from = localToInstant(contract.timezone, dayNumber(y, m, 1), 0);
  const to = localToInstant(contract.timezone, m === 12 ? dayNumber(y + 1, 1, 1) : dayNumber(y, m + 1, 1), 0);
  const st = statementOf(ledger, from, to);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const lines: StatementLine[] = st.lines.map((l) => ({
    ...l,
    number: byId.get(l.id)!.number,
    title: byId.get(l.id)!.title,
    promotion: byId.get(l.id)!.promotion,
  }));
  const signoffs = await own(s.db)
    .selectFrom('penalty_signoffs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('month', '=', month)
    .execute();
  const termToDate = ledger.lines
    .filter((l) => (l.resolvedAt ?? Infinity) < to)
    .reduce((sum, l) => sum + l.deductionCents, 0);
  return {
    month,
    configured,
    currency: contract.currency,
    timezone: contract.timezone,
    total: fromCents(ledger.totalCents),
    cap: fromCents(ledger.capCents),
    capScope: contract.capScope,
    rounding: contract.rounding,
    ratePercentPerHour: contract.ratePercentPerHour,
    technicalDirector: settings.technicalDirector,
    lines,
    deduction: fromCents(st.deductionCents),
    deductionCents: st.deductionCents,
    capApplied: st.capApplied,
    termDeductionToDate: fromCents(termToDate),
    signoffs: signoffs.map((x) => ({
      party: x.party,
      userName: x.user_name,
      at: x.at,
      deduction: fromCents(Number(x.deduction_cents)),
      current: Number(x.deduction_cents) === st.deductionCents,
    })),
  };
}

export type MonthlyStatement = Awaited<ReturnType<typeof monthlyStatement>>;

/** The vendor's side: the installation's ops (home owners, admins, ops engineers) and its owner. */
export const isVendor = (actor: Ctx['actor']): boolean =>
  actor.installationOwner || actor.permissions.includes('installation.ops');

/**
 * The workspace whose statement a request reads or signs: the actor's own, or a merchant
 * workspace named by the vendor (403 for anyone else, 404 when it does not exist).
 */
export async function statementWorkspace(ctx: Ctx, requested: string | undefined): Promise<string> {
  if (!requested || requested === ctx.actor.workspaceId) return ctx.actor.workspaceId;
  if (!isVendor(ctx.actor)) throw forbidden("only the installation's ops may read another workspace's statement");
  return (await getWorkspace(ctx, requested)).id;
}

/**
 * One side acknowledges the month's figure of a workspace; once per side (409 when already
 * signed). The merchant signs its own workspace (owner or admin, not the vendor's own home
 * accounts signing a merchant's); the vendor (installation ops) signs any workspace's.
 */
export async function signOff(ctx: Ctx, ws: string, month: string, party: 'merchant' | 'vendor') {
  const a = ctx.actor;
  const merchant = ws === a.workspaceId && (a.role === 'owner' || a.role === 'admin') && !a.installationOwner;
  if (party === 'vendor' ? !isVendor(a) : !merchant) throw forbidden(`your role cannot sign for the ${party}`);
  const st = await monthlyStatement(ctx, ws, month);
  if (!st.configured) throw new AppError(409, 'no_contract', 'enter the contract before signing a statement off');
  await unitOfWork(ctx, async (ctx) => {
    const r = await own(ctx.db)
      .insertInto('penalty_signoffs')
      .values({
        workspace_id: ws,
        month,
        party,
        user_id: ctx.actor.userId,
        user_name: ctx.actor.accountName ?? ctx.actor.name,
        deduction_cents: st.deductionCents,
        at: ctx.clock.now().toISOString(),
      })
      .onConflict((oc) => oc.columns(['workspace_id', 'month', 'party']).doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0)
      throw new AppError(409, 'already_signed', `the ${party} has already signed ${month} off`);
    await publish(ctx, 'penalty_statement.signed', ws, 'penalty_statement', `${ws}:${month}`, {
      month,
      party,
      deductionCents: st.deductionCents,
    });
  });
  return monthlyStatement(ctx, ws, month);
}

const csvCell = (v: string | number | boolean | null) => {
  const t = v === null ? '' : String(v);
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(t) ? `'${t}` : t;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function statementCsv(st: MonthlyStatement): string {
  const fmt = (ms: number | null) => (ms === null ? '' : formatInZone(st.timezone, ms));
  const head = [
    'number',
    'title',
    'severity',
    'mode',
    'promotion',
    'declared_at',
    'respond_by',
    'acknowledged_at',
    'resolve_by',
    'resolved_at',
    'hours_over',
    'deduction',
    'cap_applied',
    'counted',
  ];
  const rows = st.lines.map((l) => [
    l.number,
    l.title,
    l.severity,
    l.mode,
    l.promotion,
    fmt(l.declaredAt),
    fmt(l.respondBy),
    fmt(l.acknowledgedAt),
    fmt(l.resolveBy),
    fmt(l.resolvedAt),
    Math.round(l.hoursOver * 1e6) / 1e6,
    (l.deductionCents / 100).toFixed(2),
    l.capApplied,
    l.counted ? true : (l.excluded ?? false),
  ]);
  const total = ['', 'total', '', '', '', '', '', '', '', '', '', st.deduction.toFixed(2), st.capApplied, ''];
  return [head, ...rows, total].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
