import { Alert, App, Form, Input, Modal, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useCan } from '../auth/session.ts';
import type { TicketFilters } from './api.ts';
import { useCreateView } from './config-api.ts';

type Values = { name: string; shared: boolean };

/** Saves the list's current filters (and order) as a view in the left rail. */
export function SaveViewModal({
  open,
  filters,
  onClose,
}: {
  open: boolean;
  filters: TicketFilters;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const can = useCan();
  const create = useCreateView();
  const [form] = Form.useForm<Values>();

  const submit = (values: Values) => {
    create.mutate(
      { name: values.name, shared: values.shared, query: filters },
      {
        onSuccess: () => {
          void message.success(t('tickets.views.savedDone'));
          form.resetFields();
          create.reset();
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('tickets.views.saveTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={() => {
        create.reset();
        onClose();
      }}
      forceRender
    >
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit} initialValues={{ shared: false }}>
        <Form.Item
          name="name"
          label={t('tickets.views.name')}
          rules={[{ required: true, whitespace: true, message: t('tickets.views.nameRequired') }, { max: 100 }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        {can('settings.manage') && (
          <Form.Item
            name="shared"
            label={t('tickets.views.shared')}
            extra={t('tickets.views.sharedHelp')}
            valuePropName="checked"
          >
            <Switch />
          </Form.Item>
        )}
      </Form>
      {create.error && <Alert type="error" showIcon title={errorText(create.error)} />}
    </Modal>
  );
}
