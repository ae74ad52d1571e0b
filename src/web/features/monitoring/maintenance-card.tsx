/**
 * Maintenance windows, editable: create, edit, end a running one early, delete. A window is part
 * of the configuration document, so each change is a `PUT /api/ops/config` of the whole document
 * (deleting prunes what the document no longer names, as `kefu ops apply --prune` does).
 */
import {
  Button,
  Card,
  Checkbox,
  DatePicker,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Space,
  Table,
  Tag,
  message,
} from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OpsConfig } from '../../../shared/ops-api.ts';
import { formatDateTime } from '../../shared/format.ts';
import { request } from '../../shared/http.ts';
import { useMe } from '../auth/session.ts';
import { configQuery } from './api.ts';

type Maintenance = OpsConfig['maintenance'][number];
type Values = {
  name: string;
  label?: string;
  value?: string;
  kind: 'once' | 'weekly';
  range?: [Dayjs, Dayjs];
  weekdays?: number[];
  start?: string;
  duration?: string;
};

const matchersText = (ms: Maintenance['matchers']) =>
  ms.map((m) => `${m.name}${m.isEqual ? '' : '!'}${m.isRegex ? '=~' : '='}"${m.value}"`).join(', ');

/** Open now, later, or over (a weekly window is "weekly": it opens again). */
function stateOf(m: Maintenance, now: number): 'active' | 'scheduled' | 'ended' | 'weekly' {
  if (m.recurring) return 'weekly';
  if (!m.startsAt || !m.endsAt) return 'ended';
  if (Date.parse(m.endsAt) <= now) return 'ended';
  return Date.parse(m.startsAt) <= now ? 'active' : 'scheduled';
}

function toWindow(v: Values, timezone: string): Maintenance {
  const matchers = v.label && v.value ? [{ name: v.label, value: v.value, isRegex: false, isEqual: true }] : [];
  if (v.kind === 'weekly')
    return {
      name: v.name,
      matchers,
      recurring: { weekdays: v.weekdays ?? [], start: v.start ?? '', duration: v.duration ?? '', timezone },
    };
  return { name: v.name, matchers, startsAt: v.range![0].toISOString(), endsAt: v.range![1].toISOString() };
}

const toValues = (m: Maintenance): Values => ({
  name: m.name,
  label: m.matchers[0]?.name,
  value: m.matchers[0]?.value,
  kind: m.recurring ? 'weekly' : 'once',
  range: m.startsAt && m.endsAt ? [dayjs(m.startsAt), dayjs(m.endsAt)] : undefined,
  weekdays: m.recurring?.weekdays,
  start: m.recurring?.start,
  duration: m.recurring?.duration,
});

