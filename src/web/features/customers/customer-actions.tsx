import { CustomerPrivacyActions } from '../privacy/customer-privacy-actions.tsx';
import type { Customer } from './api.ts';

/**
 * The customer page's actions area (top right of the profile card): the privacy module's export
 * and erase actions (`src/web/features/privacy/`); later ones (merge, orders) mount here too.
 */
export function CustomerActions({ customer }: { customer: Customer }) {
  return <CustomerPrivacyActions customerId={customer.id} />;
}
