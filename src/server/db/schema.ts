/** The whole database type: each module owns and declares its own tables. */
import type { AuditTables } from '../modules/audit/schema.ts';
import type { UsersTables } from '../modules/users/schema.ts';
import type { WorkspacesTables } from '../modules/workspaces/schema.ts';
import type { JobsTables } from '../lib/jobs/schema.ts';

export type Database = WorkspacesTables & UsersTables & AuditTables & JobsTables;
