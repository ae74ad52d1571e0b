import { tablesOf, type Executor } from '../../db/index.ts';

/** One knowledge-base entry; list columns are JSON text (portable columns). */
export type KnowledgeEntriesTable = {
  id: string;
  workspace_id: string;
  question: string;
  similar: string;
  answer: string;
  buttons: string;
  category: string;
  tags: string;
  products: string;
  order_states: string;
  channels: string;
  valid_from: string | null;
  valid_to: string | null;
  enabled: number;
  created_at: string;
  updated_at: string;
};
/** A word of the workspace's dictionary (product and brand names) with its synonyms. */
export type KnowledgeTermsTable = {
  id: string;
  workspace_id: string;
  term: string;
  synonyms: string;
  created_at: string;
};
export type KnowledgeTables = { knowledge_entries: KnowledgeEntriesTable; knowledge_terms: KnowledgeTermsTable };

export const own = (e: Executor) => tablesOf<KnowledgeTables>(e);
