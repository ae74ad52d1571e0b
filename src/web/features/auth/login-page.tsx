import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, MailOutlined, SafetyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { LanguageSwitch } from '../../layout/language-switch.tsx';
import { Logo } from '../../layout/logo.tsx';
import { homePath } from '../../layout/navigation.tsx';
import { ApiError } from '../../shared/http.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useLogin } from './api.ts';
import { AuthScreen } from './auth-screen.tsx';
import { useMeQuery } from './session.ts';

type Values = { email: string; password: string; totp?: string };

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const errorText = useErrorText();
  const session = useMeQuery();
  const login = useLogin();
  const [form] = Form.useForm<Values>();
  const [needTotp, setNeedTotp] = useState(false);

  const from = (location.state as { from?: string } | null)?.from;
  if (session.data)
    return <Navigate to={from && from !== '/login' ? from : homePath(session.data.permissions)} replace />;

  const submit = (values: Values) => {
    login.mutate(
      { email: values.email, password: values.password, ...(needTotp && values.totp ? { totp: values.totp } : {}) },
      {
        onSuccess: (me) => navigate(from && from !== '/login' ? from : homePath(me.permissions), { replace: true }),
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'totp_required') setNeedTotp(true);
        },
      },
    );
  };

  const error = login.error;
  // Asking for the code is a step, not an error, unless a code was already sent.
  const showError =
    error && !(error instanceof ApiError && error.code === 'totp_required' && !form.getFieldValue('totp'));

  return (
    <AuthScreen extra={<LanguageSwitch />}>
      <Card
        style={{ width: 400, maxWidth: '100%', boxShadow: '0 6px 24px rgba(0, 21, 41, 0.08)' }}
        styles={{ body: { padding: 32 } }}
      >
        <div style={{ display: 'flex', justifyContent: 'center', marginBottom: 12 }}>
          <Logo dark={false} />
        </div>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginBottom: 28 }}>
          {t('login.subtitle')}
        </Typography.Paragraph>
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={submit}
          disabled={login.isPending}
          size="large"
        >
          <Form.Item
            name="email"
            label={t('login.email')}
            rules={[
              { required: true, message: t('login.emailRequired') },
              { type: 'email', message: t('login.emailInvalid') },
            ]}
            hidden={needTotp}
          >
            {/* eslint-disable-next-line jsx-a11y-x/no-autofocus -- signing in is the page's only task: the first field takes focus */}
            <Input prefix={<MailOutlined />} autoComplete="username" placeholder="name@example.com" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
            hidden={needTotp}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          {needTotp && (
            <>
              <Alert type="info" showIcon title={t('login.totpHint')} style={{ marginBottom: 16 }} />
              <Form.Item
                name="totp"
                label={t('login.totp')}
                rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.totpInvalid') }]}
              >
                <Input
                  prefix={<SafetyOutlined />}
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  maxLength={6}
                  // eslint-disable-next-line jsx-a11y-x/no-autofocus -- the code field appears after the password was accepted: focus moves to it
                  autoFocus
                />
              </Form.Item>
            </>
          )}
          {showError && (
            <Alert
              data-testid="login-error"
              type="error"
              showIcon
              title={errorText(error)}
              style={{ marginBottom: 16 }}
            />
          )}
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            {t('login.submit')}
          </Button>
          {needTotp && (
            <Button
              type="link"
              block
              style={{ marginTop: 8 }}
              onClick={() => {
                setNeedTotp(false);
                login.reset();
                form.setFieldValue('totp', undefined);
              }}
            >
              {t('login.back')}
            </Button>
          )}
        </Form>
      </Card>
    </AuthScreen>
  );
}
