import { Alert, Button, Form, Input, Modal, type ButtonProps } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../shared/http.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import type { Customer } from './api.ts';

type Values = { name: string; phone?: string; email?: string };
/** The customer a 409 `customer_exists` names (the phone or e-mail is already theirs). */
const existingOf = (error: unknown): string | null => {
  if (!(error instanceof ApiError) || error.code !== 'customer_exists') return null;
  const first = error.issues?.[0] as { customerId?: unknown } | undefined;
  return typeof first?.customerId === 'string' ? first.customerId : null;
};

/**
 * Enters a customer by hand (a caller with no profile yet): name plus phone and/or e-mail. When the
 * phone or e-mail already belongs to a customer, offers that customer instead of a duplicate.
 * The new profile comes back masked for roles without customers.pii.
 */
export function NewCustomerModal({
  open,
  onClose,
  onPicked,
}: {
  open: boolean;
  onClose: () => void;
  /** The created customer, or the id of the existing one the agent chose. */
  onPicked: (picked: { customer?: Customer; id: string }) => void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const create = useMutation({
    mutationFn: (v: Values) =>
      api.post<Customer>('/api/customers', {
        name: v.name.trim(),
        phone: v.phone?.trim() || null,
        email: v.email?.trim() || null,
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['customers'] }),
  });
  const existing = existingOf(create.error);
  const close = () => {
    create.reset();
    form.resetFields();
    onClose();
  };
  const pick = (p: { customer?: Customer; id: string }) => {
    onPicked(p);
    close();
  };

  return (
    <Modal
      open={open}
      title={t('customers.create.title')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={close}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'new-customer-submit' } as ButtonProps}
      destroyOnHidden
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => create.mutate(v, { onSuccess: (c) => pick({ customer: c, id: c.id }) })}
      >
        <Form.Item
          name="name"
          label={t('customers.name')}
          rules={[{ required: true, whitespace: true, message: t('customers.create.nameRequired') }, { max: 100 }]}
        >
          <Input autoComplete="off" data-testid="new-customer-name" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('customers.phone')}
          rules={[{ pattern: /^\+?[\d\s()-]{7,24}$/, message: t('customers.create.phoneInvalid') }]}
        >
          <Input autoComplete="off" inputMode="tel" data-testid="new-customer-phone" />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('customers.email')}
          dependencies={['phone']}
          extra={t('customers.create.reachHint')}
          rules={[
            { type: 'email', message: t('customers.create.emailInvalid') },
            ({ getFieldValue }) => ({
              validator: (_, v: string | undefined) =>
                v?.trim() || (getFieldValue('phone') as string | undefined)?.trim()
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('customers.create.reachRequired'))),
            }),
          ]}
        >
          <Input autoComplete="off" inputMode="email" data-testid="new-customer-email" />
        </Form.Item>
      </Form>
      {create.error && (
        <Alert
          type={existing ? 'warning' : 'error'}
          showIcon
          title={existing ? t('customers.create.exists') : errorText(create.error)}
          action={
            existing ? (
              <Button size="small" onClick={() => pick({ id: existing })} data-testid="new-customer-use-existing">
                {t('customers.create.useExisting')}
              </Button>
            ) : undefined
          }
        />
      )}
    </Modal>
  );
}
