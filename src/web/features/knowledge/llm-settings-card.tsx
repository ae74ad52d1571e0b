import { useEffect } from 'react';
import { App, Button, Card, Flex, Form, Input, InputNumber, Space, Switch, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../shared/use-error-text.ts';
import { llmSettingsQuery, useSaveLlmSettings, useTestLlm, type BotLlmBody } from './api.ts';

type Values = Omit<BotLlmBody, 'apiKey'> & { apiKey?: string };

/** The workspace's optional LLM (OpenAI-compatible): endpoint, model, key (write-only), time limit, phrasing. */
export function LlmSettingsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { data } = useQuery(llmSettingsQuery());
  const save = useSaveLlmSettings();
  const test = useTestLlm();
  const [form] = Form.useForm<Values>();
  useEffect(() => {
    if (data)
      form.setFieldsValue({
        enabled: data.enabled,
        baseUrl: data.baseUrl,
        model: data.model,
        timeoutMs: data.timeoutMs,
        phrase: data.phrase,
        apiKey: '',
      });
  }, [data, form]);
  const submit = async (v: Values, removeKey = false) => {
    try {
      const body: BotLlmBody = {
        enabled: v.enabled,
        baseUrl: v.baseUrl.trim(),
        model: v.model.trim(),
        timeoutMs: v.timeoutMs,
        phrase: v.phrase,
        ...(removeKey ? { apiKey: null } : v.apiKey?.trim() ? { apiKey: v.apiKey.trim() } : {}),
      };
      await save.mutateAsync(body);
      form.setFieldValue('apiKey', '');
      message.success(t('knowledge.saved'));
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const runTest = async () => {
    try {
      const r = await test.mutateAsync();
      if (r.ok) message.success(t('knowledge.llm.testOk', { ms: r.ms }));
      else message.error(t('knowledge.llm.testFailed', { error: r.error }));
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const status = data?.status;
  return (
    <Card
      data-testid="llm-settings"
      title={t('knowledge.llm.title')}
      size="small"
      extra={
        status?.up == null ? (
          <Tag>{t('knowledge.llm.status.none')}</Tag>
        ) : status.up ? (
          <Tag color="green">{t('knowledge.llm.status.up')}</Tag>
        ) : (
          <Tag color="red">{t('knowledge.llm.status.down')}</Tag>
        )
      }
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('knowledge.llm.help')}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => submit(v)}
        initialValues={{ enabled: false, timeoutMs: 3000, phrase: false }}
      >
        <Form.Item name="enabled" label={t('knowledge.llm.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item
          name="baseUrl"
          label={t('knowledge.llm.baseUrl')}
          rules={[{ required: true, pattern: /^https?:\/\/\S+$/, message: t('knowledge.llm.baseUrlRule') }]}
        >
          <Input placeholder="https://api.example.com/v1" inputMode="url" autoComplete="off" />
        </Form.Item>
        <Form.Item name="model" label={t('knowledge.llm.model')} rules={[{ required: true, max: 100 }]}>
          <Input placeholder="gpt-4o-mini / qwen-plus / deepseek-chat" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="apiKey"
          label={t('knowledge.llm.apiKey')}
          extra={data?.keySet ? t('knowledge.llm.keySet') : t('knowledge.llm.keyNotSet')}
        >
          <Input.Password autoComplete="new-password" placeholder={data?.keySet ? '••••••••' : ''} />
        </Form.Item>
        <Flex gap={16} wrap>
          <Form.Item name="timeoutMs" label={t('knowledge.llm.timeout')} rules={[{ required: true }]}>
            <InputNumber min={500} max={15000} step={500} addonAfter="ms" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item
            name="phrase"
            label={t('knowledge.llm.phrase')}
            valuePropName="checked"
            tooltip={t('knowledge.llm.phraseHelp')}
          >
            <Switch />
          </Form.Item>
        </Flex>
        {status?.lastError && (
          <Typography.Paragraph type="danger" style={{ fontSize: 12 }}>
            {t('knowledge.llm.lastError', { error: status.lastError })}
          </Typography.Paragraph>
        )}
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
          <Button onClick={runTest} loading={test.isPending} disabled={!data?.configured}>
            {t('knowledge.llm.test')}
          </Button>
          {data?.keySet && (
            <Button danger onClick={() => submit(form.getFieldsValue(true) as Values, true)}>
              {t('knowledge.llm.removeKey')}
            </Button>
          )}
        </Space>
      </Form>
    </Card>
  );
}
