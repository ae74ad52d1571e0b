import { tablesOf, type Executor } from '../../db/index.ts';

/** The survey of a workspace (inbox_id `*`) or of one inbox (JSON of CsatSettings). */
export type CsatSettingsTable = { workspace_id: string; inbox_id: string; definition: string; updated_at: string };
/** One request to rate a conversation or ticket; the rating columns are filled once. */
export type CsatRequestsTable = {
  id: string;
  workspace_id: string;
  subject_type: string; // conversation | ticket
  subject_id: string;
  conversation_id: string | null; // where the card is shown (a ticket's chat, if it has one)
  inbox_id: string | null;
  customer_id: string | null;
  agent_id: string | null;
  survey: string; // JSON: the settings when asked (the form matches what the shopper was asked)
  requested_by: string | null; // the agent who asked again by hand; null when asked on resolution
  created_at: string;
  expires_at: string;
  superseded_at: string | null;
  rated_at: string | null;
  score: number | null;
  comment: string | null;
  answers: string | null; // JSON
  via: string | null; // widget | link
};
export type CsatTables = { csat_settings: CsatSettingsTable; csat_requests: CsatRequestsTable };

export const own = (e: Executor) => tablesOf<CsatTables>(e);
