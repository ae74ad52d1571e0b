export type CalendarsTable = {
  id: string;
  workspace_id: string;
  name: string;
  definition: string;
  created_at: string;
  updated_at: string;
};
export type SlaPoliciesTable = {
  id: string;
  workspace_id: string;
  name: string;
  position: number;
  enabled: number;
  conditions: string; // JSON
  policy: string; // JSON: targets, businessHours, pauseStatuses, warnAtShare
  calendar_id: string;
  escalation: string; // JSON
  created_at: string;
  updated_at: string;
};
export type SlaTables = { calendars: CalendarsTable; sla_policies: SlaPoliciesTable };