export function MaintenanceCard() {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const config = useQuery(configQuery());
  const [form] = Form.useForm<Values>();
  const [editing, setEditing] = useState<Maintenance | 'new' | null>(null);
  const kind = Form.useWatch('kind', form);
  const save = useMutation({
    mutationFn: ({ maintenance, prune }: { maintenance: Maintenance[]; prune: boolean }) =>
      request('PUT', `/api/ops/config${prune ? '?prune=true' : ''}`, { ...config.data!, maintenance }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['ops'] }),
  });
  const windows = config.data?.maintenance ?? [];
  const replace = async (next: Maintenance[], prune = false) => {
    await save.mutateAsync({ maintenance: next, prune });
    void message.success(t('monitoring.maintenance.saved'));
  };
  const submit = async () => {
    // A field error is shown at the field; nothing is sent.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const w = toWindow(v, me.workspace.timezone);
    try {
      await replace([...windows.filter((x) => x.name !== w.name), w]);
      setEditing(null);
    } catch (err) {
      void message.error((err as Error).message);
    }
  };
  const open = (m: Maintenance | 'new') => {
    form.resetFields();
    form.setFieldsValue(
      m === 'new'
        ? { kind: 'once', range: [dayjs(), dayjs().add(2, 'hour')], start: '02:00', duration: '2h' }
        : toValues(m),
    );
    setEditing(m);
  };
  const now = Date.now();
  const weekdayNames = t('monitoring.maintenance.weekdayNames').split(',');
  return (
    <Card
      size="small"
      title={t('monitoring.silence.maintenance')}
      extra={
        <Button type="primary" size="small" onClick={() => open('new')}>
          {t('monitoring.maintenance.add')}
        </Button>
      }
      styles={{ body: { padding: 0 } }}
    >
      <Table<Maintenance>
        rowKey="name"
        size="middle"
        loading={config.isLoading}
        dataSource={windows}
        pagination={false}
        scroll={{ x: 760 }}
        columns={[
          { title: t('monitoring.silence.name'), dataIndex: 'name', width: 150 },
          { title: t('monitoring.silence.matchers'), render: (_, m) => matchersText(m.matchers) || '*', width: 170 },
          {
            title: t('monitoring.silence.window'),
            render: (_, m) =>
              m.recurring
                ? t('monitoring.silence.weekly', {
                    days: m.recurring.weekdays.map((d) => weekdayNames[d - 1]).join(','),
                    start: m.recurring.start,
                    duration: m.recurring.duration,
                  })
                : `${formatDateTime(m.startsAt, me.workspace.timezone)} – ${formatDateTime(m.endsAt, me.workspace.timezone)}`,
          },
          {
            title: t('monitoring.maintenance.state'),
            width: 90,
            render: (_, m) => {
              const s = stateOf(m, now);
              const color = { active: 'orange', scheduled: 'blue', ended: 'default', weekly: 'purple' }[s];
              return <Tag color={color}>{t(`monitoring.maintenance.states.${s}`)}</Tag>;
            },
          },
          {
            title: '',
            width: 200,
            render: (_, m) => (
              <Space size={4} wrap>
                <Button size="small" type="link" onClick={() => open(m)}>
                  {t('monitoring.maintenance.edit')}
                </Button>
                {stateOf(m, now) === 'active' && (
                  <Button
                    size="small"
                    type="link"
                    onClick={() =>
                      void replace(
                        windows.map((x) => (x.name === m.name ? { ...x, endsAt: new Date().toISOString() } : x)),
                      )
                    }
                  >
                    {t('monitoring.maintenance.endNow')}
                  </Button>
                )}
                <Popconfirm
                  title={t('monitoring.maintenance.confirmDelete', { name: m.name })}
                  onConfirm={() =>
                    replace(
                      windows.filter((x) => x.name !== m.name),
                      true,
                    )
                  }
                >
                  <Button size="small" type="link" danger>
                    {t('monitoring.maintenance.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={t(editing === 'new' ? 'monitoring.maintenance.add' : 'monitoring.maintenance.edit')}
        okText={t('monitoring.silence.save')}
        onOk={() => void submit()}
        confirmLoading={save.isPending}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} name="maintenance" layout="vertical">
          <Form.Item name="name" label={t('monitoring.silence.name')} rules={[{ required: true, max: 100 }]}>
            <Input disabled={editing !== 'new'} />
          </Form.Item>
          <Flex gap={8}>
            <Form.Item name="label" label={t('monitoring.silence.label')} style={{ flex: 1 }}>
              <Input placeholder="component" />
            </Form.Item>
            <Form.Item name="value" label={t('monitoring.silence.value')} style={{ flex: 1 }}>
              <Input placeholder="web_chat" />
            </Form.Item>
          </Flex>
          <Form.Item name="kind" label={t('monitoring.maintenance.kind')}>
            <Radio.Group
              options={[
                { value: 'once', label: t('monitoring.maintenance.once') },
                { value: 'weekly', label: t('monitoring.maintenance.weeklyKind') },
              ]}
            />
          </Form.Item>
          {kind === 'weekly' ? (
            <>
              <Form.Item name="weekdays" label={t('monitoring.maintenance.weekdays')} rules={[{ required: true }]}>
                <Checkbox.Group options={weekdayNames.map((label, i) => ({ label, value: i + 1 }))} />
              </Form.Item>
              <Flex gap={8}>
                <Form.Item
                  name="start"
                  label={t('monitoring.maintenance.start')}
                  rules={[{ required: true, pattern: /^([01]\d|2[0-3]):[0-5]\d$/ }]}
                  style={{ flex: 1 }}
                >
                  <Input placeholder="02:00" />
                </Form.Item>
                <Form.Item
                  name="duration"
                  label={t('monitoring.maintenance.duration')}
                  rules={[{ required: true, pattern: /^\d+[smhd]$/ }]}
                  style={{ flex: 1 }}
                >
                  <Input placeholder="2h" />
                </Form.Item>
              </Flex>
            </>
          ) : (
            <Form.Item name="range" label={t('monitoring.silence.window')} rules={[{ required: true }]}>
              <DatePicker.RangePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                style={{ width: '100%' }}
              />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
