import { useState } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, query } from '../../shared/http.ts';
import type { Customer, CustomerPage } from './api.ts';
import { customerName } from './name.ts';

/**
 * Picks a customer: the newest ones to start with, or an exact phone, e-mail, name or shop user
 * id typed in (looked up on Enter-free typing, by the same exact search as the customers page).
 */
export function CustomerPicker({
  value,
  onChange,
  id,
  extra,
}: {
  value?: string | null;
  onChange?: (id: string | null) => void;
  id?: string;
  /** A customer to offer even when the list does not hold it (one just created). */
  extra?: Customer;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const found = useQuery({
    queryKey: ['customers', 'picker', q],
    queryFn: () => api.get<CustomerPage>(`/api/customers${query({ q: q.trim() || undefined, limit: 20 })}`),
    staleTime: 10_000,
  });
  const items = found.data?.items ?? [];
  const all = extra && !items.some((c) => c.id === extra.id) ? [extra, ...items] : items;
  const options = all.map((c) => ({
    value: c.id,
    label: [customerName(c, t('customers.visitor')), c.phone ?? c.email].filter(Boolean).join(' · '),
  }));
  return (
    <Select<string>
      id={id}
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      loading={found.isFetching}
      placeholder={t('customers.pickPlaceholder')}
      notFoundContent={q ? t('customers.noMatch') : null}
      options={options}
      data-testid="customer-picker"
    />
  );
}
