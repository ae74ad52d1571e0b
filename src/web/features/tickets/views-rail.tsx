import type { ReactNode } from 'react';
import { App, Button, Flex, Menu, Popconfirm, Select, Typography } from 'antd';
import {
  AlertOutlined,
  DeleteOutlined,
  FolderOutlined,
  InboxOutlined,
  StarOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useCan } from '../auth/session.ts';
import type { TicketFilters } from './api.ts';
import { useDeleteView, viewsQuery, type SavedView } from './config-api.ts';
import { sameTickets } from './filters.ts';
import { useLookups } from './use-lookups.ts';

type RailItem = { key: string; label: ReactNode; icon: ReactNode; filters: TicketFilters; view?: SavedView };

/**
 * Saved views on the left: built-in queues, one per group, and the user's own (or shared) views.
 * `compact` (a phone): one select above the list instead of a rail that pushes the list down.
 */
export function ViewsRail({
  filters,
  onPick,
  compact = false,
}: {
  filters: TicketFilters;
  onPick: (filters: TicketFilters) => void;
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const can = useCan();
  const { groups } = useLookups();
  const views = useQuery(viewsQuery()).data?.items ?? [];
  const remove = useDeleteView();

  const builtIn: RailItem[] = [
    { key: 'mine', label: t('tickets.views.mine'), icon: <UserOutlined />, filters: { view: 'mine' } },
    {
      key: 'unassigned',
      label: t('tickets.views.unassigned'),
      icon: <InboxOutlined />,
      filters: { view: 'unassigned' },
    },
    {
      key: 'breaching',
      label: t('tickets.views.breachingSoon'),
      icon: <AlertOutlined />,
      filters: { view: 'breaching_soon' },
    },
    { key: 'all', label: t('tickets.views.all'), icon: <FolderOutlined />, filters: { view: 'all' } },
  ];
  const perGroup: RailItem[] = groups.map((g) => ({
    key: `group:${g.id}`,
    label: g.name,
    icon: <TeamOutlined />,
    filters: { view: 'all', groupId: g.id, status: 'unsolved' },
  }));
  const saved: RailItem[] = views.map((v) => ({
    key: `view:${v.id}`,
    label: v.name,
    icon: <StarOutlined />,
    filters: v.query as TicketFilters,
    view: v,
  }));
  const all = [...builtIn, ...perGroup, ...saved];
  const selected = all.find((item) => sameTickets(item.filters, filters))?.key;

  const deletable = (view: SavedView) => !view.shared || can('settings.manage');
  const deleteButton = (view: SavedView) => (
    <Popconfirm
      title={t('common.savedViews.deleteConfirm', { name: view.name })}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      onConfirm={() => remove.mutateAsync(view.id).catch((error: unknown) => void message.error(errorText(error)))}
    >
      <Button
        type="text"
        size="small"
        icon={<DeleteOutlined />}
        aria-label={t('common.savedViews.delete')}
        data-testid="view-delete"
      />
    </Popconfirm>
  );

  const entry = (item: RailItem) => ({
    key: item.key,
    icon: item.icon,
    label: item.view ? (
      <span style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 4 }}>
        <Typography.Text ellipsis style={{ color: 'inherit' }}>
          {item.label}
        </Typography.Text>
        {deletable(item.view) && (
          // Clicks and keys on the delete button stay off the menu item (which would open the view).
          <span role="presentation" onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
            {deleteButton(item.view)}
          </span>
        )}
      </span>
    ) : (
      item.label
    ),
  });

  const pick = (key: string) => {
    const item = all.find((x) => x.key === key);
    if (item) onPick({ ...item.filters, ...(filters.sort && !item.filters.sort ? { sort: filters.sort } : {}) });
  };

  if (compact) {
    const options = (items: RailItem[]) => items.map((i) => ({ value: i.key, label: i.label }));
    // A phone has no rail to hold the delete buttons: the chosen saved view's sits beside the select.
    const chosen = saved.find((item) => item.key === selected)?.view;
    return (
      <Flex gap={4} align="center">
        <Select
          value={selected}
          placeholder={t('tickets.views.custom')}
          aria-label={t('tickets.views.pick')}
          data-testid="views-select"
          style={{ flex: 1, minWidth: 0 }}
          onChange={pick}
          options={[
            { label: t('tickets.views.queues'), title: t('tickets.views.queues'), options: options(builtIn) },
            ...(perGroup.length
              ? [{ label: t('tickets.views.groups'), title: t('tickets.views.groups'), options: options(perGroup) }]
              : []),
            ...(saved.length
              ? [{ label: t('tickets.views.saved'), title: t('tickets.views.saved'), options: options(saved) }]
              : []),
          ]}
        />
        {chosen && deletable(chosen) && deleteButton(chosen)}
      </Flex>
    );
  }

  return (
    <Menu
      mode="inline"
      selectedKeys={selected ? [selected] : []}
      style={{ borderInlineEnd: 'none' }}
      data-testid="views-rail"
      onClick={({ key }) => pick(key)}
      items={[
        { type: 'group', key: 'queues', label: t('tickets.views.queues'), children: builtIn.map(entry) },
        ...(perGroup.length
          ? [{ type: 'group' as const, key: 'groups', label: t('tickets.views.groups'), children: perGroup.map(entry) }]
          : []),
        ...(saved.length
          ? [{ type: 'group' as const, key: 'saved', label: t('tickets.views.saved'), children: saved.map(entry) }]
          : []),
      ]}
    />
  );
}
