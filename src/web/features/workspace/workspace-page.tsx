import { useEffect } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Select, Skeleton } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { supportedLanguages } from '../../i18n/language.ts';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import type { UpdateWorkspaceBody, Workspace } from '../../shared/types.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useCan } from '../auth/session.ts';
import { useUpdateWorkspace, workspaceQuery } from './api.ts';
import { timeZoneOptions } from './timezones.ts';

type Values = Required<Pick<Workspace, 'name' | 'timezone' | 'defaultLanguage'>>;

export function WorkspacePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const can = useCan();
  const workspace = useQuery(workspaceQuery());
  const update = useUpdateWorkspace();
  const [form] = Form.useForm<Values>();
  const editable = can('workspace.manage');
  const data = workspace.data;

  useEffect(() => {
    if (data) form.setFieldsValue({ name: data.name, timezone: data.timezone, defaultLanguage: data.defaultLanguage });
  }, [data, form]);

  if (workspace.isError)
    return (
      <Page title={t('workspace.title')}>
        <LoadError error={workspace.error} onRetry={() => void workspace.refetch()} />
      </Page>
    );

  const submit = (values: Values) => {
    if (!data) return;
    const body: UpdateWorkspaceBody = {};
    if (values.name !== data.name) body.name = values.name;
    if (values.timezone !== data.timezone) body.timezone = values.timezone;
    if (values.defaultLanguage !== data.defaultLanguage) body.defaultLanguage = values.defaultLanguage;
    if (Object.keys(body).length === 0) return void message.info(t('common.saved'));
    update.mutate(body, { onSuccess: () => void message.success(t('common.saved')) });
  };

  return (
    <Page title={t('workspace.title')} subtitle={t('workspace.subtitle')}>
      <Card>
        {!data ? (
          <Skeleton active />
        ) : (
          <>
            <Descriptions column={{ xs: 1, md: 3 }} style={{ marginBottom: 24 }}>
              <Descriptions.Item label={t('workspace.slug')}>{data.slug}</Descriptions.Item>
              <Descriptions.Item label={t('workspace.id')}>{data.id}</Descriptions.Item>
              <Descriptions.Item label={t('workspace.createdAt')}>
                {formatDateTime(data.createdAt, data.timezone)}
              </Descriptions.Item>
            </Descriptions>
            <Form
              form={form}
              layout="vertical"
              requiredMark={false}
              onFinish={submit}
              disabled={!editable || update.isPending}
              style={{ maxWidth: 520 }}
            >
              <Form.Item
                name="name"
                label={t('workspace.name')}
                rules={[{ required: true, whitespace: true, message: t('workspace.nameRequired') }, { max: 100 }]}
              >
                <Input />
              </Form.Item>
              <Form.Item name="timezone" label={t('workspace.timezone')} extra={t('workspace.timezoneHelp')}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  options={timeZoneOptions(data.timezone)}
                  data-testid="timezone"
                />
              </Form.Item>
              <Form.Item name="defaultLanguage" label={t('workspace.defaultLanguage')}>
                <Select options={supportedLanguages.map((code) => ({ value: code, label: t(`language.${code}`) }))} />
              </Form.Item>
              {update.error && (
                <Alert type="error" showIcon title={errorText(update.error)} style={{ marginBottom: 16 }} />
              )}
              {editable && (
                <Button type="primary" htmlType="submit" loading={update.isPending}>
                  {t('common.save')}
                </Button>
              )}
            </Form>
          </>
        )}
      </Card>
    </Page>
  );
}
