import { useEffect } from 'react';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { assignableRoles } from '../../../shared/permissions.ts';
import type { User } from '../../shared/types.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useMe } from '../auth/session.ts';
import { useUpdateUser } from './api.ts';

type Values = { name: string; displayName?: string; role: User['role'] };

/** Rename a user or change their role (not one's own role). */
export function EditUserModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const errorText = useErrorText();
  const update = useUpdateUser();
  const [form] = Form.useForm<Values>();
  const self = user?.id === me.user.id;

  useEffect(() => {
    if (user) form.setFieldsValue({ name: user.name, displayName: user.displayName ?? '', role: user.role });
  }, [user, form]);

  const submit = (values: Values) => {
    if (!user) return;
    const body = {
      ...(values.name !== user.name ? { name: values.name } : {}),
      ...((values.displayName?.trim() || null) !== user.displayName
        ? { displayName: values.displayName?.trim() || null }
        : {}),
      ...(values.role !== user.role && !self ? { role: values.role } : {}),
    };
    if (Object.keys(body).length === 0) return onClose();
    update.mutate(
      { id: user.id, ...body },
      {
        onSuccess: () => {
          void message.success(t('users.updated'));
          update.reset();
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      open={!!user}
      title={t('users.editTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={update.isPending}
      onOk={() => form.submit()}
      onCancel={() => {
        update.reset();
        onClose();
      }}
      forceRender
    >
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Form.Item label={t('users.email')}>
          <Input value={user?.email} disabled />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('users.name')}
          rules={[{ required: true, whitespace: true, message: t('users.nameRequired') }, { max: 100 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('users.displayName')}
          extra={t('users.displayNameHelp')}
          rules={[{ max: 40 }]}
        >
          <Input autoComplete="off" placeholder={user?.name} />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')}>
          <Select
            disabled={self}
            options={assignableRoles(me.user.role).map((role) => ({ value: role, label: t(`roles.${role}`) }))}
          />
        </Form.Item>
      </Form>
      {update.error && <Alert type="error" showIcon title={errorText(update.error)} />}
    </Modal>
  );
}
