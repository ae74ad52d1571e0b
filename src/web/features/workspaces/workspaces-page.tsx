import { useState } from 'react';
import { App, Button, Card, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { homePath } from '../../layout/navigation.tsx';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { OneTimeSecretModal } from '../../shared/one-time-secret.tsx';
import { Page } from '../../shared/page.tsx';
import type { CreatedWorkspace, Workspace } from '../../shared/types.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useSwitchWorkspace } from '../auth/api.ts';
import { useMe } from '../auth/session.ts';
import { workspacesQuery } from './api.ts';
import { CreateWorkspaceModal } from './create-workspace-modal.tsx';

export function WorkspacesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const workspaces = useQuery(workspacesQuery());
  const switchWorkspace = useSwitchWorkspace();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedWorkspace | null>(null);
  const zone = me.workspace.timezone;

  if (workspaces.isError)
    return (
      <Page title={t('workspaces.title')}>
        <LoadError error={workspaces.error} onRetry={() => void workspaces.refetch()} />
      </Page>
    );

  const switchTo = (workspace: Workspace) =>
    switchWorkspace.mutate(
      { workspaceId: workspace.id },
      {
        onSuccess: (next) => {
          void message.success(t('header.switched', { name: next.workspace.name }));
          navigate(homePath(next.permissions));
        },
        onError: (error) => void message.error(errorText(error)),
      },
    );

  return (
    <Page
      title={t('workspaces.title')}
      subtitle={t('workspaces.subtitle')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('workspaces.create')}
        </Button>
      }
    >
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Workspace>
          rowKey="id"
          loading={workspaces.isLoading}
          dataSource={workspaces.data?.items}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('workspaces.name'),
              dataIndex: 'name',
              render: (name: string, w) => (
                <>
                  <Typography.Text strong>{name}</Typography.Text>
                  {w.id === me.workspace.id && (
                    <Tag color="blue" style={{ marginLeft: 8 }}>
                      {t('workspaces.current')}
                    </Tag>
                  )}
                </>
              ),
            },
            {
              title: t('workspaces.slug'),
              dataIndex: 'slug',
              render: (slug: string) => <Typography.Text code>{slug}</Typography.Text>,
            },
            { title: t('workspaces.timezone'), dataIndex: 'timezone' },
            {
              title: t('workspaces.defaultLanguage'),
              dataIndex: 'defaultLanguage',
              render: (lang: Workspace['defaultLanguage']) => t(`language.${lang}`),
            },
            {
              title: t('workspaces.createdAt'),
              dataIndex: 'createdAt',
              responsive: ['md'],
              render: (at: string) => formatDateTime(at, zone),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, w) =>
                w.id !== me.workspace.id && (
                  <Button
                    type="link"
                    size="small"
                    loading={switchWorkspace.isPending && switchWorkspace.variables?.workspaceId === w.id}
                    onClick={() => switchTo(w)}
                  >
                    {t('workspaces.switchTo')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      <CreateWorkspaceModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(result) => {
          setCreating(false);
          if (result.temporaryPassword) setCreated(result);
          else void message.success(t('workspaces.createdTitle'));
        }}
      />
      <OneTimeSecretModal
        open={!!created}
        title={t('workspaces.createdTitle')}
        hint={created ? t('workspaces.createdHint', { name: created.workspace.name, email: created.admin.email }) : ''}
        label={t('users.temporaryPassword')}
        secret={created?.temporaryPassword}
        onClose={() => setCreated(null)}
      />
    </Page>
  );
}
