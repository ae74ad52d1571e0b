import { useState } from 'react';
import { Card, Flex, Table, Tag, Typography } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { LoadMore } from '../../shared/load-more.tsx';
import { Page } from '../../shared/page.tsx';
import type { AuditEntry } from '../../shared/types.ts';
import { useMe } from '../auth/session.ts';
import { auditQuery, type AuditFilters } from './api.ts';
import { AuditFilterBar } from './audit-filters.tsx';

const actorColors: Record<AuditEntry['actorType'], string> = { user: 'blue', token: 'purple', system: 'default' };

export function AuditPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [filters, setFilters] = useState<AuditFilters>({});
  const audit = useInfiniteQuery(auditQuery(filters));
  const zone = me.workspace.timezone;
  const entries = audit.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Page title={t('audit.title')} subtitle={t('audit.subtitle')}>
      <Card style={{ marginBottom: 16 }}>
        <AuditFilterBar value={filters} onChange={setFilters} />
      </Card>
      {audit.isError ? (
        <LoadError error={audit.error} onRetry={() => void audit.refetch()} />
      ) : (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<AuditEntry>
            rowKey="id"
            size="middle"
            loading={audit.isLoading}
            dataSource={entries}
            pagination={false}
            scroll={{ x: 960 }}
            expandable={{
              rowExpandable: (entry) => Object.keys(entry.data).length > 0,
              expandedRowRender: (entry) => (
                <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                  {JSON.stringify(entry.data, null, 2)}
                </pre>
              ),
            }}
            columns={[
              {
                title: t('common.timeIn', { zone }),
                dataIndex: 'createdAt',
                width: 190,
                render: (at: string) => (
                  <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatDateTime(at, zone, true)}</span>
                ),
              },
              {
                title: t('audit.actor'),
                key: 'actor',
                render: (_, e) => (
                  <>
                    <Tag color={actorColors[e.actorType]} style={{ marginInlineEnd: 6 }}>
                      {t(`audit.actorTypes.${e.actorType}`)}
                    </Tag>
                    {e.actorName ?? e.actorId ?? ''}
                  </>
                ),
              },
              {
                title: t('audit.action'),
                dataIndex: 'action',
                render: (action: string) => <Typography.Text code>{action}</Typography.Text>,
              },
              {
                title: t('audit.object'),
                key: 'object',
                render: (_, e) => (
                  <>
                    {e.objectType}
                    {e.objectId && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {' '}
                        · {e.objectId}
                      </Typography.Text>
                    )}
                  </>
                ),
              },
              { title: t('audit.ip'), dataIndex: 'ip', width: 140, render: (ip: string | null) => ip ?? '—' },
            ]}
          />
          <Flex justify="space-between" align="center" style={{ padding: '4px 16px', borderTop: '1px solid #f0f0f0' }}>
            <Typography.Text type="secondary">{t('audit.count', { count: entries.length })}</Typography.Text>
            {audit.isSuccess && <LoadMore pages={audit} testId="audit-load-more" empty={entries.length === 0} />}
          </Flex>
        </Card>
      )}
    </Page>
  );
}
