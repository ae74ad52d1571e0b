import { useState } from 'react';
import { Button, Card, Flex, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { assignableRoles, can as roleCan } from '../../../shared/permissions.ts';
import { formatDateTime, shownName } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { OneTimeSecretModal } from '../../shared/one-time-secret.tsx';
import { Page } from '../../shared/page.tsx';
import type { User } from '../../shared/types.ts';
import { useCan, useMe } from '../auth/session.ts';
import { UserPresence } from '../routing/presence.tsx';
import { usersQuery } from './api.ts';
import { CreateUserModal } from './create-user-modal.tsx';
import { EditUserModal } from './edit-user-modal.tsx';
import { UserActions } from './user-actions.tsx';

export const roleColors: Record<User['role'], string> = {
  owner: 'gold',
  admin: 'lime',
  supervisor: 'purple',
  agent: 'blue',
  ops: 'cyan',
  auditor: 'geekblue',
  readonly: 'default',
};

type Secret = { title: string; hint: string; secret: string };

export function UsersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const users = useQuery(usersQuery());
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);
  const zone = me.workspace.timezone;
  const manage = can('users.manage') && assignableRoles(me.user.role).length > 0;

  if (users.isError)
    return (
      <Page title={t('users.title')}>
        <LoadError error={users.error} onRetry={() => void users.refetch()} />
      </Page>
    );

  return (
    <Page
      title={t('users.title')}
      subtitle={t('users.subtitle')}
      extra={
        manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-user">
            {t('users.create')}
          </Button>
        )
      }
    >
      <Card styles={{ body: { padding: 0 } }}>
        <Table<User>
          rowKey="id"
          onRow={(user) => ({ 'data-testid': 'user-row', 'data-user-id': user.id }) as never}
          loading={users.isLoading}
          dataSource={users.data?.items}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('users.name'),
              dataIndex: 'name',
              // With the presence of those who take conversations, under the name (seen on a phone too,
              // where the table scrolls sideways; "状态" is already the account's state).
              // The display name (昵称) the team knows, with the account name under it when they differ.
              render: (name: string, user) => (
                <Flex vertical gap={2} align="flex-start">
                  <Space size={4}>
                    {roleCan(user.role, 'conversations.manage') ? (
                      <Link to={`/agents/${user.id}`}>
                        <Typography.Text strong>{shownName(user)}</Typography.Text>
                      </Link>
                    ) : (
                      <Typography.Text strong>{shownName(user)}</Typography.Text>
                    )}
                    {user.id === me.user.id && <Typography.Text type="secondary">{t('common.you')}</Typography.Text>}
                  </Space>
                  {shownName(user) !== name && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="account-name">
                      {name}
                    </Typography.Text>
                  )}
                  {!user.disabled && roleCan(user.role, 'conversations.manage') && <UserPresence userId={user.id} />}
                </Flex>
              ),
            },
            { title: t('users.email'), dataIndex: 'email' },
            {
              title: t('users.role'),
              dataIndex: 'role',
              render: (role: User['role'], user) => (
                <Tooltip title={user.installationOwner ? t('users.owner') : undefined}>
                  <Tag color={roleColors[role]}>
                    {t(`roles.${role}`)}
                    {user.installationOwner && ' ★'}
                  </Tag>
                </Tooltip>
              ),
            },
            {
              title: t('users.status'),
              key: 'status',
              render: (_, user) => {
                if (user.disabled) return <Tag>{t('users.disabledStatus')}</Tag>;
                if (user.mustChangePassword) return <Tag color="orange">{t('users.mustChange')}</Tag>;
                return <Tag color="green">{t('users.active')}</Tag>;
              },
            },
            {
              title: t('users.totp'),
              dataIndex: 'totpEnabled',
              align: 'center',
              render: (on: boolean) =>
                on ? (
                  <SafetyCertificateOutlined style={{ color: '#52c41a' }} aria-label={t('common.yes')} />
                ) : (
                  <Typography.Text type="secondary">—</Typography.Text>
                ),
            },
            {
              title: t('users.lastLogin'),
              dataIndex: 'lastLoginAt',
              render: (at: string | null) =>
                at ? formatDateTime(at, zone) : <Typography.Text type="secondary">{t('common.never')}</Typography.Text>,
            },
            { title: t('users.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatDateTime(at, zone) },
            ...(manage
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    fixed: 'right' as const,
                    render: (_: unknown, user: User) => (
                      <UserActions
                        user={user}
                        onEdit={() => setEditing(user)}
                        onReset={(password) =>
                          setSecret({
                            title: t('users.resetTitle'),
                            hint: t('users.resetHint', { name: user.name }),
                            secret: password,
                          })
                        }
                      />
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <CreateUserModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(created) => {
          setCreating(false);
          if (created.temporaryPassword) {
            setSecret({
              title: t('users.createdTitle'),
              hint: t('users.createdHint', { email: created.user.email }),
              secret: created.temporaryPassword,
            });
          }
        }}
      />
      <EditUserModal user={editing} onClose={() => setEditing(null)} />
      <OneTimeSecretModal
        open={!!secret}
        title={secret?.title}
        hint={secret?.hint}
        label={t('users.temporaryPassword')}
        secret={secret?.secret}
        onClose={() => setSecret(null)}
      />
    </Page>
  );
}
