import { Alert, Button, Card, Flex, Skeleton, Typography } from 'antd';
import { OrdersPanel } from '../store/orders-panel.tsx';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { usePhone } from '../../layout/use-phone.ts';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../shared/http.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { NotFoundResult } from '../../shared/results.tsx';
import { useCan, useMe } from '../auth/session.ts';
import { ticketQuery, timelineQuery } from './api.ts';
import { Composer } from './composer.tsx';
import { CsatPanel } from '../csat/csat-panel.tsx';
import { CustomFieldsCard } from './custom-fields-card.tsx';
import { SlaPanel } from './sla-panel.tsx';
import { TicketHeader } from './ticket-header.tsx';
import { TicketProperties } from './ticket-properties.tsx';
import { TimelineItem } from './timeline-item.tsx';
import { useLookups } from './use-lookups.ts';

/** One ticket: what happened (timeline) and the reply box on the left; its properties and SLA on the right. */
export function TicketPage() {
  const phone = usePhone();
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const me = useMe();
  const can = useCan();
  const lookups = useLookups();
  const ticket = useQuery(ticketQuery(id));
  const timeline = useQuery(timelineQuery(id));
  const data = ticket.data;

  if (ticket.error instanceof ApiError && ticket.error.status === 404) return <NotFoundResult />;
  if (ticket.isError) return <LoadError error={ticket.error} onRetry={() => void ticket.refetch()} />;
  if (!data)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );

  const editable = can('tickets.manage') && !data.mergedIntoId;

  return (
    <div style={{ maxWidth: 1280, margin: '0 auto' }} data-testid="ticket-page">
      <Button
        type="link"
        icon={<ArrowLeftOutlined />}
        // Back to the list as it was filtered; opened directly (no history in the app), to the list.
        onClick={() => (location.key !== 'default' ? navigate(-1) : navigate('/tickets'))}
        style={{ padding: 0, marginBottom: 8 }}
      >
        {t('tickets.back')}
      </Button>
      <Flex vertical gap={16}>
        <TicketHeader ticket={data} editable={editable} />
        {data.mergedIntoId && (
          <Alert
            type="info"
            showIcon
            title={
              <>
                {t('tickets.mergedBanner')} <Link to={`/tickets/${data.mergedIntoId}`}>{t('tickets.openMerged')}</Link>
              </>
            }
          />
        )}
        <Flex gap={phone ? 8 : 16} align={phone ? 'stretch' : 'flex-start'} vertical={phone}>
          <Flex vertical gap={12} style={{ flex: 1, minWidth: 0, order: phone ? 2 : 0 }}>
            <Card size="small" title={t('tickets.timeline.title')} styles={{ body: { padding: 12 } }}>
              {timeline.isError ? (
                <LoadError error={timeline.error} onRetry={() => void timeline.refetch()} />
              ) : !timeline.data ? (
                <Skeleton active />
              ) : (
                <Flex vertical gap={10} data-testid="timeline">
                  {timeline.data.items.map((entry) => (
                    <TimelineItem
                      key={entry.id}
                      entry={entry}
                      zone={me.workspace.timezone}
                      lookups={lookups}
                      customerName={data.customerName}
                    />
                  ))}
                </Flex>
              )}
            </Card>
            {editable ? (
              <Composer ticket={data} />
            ) : (
              !data.mergedIntoId && <Typography.Text type="secondary">{t('tickets.readOnly')}</Typography.Text>
            )}
          </Flex>
          <Flex vertical gap={12} style={phone ? { order: 1 } : { width: 320, flex: 'none' }}>
            <SlaPanel sla={data.sla} />
            <TicketProperties ticket={data} editable={editable} />
            <CustomFieldsCard ticket={data} editable={editable} />
            {data.customerId && can('conversations.read') && (
              <Card size="small" title={t('store.orders')} data-testid="ticket-orders">
                <OrdersPanel customerId={data.customerId} conversationId={data.conversationId ?? undefined} />
              </Card>
            )}
            <Card size="small" title={t('csat.title')}>
              <CsatPanel type="tickets" id={data.id} />
            </Card>
          </Flex>
        </Flex>
      </Flex>
    </div>
  );
}
