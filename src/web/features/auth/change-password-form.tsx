import { Alert, App, Button, Checkbox, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useChangePassword } from './api.ts';

type Values = { currentPassword: string; newPassword: string; confirm: string; revokeTokens: boolean };

/**
 * Current password, new password twice, and whether to revoke the API tokens too (on by default;
 * keeping them is audited). Used on the Security page and on the forced change screen, where the
 * tokens always go (a reset revoked them already).
 */
export function ChangePasswordForm({ onDone, block = false }: { onDone?: () => void; block?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const change = useChangePassword();
  const [form] = Form.useForm<Values>();

  const submit = ({ currentPassword, newPassword, revokeTokens }: Values) => {
    change.mutate(
      { currentPassword, newPassword, revokeTokens: block ? true : revokeTokens },
      {
        onSuccess: ({ tokensRevoked }) => {
          form.resetFields();
          void message.success(
            tokensRevoked ? t('password.changedRevoked', { count: tokensRevoked }) : t('password.changed'),
          );
          onDone?.();
        },
      },
    );
  };

  return (
    <Form
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={submit}
      initialValues={{ revokeTokens: true }}
      disabled={change.isPending}
      style={{ maxWidth: block ? undefined : 400 }}
    >
      <Form.Item
        name="currentPassword"
        label={t('password.current')}
        rules={[{ required: true, message: t('password.currentRequired') }]}
      >
        <Input.Password autoComplete="current-password" data-testid="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('password.new')}
        rules={[
          { required: true, message: t('password.newRequired') },
          { min: 10, message: t('password.newTooShort') },
          { max: 200 },
        ]}
        extra={t('password.newTooShort')}
      >
        <Input.Password autoComplete="new-password" data-testid="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('password.newRequired') },
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              !value || value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('password.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="confirm-password" />
      </Form.Item>
      {!block && (
        <Form.Item name="revokeTokens" valuePropName="checked" extra={t('password.revokeTokensHelp')}>
          <Checkbox data-testid="revoke-tokens">{t('password.revokeTokens')}</Checkbox>
        </Form.Item>
      )}
      {change.error && <Alert type="error" showIcon title={errorText(change.error)} style={{ marginBottom: 16 }} />}
      <Button type="primary" htmlType="submit" loading={change.isPending} block={block}>
        {t('password.submit')}
      </Button>
    </Form>
  );
}
