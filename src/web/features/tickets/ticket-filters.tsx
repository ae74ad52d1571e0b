import { useEffect, useState } from 'react';
import { Button, Flex, Input, Select, Tooltip } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { SearchKind } from '../../../shared/search.ts';
import { SearchKindNote } from '../../shared/load-more.tsx';
import type { Sort, TicketFilters } from './api.ts';
import { hasFilters } from './filters.ts';
import { priorities, statuses } from './model.ts';
import { useLookups } from './use-lookups.ts';

const sorts: Sort[] = ['updated', 'created', 'priority', 'deadline'];

/** Status, priority, type, group, assignee, tag, search and order; plus "save these filters as a view". */
export function TicketFiltersBar({
  filters,
  onChange,
  onSave,
  searchKind,
}: {
  filters: TicketFilters;
  onChange: (filters: TicketFilters) => void;
  onSave: () => void;
  /** How the current search was answered: text search lists newest first, whatever the sort. */
  searchKind?: SearchKind;
}) {
  const { t } = useTranslation();
  const lookups = useLookups();
  const [q, setQ] = useState(filters.q ?? '');
  const [tag, setTag] = useState(filters.tag ?? '');
  useEffect(() => setQ(filters.q ?? ''), [filters.q]);
  useEffect(() => setTag(filters.tag ?? ''), [filters.tag]);

  const set = (patch: Partial<TicketFilters>) => onChange({ ...filters, ...patch });
  const width = 132;

  return (
    <Flex gap={8} wrap align="center" data-testid="ticket-filters">
      <Input.Search
        allowClear
        placeholder={t('tickets.filters.search')}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onSearch={(value) => set({ q: value.trim() || undefined })}
        style={{ width: 280 }}
        data-testid="ticket-search"
      />
      <Select
        allowClear
        placeholder={t('tickets.fields.status')}
        value={filters.status}
        onChange={(status) => set({ status })}
        style={{ width }}
        options={[
          { value: 'unsolved', label: t('tickets.filters.unsolved') },
          ...statuses.map((s) => ({ value: s, label: t(`tickets.status.${s}`) })),
        ]}
      />
      <Select
        allowClear
        placeholder={t('tickets.fields.priority')}
        value={filters.priority}
        onChange={(priority) => set({ priority })}
        style={{ width }}
        options={priorities.map((p) => ({ value: p, label: t(`tickets.priority.${p}`) }))}
      />
      <Select
        allowClear
        placeholder={t('tickets.fields.type')}
        value={filters.type}
        onChange={(type) => set({ type })}
        style={{ width }}
        options={lookups.typeOptions(filters.type)}
      />
      {lookups.groups.length > 0 && (
        <Select
          allowClear
          placeholder={t('tickets.fields.group')}
          value={filters.groupId}
          onChange={(groupId) => set({ groupId })}
          style={{ width }}
          options={lookups.groupOptions(false)}
        />
      )}
      <Select
        allowClear
        showSearch={{ optionFilterProp: 'search' }}
        placeholder={t('tickets.fields.assignee')}
        value={filters.assigneeId}
        onChange={(assigneeId) => set({ assigneeId })}
        style={{ width }}
        options={lookups.assigneeOptions(filters.assigneeId).filter((o) => o.value !== '__none__')}
      />
      <Input
        allowClear
        placeholder={t('tickets.fields.tag')}
        value={tag}
        onChange={(e) => {
          setTag(e.target.value);
          if (!e.target.value) set({ tag: undefined });
        }}
        onPressEnter={() => set({ tag: tag.trim() || undefined })}
        style={{ width: 110 }}
      />
      <Tooltip title={searchKind === 'text' ? t('tickets.filters.newestFirst') : undefined}>
        <Select
          value={searchKind === 'text' ? 'newest' : (filters.sort ?? 'updated')}
          onChange={(sort) => sort !== 'newest' && set({ sort: sort as Sort })}
          disabled={searchKind === 'text'}
          style={{ width: 170 }}
          aria-label={t('tickets.filters.sort')}
          data-testid="ticket-sort"
          options={[
            ...sorts.map((s) => ({ value: s, label: t(`tickets.sort.${s}`) })),
            ...(searchKind === 'text' ? [{ value: 'newest', label: t('tickets.sort.newest') }] : []),
          ]}
        />
      </Tooltip>
      <Button icon={<SaveOutlined />} onClick={onSave} disabled={!hasFilters(filters)}>
        {t('common.savedViews.saveCurrent')}
      </Button>
      <SearchKindNote kind={searchKind} testId="ticket-search-kind" />
    </Flex>
  );
}
