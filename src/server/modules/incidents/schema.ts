import { tablesOf, type Executor } from '../../db/index.ts';

export type IncidentContractsTable = {
  workspace_id: string;
  definition: string;
  created_at: string;
  updated_at: string;
};
export type IncidentCountersTable = { workspace_id: string; last_number: number };
export type IncidentsTable = {
  id: string;
  workspace_id: string;
  number: number;
  title: string;
  description: string;
  severity: string;
  state: string;
  source: string;
  mode: string;
  fingerprint: string | null;
  component: string | null;
  declared_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  mitigated_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  director_engaged_at: string | null;
  reported_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
};
/** One clock per affected workspace: its contract's targets as they stood at declaration. */
export type IncidentClocksTable = {
  incident_id: string;
  workspace_id: string;
  severity_table: string;
  promotion: string | null;
  respond_by: string;
  resolve_by: string;
  state: string;
  next_check_at: string | null;
  updated_at: string;
};
export type IncidentTimelineTable = {
  id: string;
  incident_id: string;
  workspace_id: string;
  type: string;
  actor_id: string | null;
  actor_name: string | null;
  data: string;
  public: number;
  at: string;
};
export type PenaltySignoffsTable = {
  workspace_id: string;
  month: string;
  party: string;
  user_id: string;
  user_name: string;
  deduction_cents: number;
  at: string;
};

export type IncidentChannelsTable = {
  id: string;
  workspace_id: string;
  name: string;
  kind: string;
  /** Encrypted JSON (robot secrets, gateway tokens). */
  config: string;
  enabled: number;
  created_at: string;
  updated_at: string;
};
export type IncidentDeliveriesTable = {
  id: string;
  workspace_id: string;
  incident_id: string;
  channel_id: string;
  reason: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
};
export type IncidentAckTokensTable = {
  hash: string;
  incident_id: string;
  workspace_id: string;
  recipient: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
};

export type OncallRotationsTable = {
  id: string;
  workspace_id: string;
  name: string;
  kind: string;
  definition: string;
  created_at: string;
  updated_at: string;
};
export type OncallOverridesTable = {
  id: string;
  workspace_id: string;
  rotation_id: string;
  user_id: string;
  start_at: string;
  end_at: string;
  created_at: string;
};
export type EscalationPoliciesTable = { workspace_id: string; definition: string; updated_at: string };
export type IncidentEscalationsTable = {
  incident_id: string;
  workspace_id: string;
  step: number;
  round: number;
  next_at: string | null;
  updated_at: string;
};

export type IncidentReviewsTable = {
  incident_id: string;
  workspace_id: string;
  impact: string;
  root_cause_category: string;
  root_cause: string;
  action_items: string;
  updated_by: string | null;
  updated_at: string;
};

/** The alerts behind an alert-opened incident (its group's members) and whether each still fires. */
export type IncidentAlertsTable = {
  incident_id: string;
  workspace_id: string;
  fingerprint: string;
  firing: number;
  updated_at: string;
};

export type IncidentsTables = {
  incident_alerts: IncidentAlertsTable;
  incident_reviews: IncidentReviewsTable;
  oncall_rotations: OncallRotationsTable;
  oncall_overrides: OncallOverridesTable;
  escalation_policies: EscalationPoliciesTable;
  incident_escalations: IncidentEscalationsTable;
  incident_channels: IncidentChannelsTable;
  incident_deliveries: IncidentDeliveriesTable;
  incident_ack_tokens: IncidentAckTokensTable;
  incident_contracts: IncidentContractsTable;
  incident_counters: IncidentCountersTable;
  incidents: IncidentsTable;
  incident_clocks: IncidentClocksTable;
  incident_timeline: IncidentTimelineTable;
  penalty_signoffs: PenaltySignoffsTable;
};

export const own = (e: Executor) => tablesOf<IncidentsTables>(e);
