import { useState } from 'react';
import { App, Button, Card, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { OneTimeSecretModal } from '../../shared/one-time-secret.tsx';
import { Page } from '../../shared/page.tsx';
import type { ApiToken, CreatedToken } from '../../shared/types.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useMe } from '../auth/session.ts';
import { tokensQuery, useRevokeToken } from './api.ts';
import { CreateTokenModal } from './create-token-modal.tsx';

const shownScopes = 3;

export function TokensPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const errorText = useErrorText();
  const tokens = useQuery(tokensQuery());
  const revoke = useRevokeToken();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const zone = me.workspace.timezone;

  if (tokens.isError)
    return (
      <Page title={t('tokens.title')}>
        <LoadError error={tokens.error} onRetry={() => void tokens.refetch()} />
      </Page>
    );

  return (
    <Page
      title={t('tokens.title')}
      subtitle={t('tokens.subtitle')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('tokens.create')}
        </Button>
      }
    >
      <Card styles={{ body: { padding: 0 } }}>
        <Table<ApiToken>
          rowKey="id"
          loading={tokens.isLoading}
          dataSource={tokens.data?.items}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 900 }}
          columns={[
            {
              title: t('tokens.name'),
              dataIndex: 'name',
              render: (name: string) => <Typography.Text strong>{name}</Typography.Text>,
            },
            {
              title: t('tokens.prefix'),
              dataIndex: 'prefix',
              render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text>,
            },
            {
              title: t('tokens.scopes'),
              dataIndex: 'scopes',
              render: (scopes: ApiToken['scopes']) => (
                <Space size={[0, 4]} wrap>
                  {scopes.slice(0, shownScopes).map((scope) => (
                    <Tooltip key={scope} title={t(`permissions.${scope}`)}>
                      <Tag>{scope}</Tag>
                    </Tooltip>
                  ))}
                  {scopes.length > shownScopes && (
                    <Tooltip title={scopes.slice(shownScopes).join(', ')}>
                      <Tag>+{scopes.length - shownScopes}</Tag>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            { title: t('tokens.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatDateTime(at, zone) },
            {
              title: t('tokens.lastUsed'),
              dataIndex: 'lastUsedAt',
              render: (at: string | null) =>
                at ? formatDateTime(at, zone) : <Typography.Text type="secondary">{t('common.never')}</Typography.Text>,
            },
            {
              title: t('tokens.expiresAt'),
              dataIndex: 'expiresAt',
              render: (at: string | null) => {
                if (!at) return <Typography.Text type="secondary">{t('tokens.noExpiry')}</Typography.Text>;
                const expired = new Date(at).getTime() < Date.now();
                return (
                  <>
                    {formatDateTime(at, zone)}
                    {expired && (
                      <Tag color="red" style={{ marginLeft: 6 }}>
                        {t('tokens.expired')}
                      </Tag>
                    )}
                  </>
                );
              },
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 100,
              fixed: 'right',
              render: (_, token) => (
                <Popconfirm
                  title={t('tokens.revokeConfirm', { name: token.name })}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() =>
                    revoke
                      .mutateAsync(token.id)
                      .then(() => void message.success(t('tokens.revoked')))
                      .catch((error: unknown) => void message.error(errorText(error)))
                  }
                >
                  <Button type="link" size="small" danger>
                    {t('tokens.revoke')}
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      </Card>
      <CreateTokenModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(result) => {
          setCreating(false);
          setCreated(result);
        }}
      />
      <OneTimeSecretModal
        open={!!created}
        title={t('tokens.createdTitle')}
        hint={t('tokens.createdHint')}
        label={t('tokens.secret')}
        secret={created?.secret}
        onClose={() => setCreated(null)}
      />
    </Page>
  );
}
