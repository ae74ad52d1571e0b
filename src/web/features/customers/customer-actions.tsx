import type { Customer } from './api.ts';

/**
 * The customer page's actions area (top right of the profile card): small buttons such as merge
 * or orders, once they exist. Empty today: renders nothing. (Privacy's export and erase card is
 * mounted under the profile: `CustomerPrivacyActions`.)
 */
export function CustomerActions({ customer }: { customer: Customer }) {
  void customer;
  return null;
}
