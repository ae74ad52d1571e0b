import { Alert, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { assignableRoles } from '../../../shared/permissions.ts';
import type { CreateUserBody, CreatedUser } from '../../shared/types.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useMe } from '../auth/session.ts';
import { useCreateUser } from './api.ts';

type Values = { email: string; name: string; role: CreateUserBody['role']; password?: string };

export function CreateUserModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (created: CreatedUser) => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const errorText = useErrorText();
  const create = useCreateUser();
  const [form] = Form.useForm<Values>();
  const roles = assignableRoles(me.user.role);

  const submit = ({ password, ...values }: Values) => {
    create.mutate(
      { ...values, ...(password ? { password } : {}) },
      {
        onSuccess: (created) => {
          form.resetFields();
          create.reset();
          onCreated(created);
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('users.create')}
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
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit} initialValues={{ role: 'agent' }}>
        <Form.Item
          name="email"
          label={t('users.email')}
          rules={[
            { required: true, message: t('login.emailRequired') },
            { type: 'email', message: t('login.emailInvalid') },
          ]}
        >
          <Input autoComplete="off" data-testid="user-email" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('users.name')}
          rules={[{ required: true, whitespace: true, message: t('users.nameRequired') }, { max: 100 }]}
        >
          <Input autoComplete="off" data-testid="user-name" />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('users.roleRequired') }]}>
          <Select data-testid="user-role" options={roles.map((role) => ({ value: role, label: t(`roles.${role}`) }))} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('users.passwordOptional')}
          extra={t('users.passwordHelp')}
          rules={[{ min: 10, message: t('password.newTooShort') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
      {create.error && <Alert type="error" showIcon title={errorText(create.error)} />}
    </Modal>
  );
}
