import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Radio, Space, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useErrorText } from '../../shared/use-error-text.ts';
import { storeSettingsQuery, useSaveStoreSettings, useTestStore, type StoreTestResult } from './api.ts';

type Values = { adapter: 'demo' | 'shopify'; domain?: string; token?: string; webhookSecret?: string };

/** "your-shop.myshopify.com" or a full address → the Admin API's base URL (https unless typed otherwise). */
export const shopBaseUrl = (domain: string): string => {
  const d = domain.trim().replace(/\/+$/, '');
  return /^https?:\/\//i.test(d) ? d : `https://${d}`;
};
const domainPattern = /^(https?:\/\/)?[a-z0-9.-]+(:\d{1,5})?(\/\S*)?$/i;

/** 店铺对接: which store the bot and the sidebar read orders from; Shopify's address, token and webhook secret. */
export function StoreSettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const settings = useQuery(storeSettingsQuery());
  const save = useSaveStoreSettings();
  const test = useTestStore();
  const [result, setResult] = useState<StoreTestResult | null>(null);
  const [form] = Form.useForm<Values>();
  const adapter = Form.useWatch('adapter', form);
  const data = settings.data;

  useEffect(() => {
    if (data) form.setFieldsValue({ adapter: data.adapter, domain: data.baseUrl ?? '', token: '', webhookSecret: '' });
  }, [data, form]);

  if (settings.isError)
    return (
      <Page title={t('store.settings.title')}>
        <LoadError error={settings.error} onRetry={() => void settings.refetch()} />
      </Page>
    );

  const typed = (v: string | undefined) => v?.trim() || undefined;
  const submit = async (v: Values) => {
    try {
      await save.mutateAsync({
        adapter: v.adapter,
        baseUrl: v.adapter === 'shopify' && typed(v.domain) ? shopBaseUrl(v.domain!) : (data?.baseUrl ?? null),
        ...(typed(v.token) ? { token: typed(v.token) } : {}),
        ...(typed(v.webhookSecret) ? { webhookSecret: typed(v.webhookSecret) } : {}),
      });
      form.setFieldsValue({ token: '', webhookSecret: '' });
      message.success(t('store.settings.saved'));
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const runTest = async () => {
    const v = form.getFieldsValue(true) as Values;
    setResult(null);
    try {
      setResult(
        await test.mutateAsync({
          ...(typed(v.domain) ? { baseUrl: shopBaseUrl(v.domain!) } : {}),
          ...(typed(v.token) ? { token: typed(v.token) } : {}),
        }),
      );
    } catch (err) {
      setResult({ ok: false, error: errorText(err) });
    }
  };
  /** The server's reason in the reader's language where it is a known one (the raw reason in brackets). */
  const failure = (error: string) => {
    const detail = error.replace(/^the store did not answer: /, '');
    if (/HTTP 40[13]\b/.test(error)) return t('store.settings.wrongToken', { detail });
    if (error.startsWith('the store did not answer') || error.startsWith('the address answered'))
      return t('store.settings.noAnswer', { detail });
    return error;
  };
  const secretHelp = (set: boolean | undefined) => (set ? t('store.settings.isSet') : t('store.settings.notSet'));
  const webhookUrl = data ? `${window.location.origin}${data.webhookPath}` : '';

  return (
    <Page title={t('store.settings.title')} subtitle={t('store.settings.subtitle')}>
      <Card style={{ maxWidth: 720 }} loading={!data} data-testid="store-settings">
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ adapter: 'demo' }}>
          <Form.Item name="adapter" label={t('store.settings.adapter')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'demo', label: t('store.settings.demo') },
                { value: 'shopify', label: t('store.settings.shopify') },
              ]}
            />
          </Form.Item>
          {adapter === 'demo' ? (
            <Typography.Paragraph type="secondary">{t('store.settings.demoHelp')}</Typography.Paragraph>
          ) : (
            <>
              <Form.Item
                name="domain"
                label={t('store.settings.domain')}
                extra={t('store.settings.domainHelp')}
                rules={[{ required: true, pattern: domainPattern, message: t('store.settings.domainRule') }]}
              >
                <Input placeholder="your-shop.myshopify.com" inputMode="url" autoComplete="off" />
              </Form.Item>
              <Form.Item
                name="token"
                label={t('store.settings.token')}
                extra={secretHelp(data?.tokenSet)}
                rules={[{ required: !data?.tokenSet, min: 8, max: 300 }]}
              >
                <Input.Password autoComplete="new-password" placeholder={data?.tokenSet ? '••••••••' : 'shpat_…'} />
              </Form.Item>
              <Form.Item
                name="webhookSecret"
                label={t('store.settings.secret')}
                tooltip={t('store.settings.secretHelp')}
                extra={secretHelp(data?.webhookSecretSet)}
                rules={[{ min: 16, max: 300 }]}
              >
                <Input.Password autoComplete="new-password" placeholder={data?.webhookSecretSet ? '••••••••' : ''} />
              </Form.Item>
              <Form.Item label={t('store.settings.webhookUrl')} extra={t('store.settings.webhookHelp')}>
                <Typography.Text copyable code style={{ wordBreak: 'break-all' }} data-testid="webhook-url">
                  {webhookUrl}
                </Typography.Text>
              </Form.Item>
            </>
          )}
          {result && (
            <Alert
              style={{ marginBottom: 16 }}
              showIcon
              type={result.ok ? 'success' : 'error'}
              data-testid="store-test-result"
              message={
                result.ok
                  ? t('store.settings.testOk', {
                      name: result.shop.name,
                      domain: result.shop.domain ?? '—',
                      ms: result.ms,
                    })
                  : t('store.settings.testFailed', { error: failure(result.error) })
              }
            />
          )}
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
            {adapter === 'shopify' && (
              <Button onClick={() => void runTest()} loading={test.isPending}>
                {t('store.settings.test')}
              </Button>
            )}
          </Space>
        </Form>
      </Card>
    </Page>
  );
}
