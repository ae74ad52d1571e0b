import { Alert, Divider, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { supportedLanguages, type Language } from '../../i18n/language.ts';
import type { CreatedWorkspace } from '../../shared/types.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { timeZoneOptions } from '../workspace/timezones.ts';
import { useCreateWorkspace } from './api.ts';

type Values = {
  name: string;
  slug: string;
  timezone: string;
  defaultLanguage: Language;
  adminEmail: string;
  adminName: string;
};

export function CreateWorkspaceModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (created: CreatedWorkspace) => void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const create = useCreateWorkspace();
  const [form] = Form.useForm<Values>();

  const submit = (v: Values) =>
    create.mutate(
      {
        name: v.name,
        slug: v.slug,
        timezone: v.timezone,
        defaultLanguage: v.defaultLanguage,
        admin: { email: v.adminEmail, name: v.adminName },
      },
      {
        onSuccess: (created) => {
          form.resetFields();
          create.reset();
          onCreated(created);
        },
      },
    );

  return (
    <Modal
      open={open}
      title={t('workspaces.create')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={() => {
        create.reset();
        onClose();
      }}
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        initialValues={{ timezone: 'Asia/Shanghai', defaultLanguage: 'zh-CN' }}
      >
        <Form.Item
          name="name"
          label={t('workspaces.name')}
          rules={[{ required: true, whitespace: true, message: t('workspace.nameRequired') }, { max: 100 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          name="slug"
          label={t('workspaces.slug')}
          extra={t('workspaces.slugHelp')}
          rules={[
            { required: true, pattern: /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, message: t('workspaces.slugInvalid') },
          ]}
        >
          <Input placeholder="my-shop" />
        </Form.Item>
        <Form.Item name="timezone" label={t('workspaces.timezone')}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={timeZoneOptions()} />
        </Form.Item>
        <Form.Item name="defaultLanguage" label={t('workspaces.defaultLanguage')}>
          <Select options={supportedLanguages.map((code) => ({ value: code, label: t(`language.${code}`) }))} />
        </Form.Item>
        <Divider titlePlacement="start" plain>
          {t('workspaces.admin')}
        </Divider>
        <Form.Item
          name="adminEmail"
          label={t('workspaces.adminEmail')}
          rules={[
            { required: true, message: t('login.emailRequired') },
            { type: 'email', message: t('login.emailInvalid') },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="adminName"
          label={t('workspaces.adminName')}
          rules={[{ required: true, whitespace: true, message: t('users.nameRequired') }, { max: 100 }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
      </Form>
      {create.error && <Alert type="error" showIcon title={errorText(create.error)} />}
    </Modal>
  );
}
