import { tablesOf, type Executor } from '../../db/index.ts';

type Stamps = { created_at: string; updated_at: string };
/** A team of agents with a supervisor (who hears about SLA trouble); tickets and routing use them. */
export type GroupsTable = Stamps & { id: string; workspace_id: string; name: string; supervisor_id: string | null };
export type GroupMembersTable = { group_id: string; user_id: string; workspace_id: string };
export type TeamsTables = { groups: GroupsTable; group_members: GroupMembersTable };

export const own = (e: Executor) => tablesOf<TeamsTables>(e);
