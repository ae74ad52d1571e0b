import { tablesOf, type Executor } from '../../db/index.ts';

export type CustomersTable = {
  id: string;
  workspace_id: string;
  name_enc: string | null;
  phone_enc: string | null;
  email_enc: string | null;
  name_idx: string | null; // keyed hashes (blind indexes) for exact lookups
  phone_idx: string | null;
  email_idx: string | null;
  external_id: string | null; // the shop's user id as stored before encryption (moved to the two below)
  external_idx: string | null; // keyed hash of the shop's verified user id (lookups, one customer per id)
  external_enc: string | null; // that user id, encrypted (shown to agents with customers.pii)
  tier: string | null; // e.g. vip: SLA policies may match on it
  notes: string;
  created_at: string;
  updated_at: string;
  last_seen_at: string | null;
  erased_at: string | null; // set by erasure (privacy): no widget session names the customer any more
};
export type CustomerIdentitiesTable = {
  id: string;
  workspace_id: string;
  customer_id: string;
  channel: string;
  identifier: string;
  created_at: string;
};
export type CustomerTagsTable = {
  workspace_id: string;
  customer_id: string;
  tag: string;
  created_at: string;
};
export type CustomersTables = {
  customers: CustomersTable;
  customer_identities: CustomerIdentitiesTable;
  customer_tags: CustomerTagsTable;
};

export const own = (e: Executor) => tablesOf<CustomersTables>(e);
