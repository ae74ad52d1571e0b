/** Audit module: who did what to which object, from which IP. */
export { registerAuditListener, listAudit } from './service.ts';
export { auditRoutes } from './routes.ts';
