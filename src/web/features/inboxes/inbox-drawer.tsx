import { useEffect, useState } from 'react';
import { Alert, App, Button, Drawer, Form, Space, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useMe } from '../auth/session.ts';
import { useUpdateInbox, type Inbox } from './api.ts';
import { GeneralSection, PreChatSection } from './general-section.tsx';
import { HoursSection } from './hours-section.tsx';
import { toFormValues, toSettings, type InboxFormValues } from './inbox-form.ts';
import { InstallSection } from './install-section.tsx';
import { SecuritySection } from './security-section.tsx';

type Tab = 'general' | 'preChat' | 'hours' | 'security' | 'install';

/** Edit one inbox: every tab is one form, saved together. */
export function InboxDrawer({ inbox, onClose }: { inbox: Inbox | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const me = useMe();
  const update = useUpdateInbox();
  const [form] = Form.useForm<InboxFormValues>();
  const [tab, setTab] = useState<Tab>('general');
  const inboxId = inbox?.id;

  useEffect(() => {
    if (!inbox) return;
    form.resetFields();
    form.setFieldsValue(toFormValues(inbox.name, inbox.settings, me.workspace.timezone));
    update.reset();
    // Only when another inbox is opened: a refetch after saving must not undo what is being typed.
  }, [inboxId]);

  const submit = (values: InboxFormValues) => {
    if (!inbox) return;
    update.mutate(
      { id: inbox.id, name: values.name.trim(), settings: toSettings(values) },
      {
        onSuccess: () => void message.success(t('common.saved')),
      },
    );
  };

  const onInvalid = ({ errorFields }: { errorFields: { name: (string | number)[] }[] }) => {
    // Show the tab that holds the first problem.
    const first = String(errorFields[0]?.name[0] ?? '');
    const where: Record<string, Tab> = {
      preChat: 'preChat',
      hours: 'hours',
      timezone: 'hours',
      allowedOrigins: 'security',
    };
    setTab(where[first] ?? 'general');
  };

  return (
    <Drawer
      open={!!inbox}
      onClose={onClose}
      size={780}
      title={inbox ? t('inboxes.editTitle', { name: inbox.name }) : ''}
      destroyOnHidden={false}
      forceRender
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.close')}</Button>
          <Button type="primary" loading={update.isPending} onClick={() => form.submit()} data-testid="inbox-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {update.error && <Alert type="error" showIcon title={errorText(update.error)} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit} onFinishFailed={onInvalid}>
        <Tabs
          activeKey={tab}
          onChange={(key) => setTab(key as Tab)}
          items={[
            { key: 'general', label: t('inboxes.tabs.general'), forceRender: true, children: <GeneralSection /> },
            { key: 'preChat', label: t('inboxes.tabs.preChat'), forceRender: true, children: <PreChatSection /> },
            { key: 'hours', label: t('inboxes.tabs.hours'), forceRender: true, children: <HoursSection /> },
            {
              key: 'security',
              label: t('inboxes.tabs.security'),
              forceRender: true,
              children: inbox && <SecuritySection inbox={inbox} />,
            },
            {
              key: 'install',
              label: t('inboxes.tabs.install'),
              forceRender: true,
              children: inbox && <InstallSection inbox={inbox} />,
            },
          ]}
        />
      </Form>
    </Drawer>
  );
}
