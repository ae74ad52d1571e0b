import { tablesOf, type Executor } from '../../db/index.ts';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';
export type JobsTable = {
  id: string;
  workspace_id: string | null; // null for installation-wide jobs (e.g. session clean-up)
  type: string;
  payload: string; // JSON
  status: JobStatus;
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  unique_key: string | null; // at most one job per key: two schedulers never enqueue a tick twice
  created_at: string;
  updated_at: string;
  finished_at: string | null;
};
export type JobsTables = { jobs: JobsTable };

export const own = (e: Executor) => tablesOf<JobsTables>(e);
