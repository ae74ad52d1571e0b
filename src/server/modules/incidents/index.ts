/**
 * Incidents module: incidents under the contract's SLA (respond / resolve clocks on the shared
 * engine, promotion windows), and the penalty ledger both parties read. The ledger is a pure
 * engine in `penalty/` (README.md there); `kefu penalty compute` runs the same code on files.
 */
import type { KefuModule } from '../../module.ts';

/** The penalty ledger: contracts, incident records, `computeLedger`, statements of a period. */
export * from './penalty/index.ts';

export const incidentsModule: KefuModule = {
  name: 'incidents',
  tables: [],
};
