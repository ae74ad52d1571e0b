import { useState } from 'react';
import { Button, Card, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { SearchKind } from '../../../shared/search.ts';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { LoadMore, SearchKindNote } from '../../shared/load-more.tsx';
import { Page } from '../../shared/page.tsx';
import { useMe } from '../auth/session.ts';
import { tierLabel } from './tier.ts';
import {
  customerTagsQuery,
  customerTiersQuery,
  customersQuery,
  exportUrl,
  type Customer,
  type CustomerFilters,
} from './api.ts';
import { customerName } from './name.ts';

/** 客户: every customer of the workspace, newest first; exact search, tier and tag filters, CSV (masked as shown). */
export function CustomersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const filters: CustomerFilters = {
    q: params.get('q') ?? undefined,
    tier: params.get('tier') ?? undefined,
    tag: params.get('tag') ?? undefined,
  };
  const tags = useQuery(customerTagsQuery());
  const tiers = useQuery(customerTiersQuery());
  const [search, setSearch] = useState(filters.q ?? '');
  const list = useInfiniteQuery(customersQuery(filters));
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const kind = list.data?.pages[0]?.search?.kind;
  const zone = me.workspace.timezone;
  const set = (next: CustomerFilters) => {
    const out = new URLSearchParams();
    if (next.q) out.set('q', next.q);
    if (next.tier) out.set('tier', next.tier);
    if (next.tag) out.set('tag', next.tag);
    setParams(out, { replace: true });
  };

  return (
    <Page
      title={t('customers.title')}
      subtitle={t('customers.subtitle')}
      extra={
        <Button icon={<DownloadOutlined />} href={exportUrl(filters)} data-testid="customers-export">
          {t('customers.export')}
        </Button>
      }
    >
      <Card style={{ marginBottom: 16 }}>
        <Flex gap={8} wrap>
          <Input.Search
            allowClear
            aria-label={t('customers.search')}
            placeholder={t('customers.searchPlaceholder')}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              if (!e.target.value && filters.q) set({ ...filters, q: undefined });
            }}
            onSearch={(q) => set({ ...filters, q: q.trim() || undefined })}
            style={{ maxWidth: 360, flex: '1 1 240px' }}
            data-testid="customers-search"
          />
          <Select<string>
            allowClear
            aria-label={t('customers.tier')}
            placeholder={t('customers.anyTier')}
            value={filters.tier}
            onChange={(tier) => set({ ...filters, tier })}
            style={{ width: 160 }}
            // The tiers customers of the workspace have (data), common ones in the reader's language.
            options={(tiers.data?.items ?? []).map((x) => ({
              value: x.tier,
              label: `${tierLabel(t, x.tier)} (${x.count})`,
            }))}
            showSearch={{ optionFilterProp: 'label' }}
            data-testid="customers-tier-filter"
          />
          <Select<string>
            allowClear
            aria-label={t('customers.tags')}
            placeholder={t('customers.anyTag')}
            value={filters.tag}
            onChange={(tag) => set({ ...filters, tag })}
            style={{ width: 160 }}
            options={(tags.data?.items ?? []).map((x) => ({ value: x.tag, label: `${x.tag} (${x.count})` }))}
            showSearch
            data-testid="customers-tag-filter"
          />
        </Flex>
        {filters.q && kind && kind !== 'none' && (
          <div style={{ marginTop: 8 }}>
            <SearchKindNote kind={kind as SearchKind} testId="customers-search-kind" />
          </div>
        )}
      </Card>
      {list.isError ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<Customer>
            rowKey="id"
            size="middle"
            loading={list.isLoading}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 880 }}
            locale={{ emptyText: filters.q ? t('customers.noMatch') : t('customers.empty') }}
            columns={[
              {
                title: t('customers.name'),
                key: 'name',
                render: (_, c) => (
                  <Link to={`/customers/${c.id}`} data-testid="customer-link">
                    {customerName(c, t('customers.visitor'))}
                  </Link>
                ),
              },
              { title: t('customers.phone'), dataIndex: 'phone', render: (v: string | null) => v ?? '—' },
              { title: t('customers.email'), dataIndex: 'email', render: (v: string | null) => v ?? '—' },
              {
                title: t('customers.identity'),
                key: 'identity',
                render: (_, c) => (
                  <Flex gap={4} wrap>
                    {c.externalId && <Tag color="blue">{t('customers.shopUser', { id: c.externalId })}</Tag>}
                    {c.identities.map((i) => (
                      <Tag key={i.channel + i.identifier}>
                        {t(`customers.channels.${i.channel === 'web' ? 'web' : 'other'}`)}
                      </Tag>
                    ))}
                  </Flex>
                ),
              },
              {
                title: t('customers.tier'),
                dataIndex: 'tier',
                render: (v: string | null) => (v ? <Tag color="gold">{tierLabel(t, v)}</Tag> : '—'),
              },
              {
                title: t('customers.tags'),
                dataIndex: 'tags',
                render: (v: string[]) =>
                  v.length ? (
                    <Flex gap={4} wrap>
                      {v.map((tag) => (
                        <Tag key={tag}>{tag}</Tag>
                      ))}
                    </Flex>
                  ) : (
                    '—'
                  ),
              },
              {
                title: t('customers.lastSeen'),
                dataIndex: 'lastSeenAt',
                render: (v: string | null) => (v ? formatDateTime(v, zone) : '—'),
              },
            ]}
          />
          <Flex justify="space-between" align="center" style={{ padding: '4px 16px', borderTop: '1px solid #f0f0f0' }}>
            <Typography.Text type="secondary">
              {rows[0]?.masked ? t('customers.maskedNote') : t('customers.count', { count: rows.length })}
            </Typography.Text>
            {list.isSuccess && <LoadMore pages={list} testId="customers-load-more" empty={rows.length === 0} />}
          </Flex>
        </Card>
      )}
    </Page>
  );
}
