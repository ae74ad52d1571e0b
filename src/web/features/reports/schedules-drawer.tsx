/**
 * The report schedules (投递计划): per report type, on or off, its time in the workspace's zone
 * (daily at that time, Mondays, the 1st of the month), the e-mail recipients and the notification
 * channels that get the summary and its signed link. A type never saved shows its defaults.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Drawer, Form, Radio, Segmented, Select, Skeleton, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { reportTypeValues, type ReportSchedule, type ReportTypeName } from '../../../shared/reports-api.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { useErrorText } from '../../shared/use-error-text.ts';
import { schedulesQuery, useSaveSchedule } from './api.ts';

type Values = { enabled: boolean; localTime: string; recipients: string[]; all: boolean; channelIds: string[] };

const quarterHours = Array.from({ length: 96 }, (_, i) => {
  const v = `${String(Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`;
  return { value: v, label: v };
});
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function ScheduleForm({
  schedule,
  zone,
  channels,
}: {
  schedule: ReportSchedule;
  zone: string;
  channels: { id: string; name: string; kind: string; enabled: boolean }[];
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const save = useSaveSchedule();
  const [form] = Form.useForm<Values>();
  const all = Form.useWatch('all', form) ?? schedule.channelIds === null;
  const initial: Values = {
    enabled: schedule.enabled,
    localTime: schedule.localTime,
    recipients: schedule.recipients,
    all: schedule.channelIds === null,
    channelIds: schedule.channelIds ?? [],
  };
  const submit = (v: Values) =>
    save.mutate(
      {
        type: schedule.type,
        body: {
          enabled: v.enabled,
          localTime: v.localTime,
          recipients: v.recipients.map((x) => x.trim().toLowerCase()),
          channelIds: v.all ? null : v.channelIds,
        },
      },
      {
        onSuccess: () => void message.success(t('common.saved')),
        onError: (err) => void message.error(errorText(err)),
      },
    );
  return (
    <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={submit} data-testid="schedule-form">
      {!schedule.custom && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('reports.schedules.defaults')} />
      )}
      <Form.Item name="enabled" label={t('reports.schedules.enabled')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item
        name="localTime"
        label={t('reports.schedules.time', { zone })}
        extra={t(`reports.schedules.cadence.${schedule.type}`)}
      >
        <Select options={quarterHours} showSearch style={{ maxWidth: 160 }} data-testid="schedule-time" />
      </Form.Item>
      <Form.Item
        name="recipients"
        label={t('reports.schedules.recipients')}
        extra={t('reports.schedules.recipientsHelp')}
        rules={[
          {
            validator: (_, xs: string[] = []) =>
              xs.every((x) => emailPattern.test(x.trim()))
                ? Promise.resolve()
                : Promise.reject(new Error(t('reports.schedules.badEmail'))),
          },
        ]}
      >
        <Select
          mode="tags"
          tokenSeparators={[',', ' ', '，', ';', '；']}
          open={false}
          suffixIcon={null}
          placeholder="boss@shop.example"
          data-testid="schedule-recipients"
        />
      </Form.Item>
      <Form.Item name="all" label={t('reports.schedules.channels')}>
        <Radio.Group
          options={[
            { value: true, label: t('reports.schedules.allChannels') },
            { value: false, label: t('reports.schedules.someChannels') },
          ]}
        />
      </Form.Item>
      {!all && (
        <Form.Item name="channelIds" extra={channels.length ? undefined : t('reports.schedules.noChannels')}>
          <Select
            mode="multiple"
            placeholder={t('reports.schedules.pickChannels')}
            options={channels.map((c) => ({
              value: c.id,
              label: c.enabled ? `${c.name} · ${c.kind}` : `${c.name} · ${c.kind}（${t('reports.schedules.off')}）`,
            }))}
          />
        </Form.Item>
      )}
      <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="schedule-save">
        {t('common.save')}
      </Button>
    </Form>
  );
}

export function SchedulesDrawer({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const [type, setType] = useState<ReportTypeName>('daily');
  const q = useQuery(schedulesQuery());
  const schedule = q.data?.schedules.find((x) => x.type === type);
  return (
    <Drawer open size="min(560px, 100vw)" onClose={onClose} title={t('reports.schedules.title')} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('reports.schedules.intro')}</Typography.Paragraph>
      <div style={{ overflowX: 'auto', marginBottom: 16 }}>
        <Segmented
          value={type}
          onChange={(v) => setType(v as ReportTypeName)}
          options={reportTypeValues.map((x) => ({ value: x, label: t(`reports.types.${x}`) }))}
          data-testid="schedule-types"
        />
      </div>
      {q.error ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data || !schedule ? (
        <Skeleton active />
      ) : (
        <ScheduleForm
          key={`${type}-${q.dataUpdatedAt}`}
          schedule={schedule}
          zone={q.data.zone}
          channels={q.data.channels}
        />
      )}
    </Drawer>
  );
}
