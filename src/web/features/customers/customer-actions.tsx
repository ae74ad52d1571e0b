import type { Customer } from './api.ts';

/**
 * The customer page's actions area (top right of the profile card). The privacy module's export
 * and erase actions mount here (`src/web/features/privacy/`), one element each; so do later ones
 * (merge, orders). Empty today: renders nothing.
 */
export function CustomerActions({ customer }: { customer: Customer }) {
  void customer;
  return null;
}
