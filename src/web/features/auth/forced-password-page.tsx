import { Button, Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { LanguageSwitch } from '../../layout/language-switch.tsx';
import { Logo } from '../../layout/logo.tsx';
import { useLogout } from './api.ts';
import { AuthScreen } from './auth-screen.tsx';
import { ChangePasswordForm } from './change-password-form.tsx';
import { useMe } from './session.ts';
import { shownName } from '../../shared/format.ts';

/** Shown instead of the console while the user must replace a temporary password. */
export function ForcedPasswordPage() {
  const { t } = useTranslation();
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <AuthScreen extra={<LanguageSwitch />}>
      <Card
        style={{ width: 440, maxWidth: '100%', boxShadow: '0 6px 24px rgba(0, 21, 41, 0.08)' }}
        styles={{ body: { padding: 32 } }}
      >
        <div style={{ display: 'flex', justifyContent: 'center', marginBottom: 16 }}>
          <Logo dark={false} />
        </div>
        <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="forced-password-title">
          {t('password.forcedTitle')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('password.forcedDescription')}</Typography.Paragraph>
        <Typography.Paragraph>
          <Typography.Text strong>{shownName(me.user)}</Typography.Text>{' '}
          <Typography.Text type="secondary">{me.user.email}</Typography.Text>
        </Typography.Paragraph>
        <ChangePasswordForm block />
        <Button
          type="link"
          block
          style={{ marginTop: 8 }}
          onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}
        >
          {t('header.signOut')}
        </Button>
      </Card>
    </AuthScreen>
  );
}
