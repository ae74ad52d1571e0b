import { App, Button, Card, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { BackupTarget } from '../../../shared/backups-api.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useDeleteTarget, useStartRun } from './api.ts';

const where = (t: BackupTarget): string => {
  const s = t.settings as Record<string, string | number | undefined>;
  if (t.kind === 'local') return String(s.path);
  if (t.kind === 'sftp') return `${s.username}@${s.host}:${s.port}${s.path}`;
  return `s3://${s.bucket}/${s.prefix ?? ''}${s.endpoint ? ` · ${s.endpoint}` : ''}`;
};

export function TargetsCard({
  targets,
  loading,
  onEdit,
  keyConfigured,
}: {
  targets: BackupTarget[];
  loading: boolean;
  onEdit(t: BackupTarget): void;
  keyConfigured: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const start = useStartRun();
  const remove = useDeleteTarget();
  const run = (target: BackupTarget, kind: 'backup' | 'verify' | 'drill') =>
    start.mutate(
      { targetId: target.id, kind },
      {
        onSuccess: () =>
          void message.success(t('backups.started', { kind: t(`backups.kinds.${kind}`), target: target.name })),
        onError: (err) => void message.error(errorText(err)),
      },
    );
  return (
    <Card title={t('backups.targets.title')} styles={{ body: { padding: 0 } }}>
      <Table<BackupTarget>
        rowKey="id"
        loading={loading}
        dataSource={targets}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('backups.targets.empty') }}
        columns={[
          {
            title: t('backups.targets.name'),
            key: 'name',
            render: (_, x) => (
              <Space size={4} wrap>
                <Typography.Text strong>{x.name}</Typography.Text>
                <Tag>{t(`backups.targets.kinds.${x.kind}`)}</Tag>
                {x.offsite && <Tag color="geekblue">{t('backups.targets.offsite')}</Tag>}
                {!x.enabled && <Tag>{t('backups.targets.disabled')}</Tag>}
                {x.fromConfig && (
                  <Tooltip title={t('backups.targets.fromConfigHelp')}>
                    <Tag color="purple" data-testid={`from-config-${x.name}`}>
                      {t('backups.targets.fromConfig')}
                    </Tag>
                  </Tooltip>
                )}
              </Space>
            ),
          },
          {
            title: t('backups.targets.where'),
            key: 'where',
            render: (_, x) => (
              <Space direction="vertical" size={0}>
                <Typography.Text code style={{ fontSize: 12 }}>
                  {where(x)}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`retention-${x.name}`}>
                  {t('backups.targets.retentionLine', x.effectiveRetention)}
                  {x.retention ? '' : ` ${t('backups.targets.retentionDefault')}`}
                </Typography.Text>
                {x.kind === 'sftp' && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {x.hostKey
                      ? t('backups.targets.hostKey', { key: x.hostKey })
                      : t('backups.targets.hostKeyFirstUse')}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('backups.targets.actions'),
            key: 'actions',
            width: 330,
            render: (_, x) => (
              <Space wrap size={4}>
                <Tooltip title={keyConfigured ? undefined : t('backups.noKey')}>
                  <Button
                    size="small"
                    type="primary"
                    disabled={!keyConfigured}
                    onClick={() => run(x, 'backup')}
                    data-testid={`backup-now-${x.name}`}
                  >
                    {t('backups.runNow')}
                  </Button>
                </Tooltip>
                <Button
                  size="small"
                  disabled={!keyConfigured}
                  onClick={() => run(x, 'verify')}
                  data-testid={`verify-now-${x.name}`}
                >
                  {t('backups.kinds.verify')}
                </Button>
                <Button
                  size="small"
                  disabled={!keyConfigured}
                  onClick={() => run(x, 'drill')}
                  data-testid={`drill-now-${x.name}`}
                >
                  {t('backups.kinds.drill')}
                </Button>
                {!x.fromConfig && (
                  <>
                    <Button size="small" type="link" onClick={() => onEdit(x)}>
                      {t('common.edit')}
                    </Button>
                    <Popconfirm
                      title={t('backups.targets.deleteConfirm', { name: x.name })}
                      onConfirm={() => remove.mutate(x.id)}
                    >
                      <Button size="small" type="link" danger>
                        {t('backups.targets.delete')}
                      </Button>
                    </Popconfirm>
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
