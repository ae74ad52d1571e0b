import { useEffect, useState, type ReactNode } from 'react';
import { Button, Empty, Flex, Input, Select, Spin, Tabs, Tag, theme } from 'antd';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ConversationStatus } from '../../../shared/realtime/protocol.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { LoadMore, SearchKindNote } from '../../shared/load-more.tsx';
import { useCan, useMe } from '../auth/session.ts';
import { inboxesQuery } from '../inboxes/api.ts';
import { conversationsQuery, type ListFilters, type View } from './api.ts';
import { InboxViews } from './inbox-views.tsx';
import { labelsQuery } from './labels.tsx';
import { ConversationRow, useNow } from './conversation-row.tsx';

export const views: View[] = ['mine', 'unassigned', 'all'];
export const statuses: ConversationStatus[] = ['open', 'pending', 'resolved', 'snoozed'];

export function ConversationList({
  filters,
  onFilters,
  openConv,
  onOpen,
  header,
  fullWidth = false,
}: {
  fullWidth?: boolean;
  filters: ListFilters;
  onFilters: (next: ListFilters) => void;
  openConv: string | null;
  onOpen: (id: string) => void;
  header: ReactNode;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const me = useMe();
  const can = useCan();
  const navigate = useNavigate();
  const now = useNow();
  const list = useInfiniteQuery(conversationsQuery(filters));
  const inboxes = useQuery(inboxesQuery());
  const labels = useQuery(labelsQuery());
  const labelList = labels.data?.items ?? [];
  const [search, setSearch] = useState(filters.q ?? '');
  useEffect(() => setSearch(filters.q ?? ''), [filters.q]);

  const counts = list.data?.pages[0]?.counts;
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  const inboxList = inboxes.data?.items ?? [];
  const byId = new Map(inboxList.map((inbox) => [inbox.id, inbox]));

  return (
    <div
      style={{
        width: fullWidth ? '100%' : 300,
        flex: 'none',
        display: 'flex',
        flexDirection: 'column',
        borderRight: `1px solid ${token.colorBorderSecondary}`,
      }}
    >
      <div style={{ padding: '12px 12px 0' }}>
        {header}
        <Tabs
          size="small"
          activeKey={filters.view}
          onChange={(view) => onFilters({ ...filters, view: view as View })}
          style={{ marginBottom: 0 }}
          items={views.map((view) => ({
            key: view,
            label: (
              <span data-testid={`view-${view}`}>
                {t(`inbox.views.${view}`)}
                {counts && (
                  <span title={t('inbox.countHint')} style={{ marginInlineStart: 4, color: token.colorTextSecondary }}>
                    {counts[view] >= 1000 ? '999+' : counts[view]}
                  </span>
                )}
              </span>
            ),
          }))}
        />
        <InboxViews filters={filters} onFilters={onFilters} listUpdatedAt={list.dataUpdatedAt} />
        <Flex gap={8} style={{ margin: '8px 0' }}>
          <Select<ConversationStatus | 'any'>
            size="small"
            value={filters.status ?? 'any'}
            onChange={(status) => onFilters({ ...filters, status: status === 'any' ? undefined : status })}
            style={{ width: 104, flex: 'none' }}
            data-testid="status-filter"
            options={[
              ...statuses.map((status) => ({ value: status, label: t(`inbox.status.${status}`) })),
              { value: 'any' as const, label: t('inbox.anyStatus') },
            ]}
          />
          {inboxList.length > 1 && (
            <Select<string>
              size="small"
              allowClear
              placeholder={t('inbox.allInboxes')}
              value={filters.inboxId}
              onChange={(inboxId) => onFilters({ ...filters, inboxId })}
              style={{ width: 110, flex: 'none' }}
              options={inboxList.map((inbox) => ({ value: inbox.id, label: inbox.name }))}
            />
          )}
          {(labelList.length > 0 || filters.labelIds) && (
            <Select<string[]>
              size="small"
              mode="multiple"
              allowClear
              maxTagCount="responsive"
              aria-label={t('labels.filter')}
              placeholder={t('labels.allLabels')}
              value={filters.labelIds ?? []}
              onChange={(labelIds) => onFilters({ ...filters, labelIds: labelIds.length ? labelIds : undefined })}
              style={{ minWidth: 0, flex: 1 }}
              popupMatchSelectWidth={false}
              data-testid="label-filter"
              tagRender={({ value, closable, onClose }) => {
                const l = labelList.find((x) => x.id === value);
                return (
                  <Tag
                    color={!l || l.color === 'default' ? undefined : l.color}
                    closable={closable}
                    onClose={onClose}
                    // The select would open on the mouse-down that closes a tag.
                    onMouseDown={(e) => e.preventDefault()}
                    style={{ marginInlineEnd: 2 }}
                  >
                    {l?.name ?? '…'}
                  </Tag>
                );
              }}
              options={labelList.map((l) => ({
                value: l.id,
                label: (
                  <Tag color={l.color === 'default' ? undefined : l.color} style={{ marginInlineEnd: 0 }}>
                    {l.name}
                  </Tag>
                ),
              }))}
            />
          )}
        </Flex>
        <Input.Search
          size="small"
          allowClear
          placeholder={t('inbox.searchPlaceholder')}
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            if (!e.target.value && filters.q) onFilters({ ...filters, q: undefined });
          }}
          onSearch={(q) => onFilters({ ...filters, q: q.trim() || undefined })}
          style={{ marginBottom: filters.q ? 2 : 8 }}
          data-testid="conversation-search"
        />
        {filters.q && (
          <div style={{ marginBottom: 6 }}>
            <SearchKindNote kind={list.data?.pages[0]?.search?.kind} testId="conversation-search-kind" />
          </div>
        )}
      </div>
      <div
        style={{ flex: 1, overflowY: 'auto', borderTop: `1px solid ${token.colorBorderSecondary}` }}
        data-testid="conversation-list"
      >
        {list.isError && (
          <div style={{ padding: 12 }}>
            <LoadError error={list.error} onRetry={() => void list.refetch()} />
          </div>
        )}
        {list.isLoading && (
          <div style={{ padding: 40, textAlign: 'center' }}>
            <Spin />
          </div>
        )}
        {list.isSuccess &&
          rows.length === 0 &&
          (inboxes.isSuccess && inboxList.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inbox.noInboxes')} style={{ marginTop: 48 }}>
              {can('settings.manage') && (
                <Button type="primary" onClick={() => navigate('/settings/inboxes')}>
                  {t('inbox.setUpInbox')}
                </Button>
              )}
            </Empty>
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={filters.q ? t('inbox.noResults') : t(`inbox.empty.${filters.view}`)}
              style={{ marginTop: 48 }}
            />
          ))}
        {rows.map((c) => (
          <ConversationRow
            key={c.id}
            c={c}
            active={c.id === openConv}
            inbox={byId.get(c.inboxId)}
            showInbox={inboxList.length > 1}
            now={now}
            zone={me.workspace.timezone}
            onOpen={() => onOpen(c.id)}
          />
        ))}
        {list.isSuccess && <LoadMore pages={list} size="small" empty={rows.length === 0} testId="conversations-more" />}
      </div>
    </div>
  );
}
