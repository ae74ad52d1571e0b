import { useEffect, useState } from 'react';
import { App, Button, Card, Empty, Flex, Form, Input, Select, Switch, Tabs } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { botModes } from '../../../shared/bot-api.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { inboxesQuery } from '../inboxes/api.ts';
import { botSettingsQuery, useSaveBotSettings, type BotSettings } from './api.ts';

const scriptKeys = ['greeting', 'fallback', 'handoff', 'outOfHours', 'askOrder', 'storeDown'] as const;

/** Per inbox: bot on/off, when it answers, and its scripts (话术) in both languages. */
export function BotSettingsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const inboxes = useQuery(inboxesQuery()).data?.items ?? [];
  const [inboxId, setInboxId] = useState('');
  const current = inboxId || inboxes[0]?.id || '';
  const { data } = useQuery(botSettingsQuery(current));
  const save = useSaveBotSettings(current);
  const [form] = Form.useForm<BotSettings>();
  useEffect(() => {
    if (data) form.setFieldsValue(data);
  }, [data, form]);
  if (!inboxes.length)
    return (
      <Card title={t('knowledge.bot.title')} size="small">
        <Empty description={t('knowledge.bot.noInbox')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      </Card>
    );
  const submit = async (v: BotSettings) => {
    try {
      await save.mutateAsync({ enabled: v.enabled, mode: v.mode, scripts: v.scripts });
      message.success(t('knowledge.saved'));
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <Card
      title={t('knowledge.bot.title')}
      size="small"
      extra={
        <Select
          value={current}
          onChange={setInboxId}
          style={{ minWidth: 160 }}
          options={inboxes.map((i) => ({ value: i.id, label: i.name }))}
          aria-label={t('knowledge.bot.inbox')}
        />
      }
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Flex gap={16} wrap>
          <Form.Item name="enabled" label={t('knowledge.bot.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="mode" label={t('knowledge.bot.mode')}>
            <Select
              style={{ minWidth: 220 }}
              options={botModes.map((m) => ({ value: m, label: t(`knowledge.bot.modes.${m}`) }))}
            />
          </Form.Item>
        </Flex>
        <Tabs
          items={(['zh-CN', 'en'] as const).map((lang) => ({
            key: lang,
            label: t(`knowledge.bot.lang.${lang}`),
            forceRender: true,
            children: scriptKeys.map((k) => (
              <Form.Item
                key={k}
                name={['scripts', lang, k]}
                label={t(`knowledge.bot.script.${k}`)}
                extra={t(`knowledge.bot.scriptHelp.${k}`)}
                rules={[{ required: true, max: 500 }]}
              >
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} />
              </Form.Item>
            )),
          }))}
        />
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
