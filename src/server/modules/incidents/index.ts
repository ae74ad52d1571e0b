/**
 * Incidents module: incidents under the contract's SLA (respond / resolve clocks on the shared
 * engine, one per affected workspace, promotion windows), the append-only timeline, the
 * technical director at a resolution breach, the workspace's contract, and the penalty ledger
 * both parties read. The ledger is a pure engine in `penalty/` (README.md there);
 * `kefu penalty compute` runs the same code on files.
 */
import type { KefuModule } from '../../module.ts';
import { incidentEvents } from './events.ts';
import { incidentJobs, incidentSchedules } from './jobs.ts';
import { incidentListeners } from './listeners.ts';
import { incidentRoutes } from './routes.ts';
import { seedIncidents } from './seed.ts';

/** The penalty ledger: contracts, incident records, `computeLedger`, statements of a period. */
export * from './penalty/index.ts';

/** Declaring an incident (alerts, the console, reports, the API) and moving it through its states (compare-and-set). */
export { declareIncident, transitionIncident, type Declaration } from './service.ts';

/** Re-encrypts notification channels' settings after a key rotation (privacy's rotation calls it). */
export { resealIncidentChannels } from './reseal.ts';

/**
 * A workspace's contract (defaults when none is entered) and the default promotion calendar;
 * `toContract` reads stored settings as the engine's terms (a stored report's snapshot of them).
 */
export { contractOf, toContract, type ContractSettings, type WorkspaceContract } from './contracts.ts';
/** A workspace's monthly penalty statement (the monthly ops report shows it as of its period's end). */
export {
  monthlyStatement,
  penaltyRecords,
  type IncidentAs,
  type MonthlyStatement,
  type StatementLine,
} from './statement.ts';
export { defaultPromotions } from './penalty/index.ts';
/** A non-incident message (a report's summary) to every enabled channel of a workspace. */
export { broadcastToChannels, type Broadcast } from './broadcast.ts';

export const incidentsModule: KefuModule = {
  name: 'incidents',
  tables: [
    'incident_contracts',
    'incident_counters',
    'incidents',
    'incident_clocks',
    'incident_timeline',
    'penalty_signoffs',
    'incident_channels',
    'incident_deliveries',
    'incident_ack_tokens',
    'oncall_rotations',
    'oncall_overrides',
    'escalation_policies',
    'incident_escalations',
    'incident_reviews',
    'incident_alerts',
  ],
  events: incidentEvents,
  permissions: ['ops.read', 'ops.manage', 'settings.manage', 'conversations.manage'],
  routes: incidentRoutes,
  listeners: incidentListeners,
  jobs: incidentJobs,
  schedules: incidentSchedules,
  seed: seedIncidents,
};
