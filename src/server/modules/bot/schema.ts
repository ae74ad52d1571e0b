import { tablesOf, type Executor } from '../../db/index.ts';

export type BotSettingsTable = { inbox_id: string; workspace_id: string; settings: string; updated_at: string };
export type BotSessionsTable = {
  conversation_id: string;
  workspace_id: string;
  state: string;
  misses: number;
  pending: string | null;
  updated_at: string;
};
export type BotTurnsTable = {
  message_id: string;
  workspace_id: string;
  conversation_id: string;
  query: string;
  intent: string | null;
  entry_id: string | null;
  confidence: number | null;
  outcome: string;
  reply_id: string | null;
  rating: number | null;
  created_at: string;
  /** An agent's correction (migration 0100): the entry that answers this question. */
  corrected_entry_id?: string | null;
  corrected_by?: string | null;
  correction?: string | null;
  corrected_at?: string | null;
};
export type BotLlmSettingsTable = {
  workspace_id: string;
  base_url: string;
  model: string;
  api_key_enc: string | null;
  options: string;
  updated_at: string;
};
export type BotTables = {
  bot_settings: BotSettingsTable;
  bot_sessions: BotSessionsTable;
  bot_turns: BotTurnsTable;
  bot_llm_settings: BotLlmSettingsTable;
};

export const own = (e: Executor) => tablesOf<BotTables>(e);
