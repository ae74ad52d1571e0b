import { useMemo, useState } from 'react';
import { Button, Card, Flex, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { LoadError } from '../../shared/load-error.tsx';
import { LoadMore } from '../../shared/load-more.tsx';
import { Page } from '../../shared/page.tsx';
import { ViewModal } from '../../shared/view-modal.tsx';
import { usePhone } from '../../layout/use-phone.ts';
import { useCan } from '../auth/session.ts';
import { ticketsQuery, type TicketFilters } from './api.ts';
import { useCreateView } from './config-api.ts';
import { BulkBar } from './bulk-bar.tsx';
import { CreateTicketDrawer } from './create-ticket-drawer.tsx';
import { filtersFromSearch, searchFromFilters } from './filters.ts';
import { SlaSummary } from './sla-summary.tsx';
import { TicketFiltersBar } from './ticket-filters.tsx';
import { TicketTable } from './ticket-table.tsx';
import { ViewsRail } from './views-rail.tsx';

/** 工单: queues and saved views on the left, the filtered list with live SLA countdowns on the right. */
export function TicketsPage() {
  const phone = usePhone();
  const { t } = useTranslation();
  const can = useCan();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const tickets = useInfiniteQuery(ticketsQuery(filters));
  const [selected, setSelected] = useState<string[]>([]);
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState(false);
  const createView = useCreateView();
  const manage = can('tickets.manage');
  const items = useMemo(() => tickets.data?.pages.flatMap((p) => p.items) ?? [], [tickets.data]);

  const change = (next: TicketFilters) => {
    setSelected([]);
    setSearch(searchFromFilters(next));
  };

  return (
    <Page
      title={t('tickets.title')}
      subtitle={t('tickets.subtitle')}
      extra={
        // On a phone the figures and the button wrap inside the screen instead of scrolling sideways (defect 8).
        <Flex gap={phone ? 8 : 16} align="center" wrap={phone}>
          {can('reports.read') && <SlaSummary />}
          {manage && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="create-ticket"
            >
              {t('tickets.create')}
            </Button>
          )}
        </Flex>
      }
    >
      <Flex gap={phone ? 8 : 16} align={phone ? 'stretch' : 'flex-start'} vertical={phone}>
        {!phone && (
          <Card
            size="small"
            style={{ width: 200, flex: 'none', position: 'sticky', top: 80 }}
            styles={{ body: { padding: 4 } }}
          >
            <ViewsRail filters={filters} onPick={change} />
          </Card>
        )}
        <Card style={{ flex: 1, minWidth: 0 }} styles={{ body: { padding: phone ? 8 : 16 } }}>
          <Flex vertical gap={12}>
            {/* On a phone the views are one select above the list, not a rail that pushes it down. */}
            {phone && <ViewsRail compact filters={filters} onPick={change} />}
            <TicketFiltersBar
              filters={filters}
              onChange={change}
              onSave={() => setSaving(true)}
              searchKind={filters.q ? tickets.data?.pages[0]?.search?.kind : undefined}
            />
            {selected.length > 0 && <BulkBar selected={selected} tickets={items} onDone={() => setSelected([])} />}
            {tickets.isError ? (
              <LoadError error={tickets.error} onRetry={() => void tickets.refetch()} />
            ) : (
              <TicketTable
                tickets={items}
                loading={tickets.isLoading}
                selectable={manage}
                selected={selected}
                onSelect={setSelected}
              />
            )}
            {tickets.hasNextPage ? (
              <LoadMore pages={tickets} testId="tickets-more" />
            ) : (
              items.length > 0 && (
                <Typography.Text type="secondary" style={{ textAlign: 'center' }}>
                  {t('tickets.count', { count: items.length })}
                </Typography.Text>
              )
            )}
          </Flex>
        </Card>
      </Flex>
      <CreateTicketDrawer open={creating} onClose={() => setCreating(false)} />
      <ViewModal
        open={saving}
        onSubmit={(v) => createView.mutateAsync({ ...v, query: filters })}
        onClose={() => setSaving(false)}
      />
    </Page>
  );
}
