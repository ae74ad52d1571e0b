/**
 * Notification channels: e-mail, the WeCom / DingTalk / Feishu group robots, an SMS gateway and
 * webhooks. Secrets are write-only: the API returns them masked, the form leaves them empty with
 * "set, leave empty to keep", and an empty field sends the mask back (the server keeps the stored
 * value). "Send test" delivers a test message now and says what the endpoint answered.
 */
import { useState } from 'react';
import {
  App,
  Button,
  Card,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../../shared/load-error.tsx';
import { useErrorText } from '../../../shared/use-error-text.ts';
import {
  channelsQuery,
  notifierKinds,
  saveChannel,
  secretMask,
  testChannel,
  type Channel,
  type NotifierKind,
} from './api.ts';

type Field = { key: string; label: string; secret?: boolean; list?: boolean; required?: boolean; placeholder?: string };

/** The settings each kind takes (as the server's notifier schemas), in form order. */
const fieldsOf = (kind: NotifierKind): Field[] =>
  ({
    email: [{ key: 'to', label: 'to', list: true, required: true, placeholder: 'oncall@example.com' }],
    wecom: [
      {
        key: 'url',
        label: 'wecomUrl',
        secret: true,
        required: true,
        placeholder: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
      },
      { key: 'mentionedMobiles', label: 'mobiles', list: true },
    ],
    dingtalk: [
      {
        key: 'url',
        label: 'robotUrl',
        required: true,
        placeholder: 'https://oapi.dingtalk.com/robot/send?access_token=…',
      },
      { key: 'secret', label: 'secret', secret: true, placeholder: 'SEC…' },
      { key: 'atMobiles', label: 'mobiles', list: true },
    ],
    feishu: [
      { key: 'url', label: 'robotUrl', required: true, placeholder: 'https://open.feishu.cn/open-apis/bot/v2/hook/…' },
      { key: 'secret', label: 'secret', secret: true },
    ],
    sms: [
      { key: 'url', label: 'url', required: true, placeholder: 'https://sms-gw.example.com/send' },
      { key: 'token', label: 'token', secret: true },
      { key: 'to', label: 'to', list: true, required: true, placeholder: '13800000000' },
    ],
    webhook: [
      { key: 'url', label: 'url', required: true, placeholder: 'https://hooks.example.com/kefu' },
      { key: 'secret', label: 'secret', secret: true, required: true },
    ],
  })[kind] as Field[];

type Values = { name: string; kind: NotifierKind; enabled: boolean; config: Record<string, unknown> };

export function NotifiersTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const channels = useQuery(channelsQuery());
  const [edited, setEdited] = useState<Channel | 'new' | null>(null);
  const test = useMutation({
    mutationFn: (c: Channel) => testChannel(c.id),
    onSuccess: (r, c) =>
      r.ok
        ? void message.success(t('incidentSettings.notifiers.testOk', { name: c.name }))
        : void message.error({
            content: t('incidentSettings.notifiers.testFailed', { name: c.name, error: r.error }),
            duration: 8,
          }),
    onError: (err) => void message.error(errorText(err)),
  });
  if (channels.isError) return <LoadError error={channels.error} onRetry={() => void channels.refetch()} />;
  return (
    <Card
      size="small"
      styles={{ body: { padding: 0 } }}
      title={t('incidentSettings.tabs.notifiers')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEdited('new')}>
          {t('incidentSettings.notifiers.add')}
        </Button>
      }
    >
      <Table<Channel>
        rowKey="id"
        loading={channels.isLoading}
        dataSource={channels.data?.items}
        pagination={false}
        locale={{ emptyText: <Empty description={t('incidentSettings.notifiers.empty')} /> }}
        columns={[
          {
            title: t('incidentSettings.notifiers.name'),
            dataIndex: 'name',
            render: (name: string, c) => (
              // The kind under the name, not in a column of its own: the row fits a phone without scrolling.
              <Flex vertical gap={4} align="start">
                <Typography.Text strong>{name}</Typography.Text>
                <Space size={4} wrap>
                  <Tag color="blue">{t(`incidentSettings.notifiers.kinds.${c.kind}`)}</Tag>
                  {!c.enabled && <Tag>{t('incidentSettings.notifiers.disabled')}</Tag>}
                </Space>
              </Flex>
            ),
          },
          {
            key: 'actions',
            align: 'right',
            render: (_, c) => (
              <Space wrap style={{ justifyContent: 'flex-end' }}>
                <Button
                  size="small"
                  icon={<SendOutlined />}
                  loading={test.isPending && test.variables.id === c.id}
                  onClick={() => test.mutate(c)}
                >
                  {t('incidentSettings.notifiers.test')}
                </Button>
                <Button size="small" onClick={() => setEdited(c)}>
                  {t('incidentSettings.edit')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Drawer
        open={!!edited}
        onClose={() => setEdited(null)}
        title={t(edited === 'new' ? 'incidentSettings.notifiers.newTitle' : 'incidentSettings.notifiers.editTitle')}
        width="min(520px, 100vw)"
        destroyOnHidden
      >
        {edited && <ChannelForm channel={edited === 'new' ? null : edited} onDone={() => setEdited(null)} />}
      </Drawer>
    </Card>
  );
}

function ChannelForm({ channel, onDone }: { channel: Channel | null; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) ?? channel?.kind ?? 'dingtalk';
  const stored = (k: string) => channel?.kind === kind && channel.config[k] === secretMask;
  const save = useMutation({
    mutationFn: (v: Values) => {
      const config: Record<string, unknown> = {};
      for (const f of fieldsOf(v.kind)) {
        const value = v.config[f.key];
        if (f.secret && !value && stored(f.key))
          config[f.key] = secretMask; // keep the stored secret
        else if (f.list) config[f.key] = (value as string[] | undefined) ?? [];
        else if (typeof value === 'string' && value.trim()) config[f.key] = value.trim();
      }
      return saveChannel(channel?.id ?? null, { name: v.name, kind: v.kind, enabled: v.enabled, config });
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: channelsQuery().queryKey });
      void message.success(t('incidentSettings.saved'));
      onDone();
    },
    onError: (err) => void message.error(errorText(err)),
  });
  const initialConfig = Object.fromEntries(
    Object.entries(channel?.config ?? {}).map(([k, v]) => [k, v === secretMask ? undefined : v]),
  );
  const n = (key: string) => t(`incidentSettings.notifiers.${key}` as 'incidentSettings.notifiers.url');
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={{
        name: channel?.name,
        kind: channel?.kind ?? 'dingtalk',
        enabled: channel?.enabled ?? true,
        config: initialConfig,
      }}
      onFinish={(v) => save.mutate(v)}
      data-testid="channel-form"
    >
      <Form.Item name="name" label={n('name')} rules={[{ required: true, message: n('required') }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="kind" label={n('kind')}>
        <Select options={notifierKinds.map((k) => ({ value: k, label: t(`incidentSettings.notifiers.kinds.${k}`) }))} />
      </Form.Item>
      {fieldsOf(kind).map((f) => (
        <Form.Item
          key={`${kind}-${f.key}`}
          name={['config', f.key]}
          label={n(f.label)}
          extra={f.secret ? (stored(f.key) ? n('secretSet') : n('secretHelp')) : f.list ? n('toHelp') : undefined}
          rules={f.required && !(f.secret && stored(f.key)) ? [{ required: true, message: n('required') }] : []}
        >
          {f.list ? (
            <Select mode="tags" open={false} tokenSeparators={[',', ' ', '，']} placeholder={f.placeholder} />
          ) : f.secret ? (
            <Input.Password
              autoComplete="new-password"
              placeholder={stored(f.key) ? secretMask : f.placeholder}
              visibilityToggle={!stored(f.key)}
            />
          ) : (
            <Input placeholder={f.placeholder} inputMode="url" />
          )}
        </Form.Item>
      ))}
      <Form.Item name="enabled" label={n('enabled')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Flex gap={8} justify="end">
        <Button onClick={onDone}>{t('incidentSettings.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('incidentSettings.save')}
        </Button>
      </Flex>
    </Form>
  );
}
