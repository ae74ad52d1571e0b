import type { ReactNode } from 'react';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** The full-page backdrop of the sign-in and forced password screens. */
export function AuthScreen({ extra, children }: { extra?: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        background: 'linear-gradient(180deg, #e6f0ff 0%, #f5f7fa 45%, #f5f7fa 100%)',
      }}
    >
      <div style={{ display: 'flex', justifyContent: 'flex-end', padding: '12px 24px', minHeight: 56 }}>{extra}</div>
      <div style={{ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center', padding: '0 16px 64px' }}>
        {children}
      </div>
      <Typography.Text type="secondary" style={{ textAlign: 'center', padding: 24, fontSize: 12 }}>
        {t('login.footer')}
      </Typography.Text>
    </div>
  );
}
