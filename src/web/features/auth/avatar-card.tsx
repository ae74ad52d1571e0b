import { useState } from 'react';
import { Alert, App, Avatar, Button, Card, Flex, Space, Tooltip, Typography, Upload } from 'antd';
import { CheckOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { avatarColors, avatarLimits, avatarTypes } from '../../../shared/avatars.ts';
import { api } from '../../shared/http.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { uploadFile } from '../inbox/api.ts';
import { meKey, useMe } from './session.ts';
import { shownName } from '../../shared/format.ts';

/**
 * The avatar shoppers see beside this agent's replies and in the widget's header (defect 12): an
 * uploaded PNG/JPEG/WebP (≤ 1 MiB; checked again by the server) or initials on a colour.
 */
export function AvatarCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const me = useMe();
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (change: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await change();
      await client.invalidateQueries({ queryKey: meKey });
      void message.success(t('avatar.saved'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const shown = shownName(me.user);

  return (
    <Card title={t('avatar.title')} style={{ height: '100%' }} data-testid="avatar-card">
      <Flex gap={16} align="center" wrap>
        <Avatar size={64} src={me.user.avatarUrl} alt={shown} data-testid="avatar-preview" />
        <Space direction="vertical" size={8} style={{ minWidth: 0, flex: 1 }}>
          <Typography.Text type="secondary">{t('avatar.help', { name: shown })}</Typography.Text>
          <Upload
            accept={avatarTypes.join(',')}
            showUploadList={false}
            beforeUpload={(file) => {
              if (file.size > avatarLimits.maxBytes) {
                setError(new Error(t('avatar.tooLarge')));
                return Upload.LIST_IGNORE;
              }
              void run(() =>
                uploadFile<{ ok: true }>(file, me.csrfToken, { url: '/api/profile/avatar/image', method: 'PUT' }),
              );
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={busy} data-testid="avatar-upload">
              {t('avatar.upload')}
            </Button>
          </Upload>
          <Space size={6} wrap aria-label={t('avatar.initials')}>
            <Typography.Text type="secondary">{t('avatar.initials')}</Typography.Text>
            {avatarColors.map((color) => (
              <Tooltip key={color} title={t('avatar.useColor')}>
                <Button
                  shape="circle"
                  size="small"
                  aria-label={`${t('avatar.useColor')} ${color}`}
                  style={{ background: color, borderColor: color }}
                  icon={<CheckOutlined style={{ color: '#fff', opacity: 0 }} />}
                  disabled={busy}
                  onClick={() => void run(() => api.put('/api/profile/avatar/initials', { color }))}
                />
              </Tooltip>
            ))}
          </Space>
        </Space>
      </Flex>
      {error !== null && <Alert style={{ marginTop: 12 }} type="error" showIcon title={errorText(error)} />}
    </Card>
  );
}
