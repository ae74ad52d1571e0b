/**
 * Privacy module (PIPL): shopper data export and erasure, retention rules with their purge job,
 * and the re-encryption of stored values after a key rotation. It owns no personal data itself: it
 * asks the customers, conversations and tickets modules for theirs. README.md says how it works.
 */
import type { KefuModule } from '../../module.ts';
import { purgeAuditBefore } from '../audit/index.ts';
import { purgeAttachmentsBefore, purgeConversationsBefore } from '../conversations/index.ts';
import { privacyEvents } from './events.ts';
import { purgeExpired, registerRetentionKind, seedRetention } from './retention.ts';
import { privacyRoutes } from './routes.ts';

/** A module with a kind of data to expire (e.g. monitoring's metrics) registers it here. */
export { registerRetentionKind, retentionKinds, purgeExpired, type RetentionKind } from './retention.ts';
export { exportCustomer, eraseCustomer } from './service.ts';
/** Key rotation: reseal every stored encrypted value under the current key (resumable); its progress. */
export { rotateKeys, latestRotation, resealTargets, type Rotation } from './rotation.ts';

registerRetentionKind({ kind: 'conversations', minDays: 30, purge: purgeConversationsBefore });
registerRetentionKind({ kind: 'attachments', minDays: 30, purge: purgeAttachmentsBefore });
// The audit log answers "who saw or changed what": at least a year (PIPL audits look back that far).
registerRetentionKind({ kind: 'audit', minDays: 365, purge: (s, ws, before) => purgeAuditBefore(s, ws, before) });

export const privacyModule: KefuModule = {
  name: 'privacy',
  tables: ['privacy_requests', 'retention_rules', 'key_rotations'],
  events: privacyEvents,
  permissions: ['privacy.manage'],
  routes: privacyRoutes,
  jobs: { 'privacy.retention': async (_job, s) => void (await purgeExpired(s)) },
  schedules: [{ name: 'privacy.retention', cron: '17 3 * * *', jobType: 'privacy.retention' }],
  seed: seedRetention,
};
