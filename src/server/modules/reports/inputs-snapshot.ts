/**
 * The inputs of a report that are not records of its period (docs/REPORTS.md "Recomputing a stored
 * report"): knowledge entries, probes, inbox hours, inbox and agent names, group names and the
 * group of each conversation, incidents' title/severity/state/review, tickets' subjects, the
 * workspace's time zone, the weekly report's npm audit answer and the previous week's advisories,
 * and the contract's terms behind the penalty statement. Producing a report reads them live and
 * keeps what it read (`InputSnapshot`, stored with the report); recomputing it reads them from that
 * snapshot — the same `computeReport` with these loaders swapped, the period's records (messages,
 * status changes, samples, runs, incidents' instants) still read from the tables.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Calendar } from '../../lib/time/index.ts';
import type { Db } from '../../db/index.ts';
import {
  contractOf,
  penaltyRecords,
  toContract,
  type ContractSettings,
  type IncidentAs,
  type WorkspaceContract,
} from '../incidents/index.ts';
import { loadConversationGroups, loadInboxCalendars } from './inputs-cs.ts';
import { loadPenaltyStatement } from './inputs-ops.ts';
import { loadTicketRisk, type TicketRiskRow } from './inputs-risk.ts';
import {
  loadCsData,
  loadIncidents,
  loadKnowledge,
  loadProbes,
  loadWorkspaceZone,
  type CsData,
  type IncidentRow,
  type ProbeRow,
} from './inputs.ts';
import type { OpsInputs } from './ops-health.ts';
import type { Pace } from './pace.ts';
import type { Period } from './periods.ts';
import type { PenaltyInputs } from './sections-penalty.ts';

type KnowledgeRow = Awaited<ReturnType<typeof loadKnowledge>>[number];
type IncidentFields = Pick<
  IncidentRow,
  'title' | 'severity' | 'state' | 'mode' | 'component' | 'rootCauseCategory' | 'rootCause'
>;

/** What a report read besides its period's records; each key only when the report reads that input. */
export type InputSnapshot = {
  v: 1;
  zone: string;
  knowledge?: KnowledgeRow[];
  probes?: ProbeRow[];
  /** Inbox id → its business-hours calendar, for the inboxes of the counted conversations that have hours. */
  calendars?: Record<string, Calendar>;
  /**
   * Group name → the counted conversations routed to it, as gzip + base64 of its JSON (`packGroups`:
   * about 20 bytes per routed conversation rather than 33). `groups`: the same, plain, as snapshots
   * stored it before; still read.
   */
  groupsGz?: string;
  groups?: Record<string, string[]>;
  /** Inbox id → name, and agent id → display name, of the counted conversations. */
  inboxes?: Record<string, string>;
  agents?: Record<string, string>;
  incidents?: Record<string, IncidentFields>;
  /** Ticket id → subject (the daily report's SLA risk). */
  tickets?: Record<string, string>;
  audit?: OpsInputs['audit'];
  previousAdvisories?: string[] | null;
  /**
   * The contract's terms the penalty statement applied (its contacts and support line left out),
   * and the title, severity and state of every incident of its ledger (the term to date).
   */
  contract?: { configured: boolean; settings: Omit<ContractSettings, 'contacts' | 'supportLine'> };
  penaltyIncidents?: Record<string, IncidentAs>;
};

/** The reads of `computeReport` that a snapshot answers; `snapshot()`: what they returned. */
export type InputLoaders = {
  zone(): Promise<string | null>;
  knowledge(): Promise<KnowledgeRow[]>;
  probes(): Promise<ProbeRow[]>;
  csData(from: number, end: number, pace?: Pace): Promise<CsData>;
  calendars(data: CsData): Promise<Map<string, Calendar | null>>;
  groups(data: CsData): Promise<Map<string, string>>;
  incidents(start: number, end: number): Promise<IncidentRow[]>;
  ticketRisk(end: number): Promise<TicketRiskRow[]>;
  audit(run: () => Promise<OpsInputs['audit']>): Promise<OpsInputs['audit']>;
  previousAdvisories(given: string[] | null): string[] | null;
  penalty(period: Period): Promise<PenaltyInputs>;
  snapshot(): InputSnapshot;
};

/** Group name → its conversations (ids sorted), packed for the snapshot: gzip + base64 of the JSON. */
export const packGroups = (groups: Record<string, string[]>): string =>
  gzipSync(JSON.stringify(groups)).toString('base64');
export const unpackGroups = (packed: string): Record<string, string[]> =>
  JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString('utf8')) as Record<string, string[]>;

