import { useState } from 'react';
import { Button, Card, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../shared/load-error.tsx';
import { calendarsQuery, type Calendar } from './api.ts';
import { CalendarDrawer } from './calendar-drawer.tsx';
import { weekdays, weeklyMinutes } from './calendar-form.ts';

/** The workspace's working calendars, which SLA policies count business time in. */
export function CalendarsCard() {
  const { t } = useTranslation();
  const calendars = useQuery(calendarsQuery());
  const [editing, setEditing] = useState<Calendar | null>(null);
  const [open, setOpen] = useState(false);

  const days = (c: Calendar) => {
    const open = weekdays.filter((d) => (c.definition.hours[d]?.length ?? 0) > 0);
    if (open.length === 7) return t('sla.calendar.everyDay');
    return open.map((d) => t(`sla.weekdays.${d}`)).join(' ');
  };

  return (
    <Card
      title={t('sla.calendar.title')}
      extra={
        <Button
          icon={<PlusOutlined />}
          onClick={() => {
            setEditing(null);
            setOpen(true);
          }}
          data-testid="create-calendar"
        >
          {t('sla.calendar.create')}
        </Button>
      }
      styles={{ body: { padding: 0 } }}
    >
      {calendars.isError ? (
        <div style={{ padding: 16 }}>
          <LoadError error={calendars.error} onRetry={() => void calendars.refetch()} />
        </div>
      ) : (
        <Table<Calendar>
          rowKey="id"
          size="middle"
          loading={calendars.isLoading}
          dataSource={calendars.data?.items}
          pagination={false}
          // On a phone the table scrolls inside its card, not the whole page sideways.
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('sla.calendar.empty') }}
          columns={[
            {
              title: t('sla.calendar.name'),
              dataIndex: 'name',
              render: (name: string) => <Typography.Text strong>{name}</Typography.Text>,
            },
            { title: t('sla.calendar.timezone'), key: 'zone', render: (_, c) => c.definition.timezone },
            {
              title: t('sla.calendar.weeklyHours'),
              key: 'hours',
              render: (_, c) => (
                <>
                  <div>{days(c)}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('sla.calendar.perWeek', { hours: Math.round(weeklyMinutes(c.definition.hours) / 6) / 10 })}
                  </Typography.Text>
                </>
              ),
            },
            {
              title: t('sla.calendar.holidays'),
              key: 'holidays',
              render: (_, c) => {
                if (c.definition.holidays === 'CN') return <Tag color="geekblue">{t('sla.calendar.cnShort')}</Tag>;
                const count = c.definition.holidays?.length ?? 0;
                return count ? (
                  <Tag>{t('sla.calendar.ownCount', { count })}</Tag>
                ) : (
                  <Typography.Text type="secondary">{t('sla.calendar.noHolidaysShort')}</Typography.Text>
                );
              },
            },
            {
              title: t('sla.calendar.overrides'),
              key: 'overrides',
              render: (_, c) => c.definition.overrides?.length || '—',
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, c) => (
                <Button
                  type="link"
                  size="small"
                  onClick={() => {
                    setEditing(c);
                    setOpen(true);
                  }}
                >
                  {t('common.edit')}
                </Button>
              ),
            },
          ]}
        />
      )}
      <CalendarDrawer calendar={editing} open={open} onClose={() => setOpen(false)} />
    </Card>
  );
}
