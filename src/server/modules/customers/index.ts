/** Customers module: profiles across channels, PII encrypted per field and masked by role. */
import type { KefuModule } from '../../module.ts';
import { customerEvents } from './events.ts';
import { customerRoutes } from './routes.ts';
import { encryptLegacyExternalIds } from './visitors.ts';

/** Profiles: read (404), as the API shape; the widget's visitor → customer; fill empty fields. */
export { getCustomerRow, toCustomer, type Pii } from './service.ts';
/** A customer's shop user id, decrypted (the store module maps it to the platform's customer id). */
export { externalIdOf } from './external-id.ts';
export { customerForVisitor, customerByIdFill } from './visitors.ts';
/** Lookups for other modules: names for lists, tier, existence. */
export { customerNames, customerTier, customerExists, customerMayChat } from './service.ts';
/** Exact search by phone, e-mail, name or shop user id, each through its own index, with the kind that matched. */
export { exactCustomerIds, customerQueryKind, type ExactCustomerKind } from './lookup.ts';
/** Encrypting PII the way profiles store it (imports, the volume benchmark). */
export { encryptPii } from './service.ts';
/** A shopper's data for the privacy module: the full profile for an export; erasure of profile and identities. */
export { customerForExport, eraseCustomerProfile, type CustomerExport } from './privacy.ts';
/** Key rotation: reseal a batch of profiles under the current key. */
export { resealCustomers } from './privacy.ts';
/** Merging two customers: the profile half (identities, tags, empty fields, notes), inside the merge's transaction. */
export { mergeCustomerProfiles } from './merge.ts';
/** Masking rules, shared with anything that shows customer data. */
export { displayName, maskEmail, maskId, maskName, maskPhone } from './service.ts';

export const customersModule: KefuModule = {
  name: 'customers',
  tables: ['customers', 'customer_identities', 'customer_tags'],
  events: customerEvents,
  permissions: ['customers.read', 'customers.pii', 'conversations.manage'],
  routes: customerRoutes,
  // Shop user ids stored plain before they were encrypted move over soon after an upgrade.
  jobs: { 'customers.encrypt_external_ids': async (_job, s) => void (await encryptLegacyExternalIds(s)) },
  schedules: [
    { name: 'customers.encrypt_external_ids', cron: '23 * * * *', jobType: 'customers.encrypt_external_ids' },
  ],
};
