import { Fragment, useEffect, useState } from 'react';
import { Button, Flex, Tooltip, theme } from 'antd';
import { EditOutlined, StarOutlined, TeamOutlined } from '@ant-design/icons';
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { InboxView, InboxViewQuery } from '../../../shared/chat-api.ts';
import { api } from '../../shared/http.ts';
import { ViewModal } from '../../shared/view-modal.tsx';
import type { ListFilters } from './api.ts';

export const inboxViewsKey = ['inbox-views'] as const;
export const inboxViewsQuery = () =>
  queryOptions({ queryKey: inboxViewsKey, queryFn: () => api.get<{ items: InboxView[] }>('/api/inbox-views') });

/** The inbox filters a saved view stands for (its status absent: the inbox's default, open). */
export function viewFilters(q: InboxViewQuery): ListFilters {
  return {
    view: q.view ?? 'all',
    status: q.status === 'any' ? undefined : (q.status ?? 'open'),
    inboxId: q.inboxId,
    labelIds: q.labelIds,
  };
}

/** What a view keeps of the inbox's filters: only those chosen (not the search). */
export function viewQuery(f: ListFilters): InboxViewQuery {
  return {
    ...(f.view !== 'all' && { view: f.view }),
    ...(f.status !== 'open' && { status: f.status ?? 'any' }),
    ...(f.inboxId && { inboxId: f.inboxId }),
    ...(f.labelIds?.length && { labelIds: f.labelIds }),
  };
}

const key = (q: InboxViewQuery) =>
  JSON.stringify([q.view ?? 'all', q.status ?? 'open', q.inboxId ?? '', [...(q.labelIds ?? [])].sort()]);

/**
 * The saved inbox views above the list, each with the number of conversations it lists now
 * (asked again whenever the list is: `listUpdatedAt`). Picking one sets the inbox's filters; the
 * view whose filters are the current ones is marked and, if the agent may, renamed or deleted
 * through the edit button beside it; other filters can be saved as a new view.
 */
export function InboxViews({
  filters,
  onFilters,
  listUpdatedAt,
}: {
  filters: ListFilters;
  onFilters: (next: ListFilters) => void;
  listUpdatedAt: number;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const client = useQueryClient();
  const views = useQuery(inboxViewsQuery()).data?.items ?? [];
  const [modal, setModal] = useState<'save' | 'edit' | null>(null);
  useEffect(() => {
    if (listUpdatedAt) void client.invalidateQueries({ queryKey: inboxViewsKey });
  }, [listUpdatedAt, client]);

  const current = key(viewQuery(filters));
  const selected = views.find((v) => key(v.query) === current);
  const refresh = () => client.invalidateQueries({ queryKey: inboxViewsKey });
  const path = (id: string) => `/api/inbox-views/${encodeURIComponent(id)}`;

  return (
    <Flex gap={4} wrap align="center" style={{ marginTop: 8 }} data-testid="inbox-views">
      {views.map((v) => (
        <Fragment key={v.id}>
          <Button
            size="small"
            type={v === selected ? 'primary' : 'default'}
            icon={v.shared ? <TeamOutlined /> : undefined}
            onClick={() => onFilters(viewFilters(v.query))}
            aria-pressed={v === selected}
            data-testid="inbox-view"
            data-view={v.id}
          >
            {v.name}
            <span
              data-testid="inbox-view-count"
              style={{ color: v === selected ? undefined : token.colorTextSecondary, marginInlineStart: 2 }}
            >
              {v.count >= 1000 ? '999+' : v.count}
            </span>
          </Button>
          {v === selected && v.editable && (
            <Tooltip title={t('common.savedViews.editTitle')}>
              <Button
                size="small"
                type="text"
                icon={<EditOutlined />}
                aria-label={t('common.savedViews.editTitle')}
                onClick={() => setModal('edit')}
                data-testid="inbox-view-edit"
              />
            </Tooltip>
          )}
        </Fragment>
      ))}
      {!selected && (
        <Button
          size="small"
          type="dashed"
          icon={<StarOutlined />}
          onClick={() => setModal('save')}
          data-testid="inbox-view-save"
        >
          {t('common.savedViews.saveCurrent')}
        </Button>
      )}
      <ViewModal
        open={modal === 'save'}
        onSubmit={async (v) => {
          await api.post<InboxView>('/api/inbox-views', { ...v, query: viewQuery(filters) });
          await refresh();
        }}
        onClose={() => setModal(null)}
      />
      <ViewModal
        open={modal === 'edit' && !!selected}
        editing={selected && { name: selected.name }}
        onSubmit={async (v) => {
          await api.patch<InboxView>(path(selected!.id), { name: v.name });
          await refresh();
        }}
        onDelete={async () => {
          await api.delete(path(selected!.id));
          await refresh();
        }}
        onClose={() => setModal(null)}
      />
    </Flex>
  );
}
