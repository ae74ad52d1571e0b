import { Alert, App, Button, Form, Input, Modal, Popconfirm, Switch } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../features/auth/session.ts';
import { useErrorText } from './use-error-text.ts';

export type ViewValues = { name: string; shared: boolean };

/**
 * Names a saved view (the tickets list's and the inbox's): saving the current filters as a new
 * one (`editing` absent: name, and "shared" for administrators), or renaming one, with its delete
 * button (`editing`). The caller sends the request; errors stay in the dialog.
 */
export function ViewModal({
  open,
  editing,
  onSubmit,
  onDelete,
  onClose,
}: {
  open: boolean;
  editing?: { name: string };
  onSubmit: (values: ViewValues) => Promise<unknown>;
  onDelete?: () => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const can = useCan();
  const [form] = Form.useForm<ViewValues>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.setFieldsValue({ name: editing?.name ?? '', shared: false });
  }, [open, editing?.name, form]);

  const run = async (action: () => Promise<unknown>) => {
    setPending(true);
    setError(null);
    try {
      await action();
      void message.success(t('common.savedViews.savedDone'));
      form.resetFields();
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t(editing ? 'common.savedViews.editTitle' : 'common.savedViews.saveTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={pending}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
      footer={(buttons) => (
        <>
          {editing && onDelete && (
            <Popconfirm
              title={t('common.savedViews.deleteConfirm', { name: editing.name })}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => run(onDelete)}
            >
              <Button danger icon={<DeleteOutlined />} style={{ float: 'left' }} data-testid="view-delete">
                {t('common.savedViews.delete')}
              </Button>
            </Popconfirm>
          )}
          {buttons}
        </>
      )}
    >
      <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => run(() => onSubmit(v))}>
        <Form.Item
          name="name"
          label={t('common.savedViews.name')}
          rules={[{ required: true, whitespace: true, message: t('common.savedViews.nameRequired') }, { max: 100 }]}
        >
          <Input autoComplete="off" data-testid="view-name" />
        </Form.Item>
        {!editing && can('settings.manage') && (
          <Form.Item
            name="shared"
            label={t('common.savedViews.shared')}
            extra={t('common.savedViews.sharedHelp')}
            valuePropName="checked"
          >
            <Switch data-testid="view-shared" />
          </Form.Item>
        )}
      </Form>
      {error !== null && <Alert type="error" showIcon title={errorText(error)} />}
    </Modal>
  );
}
