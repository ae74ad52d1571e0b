/** Silences (with a form to add one) and maintenance windows (maintenance-card.tsx); both are part of the configuration document. */
import { Button, Card, Flex, Form, Input, InputNumber, Popconfirm, Table, Tag, message } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { OpsConfig } from '../../../shared/ops-api.ts';
import { formatDateTime } from '../../shared/format.ts';
import { useMe } from '../auth/session.ts';
import { configQuery, useEndSilence, useSaveConfig } from './api.ts';
import { MaintenanceCard } from './maintenance-card.tsx';

type Silence = OpsConfig['silences'][number];
const matchersText = (ms: Silence['matchers']) =>
  ms.map((m) => `${m.name}${m.isEqual ? '' : '!'}${m.isRegex ? '=~' : '='}"${m.value}"`).join(', ');

export function SilencesTab() {
  const { t } = useTranslation();
  const me = useMe();
  const config = useQuery(configQuery());
  const save = useSaveConfig();
  const endSilence = useEndSilence();
  const endNow = async (name: string) => {
    await endSilence.mutateAsync(name);
    void message.success(t('monitoring.silence.endedNotice'));
  };
  const [form] = Form.useForm<{ name: string; label: string; value: string; hours: number; comment: string }>();
  const add = async () => {
    const v = await form.validateFields();
    if (!config.data) return;
    const silence: Silence = {
      name: v.name,
      matchers: [{ name: v.label, value: v.value, isRegex: false, isEqual: true }],
      endsAt: new Date(Date.now() + v.hours * 3600_000).toISOString(),
      createdBy: me.user.email,
      comment: v.comment,
    };
    await save.mutateAsync({
      ...config.data,
      silences: [...config.data.silences.filter((s) => s.name !== v.name), silence],
    });
    form.resetFields();
    void message.success(t('monitoring.silence.saved'));
  };
  return (
    <Flex vertical gap={16}>
      <Card size="small" title={t('monitoring.silence.add')}>
        <Form form={form} layout="inline" initialValues={{ label: 'component', hours: 2 }} style={{ rowGap: 8 }}>
          <Form.Item name="name" label={t('monitoring.silence.name')} rules={[{ required: true }]}>
            <Input style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="label" label={t('monitoring.silence.label')} rules={[{ required: true }]}>
            <Input style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="value" label={t('monitoring.silence.value')} rules={[{ required: true }]}>
            <Input style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="hours" label={t('monitoring.silence.hours')} rules={[{ required: true }]}>
            <InputNumber min={0.25} max={24 * 30} step={0.5} />
          </Form.Item>
          <Form.Item name="comment" label={t('monitoring.silence.comment')} rules={[{ required: true }]}>
            <Input style={{ width: 200 }} />
          </Form.Item>
          <Button type="primary" onClick={() => void add()} loading={save.isPending}>
            {t('monitoring.silence.save')}
          </Button>
        </Form>
      </Card>
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Silence>
          rowKey="name"
          size="middle"
          loading={config.isLoading}
          dataSource={config.data?.silences ?? []}
          pagination={false}
          scroll={{ x: 800 }}
          columns={[
            { title: t('monitoring.silence.name'), dataIndex: 'name', width: 160 },
            { title: t('monitoring.silence.matchers'), render: (_, s) => matchersText(s.matchers) },
            {
              title: t('monitoring.silence.endsAt'),
              dataIndex: 'endsAt',
              width: 170,
              render: (v: string) => formatDateTime(v, me.workspace.timezone),
            },
            { title: t('monitoring.silence.createdBy'), dataIndex: 'createdBy', width: 180 },
            { title: t('monitoring.silence.comment'), dataIndex: 'comment' },
            {
              key: 'end',
              width: 110,
              render: (_, s) =>
                Date.parse(s.endsAt) <= Date.now() ? (
                  <Tag>{t('monitoring.silence.ended')}</Tag>
                ) : (
                  <Popconfirm
                    title={t('monitoring.silence.endConfirm', { name: s.name })}
                    onConfirm={() => endNow(s.name)}
                  >
                    <Button size="small" type="link" danger data-testid={`end-silence-${s.name}`}>
                      {t('monitoring.silence.end')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </Card>
      <MaintenanceCard />
    </Flex>
  );
}
