/** Audit module: who did what to which object, from which IP — every domain event, append-only. */
import type { KefuModule } from '../../module.ts';
import { auditRoutes } from './routes.ts';
import { record, recordMany } from './service.ts';

export { listAudit } from './service.ts';
/** Retention (privacy module): the documented, audited way entries older than a date leave the log. */
export { purgeAuditBefore } from './service.ts';

export const auditModule: KefuModule = {
  name: 'audit',
  tables: ['audit_log', 'audit_purge_gate'],
  permissions: ['audit.read'],
  routes: auditRoutes,
  listeners: [{ name: 'record', on: '*', handle: record, handleBatch: recordMany }],
};
