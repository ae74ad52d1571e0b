import { useEffect } from 'react';
import { App, Button, Card, Form, InputNumber, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useErrorText } from '../../shared/use-error-text.ts';
import { retentionQuery, saveRetention } from './api.ts';

type Values = Record<string, number | null | undefined>;

/** Settings → Privacy: how long each kind of data is kept (empty: forever); the purge runs nightly. */
export function RetentionPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const retention = useQuery(retentionQuery());
  const [form] = Form.useForm<Values>();
  useEffect(() => {
    if (retention.data) form.setFieldsValue(retention.data.rules);
  }, [retention.data, form]);
  const save = useMutation({
    mutationFn: (v: Values) =>
      saveRetention(Object.fromEntries(Object.entries(v).map(([k, d]) => [k, d === undefined ? null : d]))),
    onSuccess: (data) => {
      queryClient.setQueryData(retentionQuery().queryKey, data);
      void message.success(t('privacy.retentionSaved'));
    },
    onError: (e) => void message.error(errorText(e)),
  });

  return (
    <Page title={t('privacy.retentionTitle')} subtitle={t('privacy.retentionSubtitle')}>
      {retention.isError ? (
        <LoadError error={retention.error} onRetry={() => void retention.refetch()} />
      ) : (
        <Card loading={retention.isLoading} style={{ maxWidth: 640 }}>
          <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
            {retention.data?.kinds.map((k) => (
              <Form.Item
                key={k.kind}
                name={k.kind}
                label={t(`privacy.retentionKinds.${k.kind}`, { defaultValue: k.kind })}
                extra={t('privacy.minDays', { days: k.minDays })}
              >
                <InputNumber
                  min={k.minDays}
                  max={36500}
                  precision={0}
                  placeholder={t('privacy.forever')}
                  addonAfter={t('privacy.days')}
                  style={{ width: '100%', maxWidth: 280 }}
                />
              </Form.Item>
            ))}
            <Typography.Paragraph type="secondary">{t('privacy.retentionNote')}</Typography.Paragraph>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Form>
        </Card>
      )}
    </Page>
  );
}
