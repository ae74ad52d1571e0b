/** Audit module: who did what to which object, from which IP — every domain event, append-only. */
import type { KefuModule } from '../../module.ts';
import { auditRoutes } from './routes.ts';
import { record } from './service.ts';

export { listAudit } from './service.ts';

export const auditModule: KefuModule = {
  name: 'audit',
  tables: ['audit_log'],
  permissions: ['audit.read'],
  routes: auditRoutes,
  listeners: [{ name: 'record', on: '*', handle: record }],
};
