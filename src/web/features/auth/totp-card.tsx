import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useTotpDisable, useTotpEnable, useTotpSetup } from './api.ts';
import { useMe } from './session.ts';

/**
 * Turn two-step verification on (the password, then the secret and otpauth URL as text, then a
 * code) or off (with the password). The server asks for the password with every step; the form
 * keeps what was typed for the second step instead of asking twice.
 */
export function TotpCard() {
  const { t } = useTranslation();
  const me = useMe();
  const on = me.user.totpEnabled;
  return (
    <Card
      title={t('security.totpTitle')}
      extra={on ? <Tag color="green">{t('security.totpOn')}</Tag> : <Tag>{t('security.totpOff')}</Tag>}
      style={{ height: '100%' }}
    >
      <Typography.Paragraph type="secondary">{t('security.totpIntro')}</Typography.Paragraph>
      {on ? <DisableTotp /> : <EnableTotp />}
    </Card>
  );
}

function EnableTotp() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const setup = useTotpSetup();
  const enable = useTotpEnable();
  const [password, setPassword] = useState('');

  if (!setup.data) {
    return (
      <>
        <Typography.Paragraph>{t('security.confirmHint')}</Typography.Paragraph>
        <Form
          layout="inline"
          onFinish={(v: { password: string }) => {
            setPassword(v.password);
            setup.mutate({ password: v.password });
          }}
          disabled={setup.isPending}
        >
          <Form.Item name="password" rules={[{ required: true, message: t('password.currentRequired') }]}>
            <Input.Password
              placeholder={t('password.current')}
              autoComplete="current-password"
              style={{ width: 220 }}
              data-testid="totp-password"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={setup.isPending}>
            {t('security.totpSetup')}
          </Button>
        </Form>
        {setup.error && <Alert type="error" showIcon title={errorText(setup.error)} style={{ marginTop: 16 }} />}
      </>
    );
  }
  const { secret, otpauthUrl } = setup.data;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <div>
        <Typography.Text>{t('security.totpStep1')}</Typography.Text>
        <div style={{ marginTop: 6 }}>
          <Typography.Text
            code
            copyable={{ text: secret }}
            style={{ fontSize: 15, letterSpacing: 1 }}
            data-testid="totp-secret"
          >
            {secret}
          </Typography.Text>
        </div>
      </div>
      <div>
        <Typography.Text type="secondary">{t('security.totpStep1Url')}</Typography.Text>
        <Typography.Paragraph
          copyable={{ text: otpauthUrl }}
          style={{ wordBreak: 'break-all', fontSize: 12, marginTop: 4 }}
        >
          <Typography.Text code>{otpauthUrl}</Typography.Text>
        </Typography.Paragraph>
      </div>
      <Typography.Text>{t('security.totpStep2')}</Typography.Text>
      <Form
        layout="inline"
        onFinish={({ code }: { code: string }) =>
          enable.mutate(
            { code, password },
            {
              onSuccess: () => {
                setPassword('');
                void message.success(t('security.enabled'));
              },
            },
          )
        }
        disabled={enable.isPending}
      >
        <Form.Item name="code" rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.totpInvalid') }]}>
          <Input
            placeholder={t('security.code')}
            inputMode="numeric"
            maxLength={6}
            autoComplete="one-time-code"
            style={{ width: 140 }}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={enable.isPending}>
          {t('security.enable')}
        </Button>
      </Form>
      {enable.error && <Alert type="error" showIcon title={errorText(enable.error)} />}
    </Space>
  );
}

function DisableTotp() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const disable = useTotpDisable();
  return (
    <>
      <Typography.Paragraph>{t('security.disableHint')}</Typography.Paragraph>
      <Form
        layout="inline"
        onFinish={({ password }: { password: string }) =>
          disable.mutate({ password }, { onSuccess: () => void message.success(t('security.disabled')) })
        }
        disabled={disable.isPending}
      >
        <Form.Item name="password" rules={[{ required: true, message: t('password.currentRequired') }]}>
          <Input.Password placeholder={t('password.current')} autoComplete="current-password" style={{ width: 220 }} />
        </Form.Item>
        <Button danger htmlType="submit" loading={disable.isPending}>
          {t('security.disable')}
        </Button>
      </Form>
      {disable.error && <Alert type="error" showIcon title={errorText(disable.error)} style={{ marginTop: 16 }} />}
    </>
  );
}
