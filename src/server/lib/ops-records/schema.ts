import { tablesOf, type Executor } from '../../db/index.ts';

export type LogRecordsTable = {
  at: string; // ISO time of the record (the logger's clock)
  level: number; // pino: 40 warn, 50 error, 60 fatal
  err_type: string; // the error's type, or 'log' for a record without an error
  message: string; // normalised (normalise.ts): never the raw message
  frames: string; // JSON string[]: the top stack frames, normalised
};
export type PerfSamplesTable = {
  at: string; // ISO start of the flush's hour
  kind: string; // 'query' | 'rule' | 'logs' (the log store's coverage: count = records captured)
  shape: string; // the statement's shape, the rule (group/alert), or '' for 'logs'
  count: number;
  total_ms: number;
  max_ms: number;
  buckets: string; // JSON number[]: counts per bound of `perfBounds`, then the overflow
};
export type OpsRecordsTables = { log_records: LogRecordsTable; perf_samples: PerfSamplesTable };

export const own = (e: Executor) => tablesOf<OpsRecordsTables>(e);
