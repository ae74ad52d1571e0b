import { queryOptions } from '@tanstack/react-query';
import type { PrivacyRequest, RetentionRules } from '../../../shared/privacy-api.ts';
import type { Customer } from '../../../shared/chat-api.ts';
import { api, postForFile } from '../../shared/http.ts';

export const customerQuery = (id: string) =>
  queryOptions({ queryKey: ['customer', id], queryFn: () => api.get<Customer>(`/api/customers/${id}`) });

export const privacyRequestsQuery = (customerId: string) =>
  queryOptions({
    queryKey: ['privacy-requests', customerId],
    queryFn: () => api.get<{ items: PrivacyRequest[] }>(`/api/customers/${customerId}/privacy-requests`),
  });

export const retentionQuery = () =>
  queryOptions({ queryKey: ['retention'], queryFn: () => api.get<RetentionRules>('/api/privacy/retention') });

export const saveRetention = (rules: Record<string, number | null>) =>
  api.put<RetentionRules>('/api/privacy/retention', { rules });

/** Downloads the shopper's export (a ZIP) through a temporary link. */
export async function downloadExport(customerId: string): Promise<void> {
  const { blob, filename } = await postForFile(`/api/customers/${customerId}/export`);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const eraseCustomer = (customerId: string) =>
  api.post<{ counts: Record<string, number> }>(`/api/customers/${customerId}/erase`, { confirm: customerId });
