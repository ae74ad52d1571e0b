import { Flex, Select, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useUpdateCustomer } from '../inbox/api.ts';
import { customerTagsQuery, type Customer } from './api.ts';

/** A customer's tags: a tag picker (type a new one or pick one in use) for agents, tags only for readers. */
export function CustomerTagsEditor({ customer, editable }: { customer: Customer; editable: boolean }) {
  const { t } = useTranslation();
  const update = useUpdateCustomer();
  const known = useQuery({ ...customerTagsQuery(), enabled: editable });
  if (!editable)
    return customer.tags.length ? (
      <Flex gap={4} wrap>
        {customer.tags.map((tag) => (
          <Tag key={tag}>{tag}</Tag>
        ))}
      </Flex>
    ) : (
      '—'
    );
  return (
    <Select<string[]>
      mode="tags"
      aria-label={t('customers.tags')}
      value={customer.tags}
      placeholder={t('customers.addTags')}
      tokenSeparators={[',', '，']}
      maxCount={20}
      style={{ width: '100%' }}
      options={(known.data?.items ?? []).map((x) => ({ value: x.tag, label: x.tag }))}
      onChange={(tags) => update.mutate({ id: customer.id, tags: tags.map((x) => x.trim()).filter(Boolean) })}
      data-testid="customer-tags"
    />
  );
}
