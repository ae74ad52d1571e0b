import type { ReactNode } from 'react';
import { Alert, Button, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Shows a secret (temporary password, API token) the server returns only once, with a copy button. */
export function OneTimeSecretModal({
  open,
  title,
  hint,
  label,
  secret,
  onClose,
}: {
  open: boolean;
  title: ReactNode;
  hint: ReactNode;
  label: ReactNode;
  secret: string | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      mask={{ closable: false }}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={hint} style={{ marginBottom: 16 }} />
      <Typography.Text type="secondary">{label}</Typography.Text>
      <div
        style={{
          marginTop: 6,
          padding: '10px 12px',
          background: '#fafafa',
          border: '1px solid #f0f0f0',
          borderRadius: 6,
        }}
      >
        <Typography.Text
          code
          data-testid="one-time-secret"
          copyable={{ text: secret, tooltips: [t('common.copy'), t('common.copied')] }}
          style={{ fontSize: 15, wordBreak: 'break-all' }}
        >
          {secret}
        </Typography.Text>
      </div>
    </Modal>
  );
}