const sorted = <V>(m: Map<string, V>): Record<string, V> =>
  Object.fromEntries([...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
const fieldsOf = (x: IncidentRow): IncidentFields => ({
  title: x.title,
  severity: x.severity,
  state: x.state,
  mode: x.mode,
  component: x.component,
  rootCauseCategory: x.rootCauseCategory,
  rootCause: x.rootCause,
});
/** The agents a report names: the counted conversations' assignees and the agents who wrote in them. */
function agentIdsOf(data: CsData): Set<string> {
  const ids = new Set<string>();
  for (const c of data.conversations) {
    if (c.assigneeId) ids.add(c.assigneeId);
    for (const m of c.messages) if (m.agentId) ids.add(m.agentId);
  }
  return ids;
}

/** The inputs as they are now, kept in the snapshot as they are read (producing a report). */
export function liveInputs(db: Db, workspaceId: string): InputLoaders {
  const snap: Omit<InputSnapshot, 'zone'> & { zone?: string } = { v: 1 };
  const contractAt = (period: Period): Promise<WorkspaceContract> =>
    // The defaults of a workspace without a contract are those of the period's year.
    contractOf({ db, clock: { now: () => new Date(period.end - 1) } }, workspaceId);
  return {
    async zone() {
      const zone = await loadWorkspaceZone(db, workspaceId);
      if (zone) snap.zone = zone;
      return zone;
    },
    async knowledge() {
      return (snap.knowledge = await loadKnowledge(db, workspaceId));
    },
    async probes() {
      return (snap.probes = await loadProbes(db));
    },
    async csData(from, end, pace) {
      const data = await loadCsData(db, workspaceId, from, end, pace);
      const inboxes = new Map(data.conversations.map((c) => [c.inboxId, c.inboxName]));
      const agents = new Map(
        [...agentIdsOf(data)].flatMap((id) => (data.agents.has(id) ? [[id, data.agents.get(id)!]] : [])),
      );
      snap.inboxes = sorted(inboxes);
      snap.agents = sorted(agents as Map<string, string>);
      return data;
    },
    async calendars(data) {
      const all = await loadInboxCalendars(db, workspaceId);
      const used = new Map<string, Calendar>();
      for (const c of data.conversations) {
        const cal = all.get(c.inboxId);
        if (cal) used.set(c.inboxId, cal);
      }
      snap.calendars = sorted(used);
      return all;
    },
    async groups(data) {
      const groups = await loadConversationGroups(
        db,
        workspaceId,
        data.conversations.map((c) => c.id),
      );
      const byName = new Map<string, string[]>();
      for (const [id, name] of groups) {
        const ids = byName.get(name);
        if (ids) ids.push(id);
        else byName.set(name, [id]);
      }
      for (const ids of byName.values()) ids.sort();
      snap.groupsGz = packGroups(sorted(byName));
      return groups;
    },
    async incidents(start, end) {
      const rows = await loadIncidents(db, workspaceId, start, end);
      snap.incidents = sorted(new Map(rows.map((x) => [x.id, fieldsOf(x)])));
      return rows;
    },
    async ticketRisk(end) {
      const rows = await loadTicketRisk(db, workspaceId, end);
      snap.tickets = sorted(new Map(rows.map((x) => [x.id, x.subject])));
      return rows;
    },
    async audit(run) {
      return (snap.audit = await run());
    },
    previousAdvisories(given) {
      return (snap.previousAdvisories = given);
    },
    async penalty(period) {
      const contract = await contractAt(period);
      const { rows } = await penaltyRecords(
        { db, clock: { now: () => new Date(period.end - 1) } },
        workspaceId,
        period.end,
      );
      const st = await loadPenaltyStatement(db, workspaceId, period, { contract });
      const { contacts: _c, supportLine: _s, ...settings } = contract.settings;
      snap.contract = { configured: contract.configured, settings };
      snap.penaltyIncidents = sorted(
        new Map(rows.map((r) => [r.id, { title: r.title, severity: r.severity, state: r.state }])),
      );
      return st;
    },
    snapshot: () => ({ ...snap, zone: snap.zone ?? '' }),
  };
}

/**
 * The inputs a stored report kept (recomputing it): the period's records are read from the tables
 * again, the rest comes from the snapshot. An incident, ticket or penalty line the snapshot does
 * not name (it was not in the report) keeps its row as it is now, and so changes the result.
 */
export function snapshotInputs(db: Db, workspaceId: string, snap: InputSnapshot): InputLoaders {
  const missing = (what: string) => new Error(`the report's input snapshot has no ${what}`);
  return {
    zone: async () => snap.zone,
    async knowledge() {
      if (!snap.knowledge) throw missing('knowledge entries');
      return snap.knowledge;
    },
    async probes() {
      if (!snap.probes) throw missing('probes');
      return snap.probes;
    },
    async csData(from, end, pace) {
      const data = await loadCsData(db, workspaceId, from, end, pace);
      const inboxes = snap.inboxes ?? {};
      for (const c of data.conversations) c.inboxName = inboxes[c.inboxId] ?? c.inboxName;
      return { ...data, agents: new Map(Object.entries(snap.agents ?? {})) };
    },
    calendars: async () => new Map(Object.entries(snap.calendars ?? {})),
    async groups() {
      const out = new Map<string, string>();
      const groups = snap.groupsGz === undefined ? (snap.groups ?? {}) : unpackGroups(snap.groupsGz);
      for (const [name, ids] of Object.entries(groups)) for (const id of ids) out.set(id, name);
      return out;
    },
    async incidents(start, end) {
      const rows = await loadIncidents(db, workspaceId, start, end);
      return rows.map((x) => ({ ...x, ...snap.incidents?.[x.id] }));
    },
    async ticketRisk(end) {
      const rows = await loadTicketRisk(db, workspaceId, end);
      return rows.map((x) => ({ ...x, subject: snap.tickets?.[x.id] ?? x.subject }));
    },
    async audit() {
      if (snap.audit === undefined) throw missing('npm audit answer');
      return snap.audit;
    },
    previousAdvisories: () => snap.previousAdvisories ?? null,
    async penalty(period) {
      if (!snap.contract) throw missing('contract terms');
      const { configured, settings } = snap.contract;
      const full: ContractSettings = { ...settings, contacts: [] };
      const contract = { configured, settings: full, contract: toContract(full, configured) };
      return loadPenaltyStatement(db, workspaceId, period, { contract, incidents: snap.penaltyIncidents ?? {} });
    },
    snapshot: () => snap,
  };
}
