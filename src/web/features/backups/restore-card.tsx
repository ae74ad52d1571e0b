import { useState } from 'react';
import { Alert, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { BackupTarget, TargetBackup } from '../../../shared/backups-api.ts';
import { formatDateTime } from '../../shared/format.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { formatBytes, formatMs, targetBackupsQuery } from './api.ts';

/**
 * The backups a target holds (read from the target): time, logical and stored size, how long each
 * took, its verification and why it is kept, and the command that restores it. On a phone the
 * table scrolls sideways inside the card.
 */
export function RestoreCard({ targets, zone }: { targets: BackupTarget[]; zone: string }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [picked, setPicked] = useState<string | undefined>();
  const targetId = picked ?? targets[0]?.id;
  const backups = useQuery(targetBackupsQuery(targetId));
  return (
    <Card
      title={t('backups.restore.title')}
      extra={
        <Select
          style={{ minWidth: 180 }}
          value={targetId}
          onChange={setPicked}
          options={targets.map((x) => ({ value: x.id, label: x.name }))}
          aria-label={t('backups.runs.target')}
        />
      }
    >
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('backups.restore.guide')}
        </Typography.Paragraph>
        {backups.isError && <Alert type="warning" showIcon message={errorText(backups.error)} />}
        <div data-testid="target-backups">
          <Table<TargetBackup>
            rowKey="id"
            size="small"
            loading={backups.isLoading && !!targetId}
            dataSource={backups.data?.items}
            pagination={{ pageSize: 8, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('backups.restore.empty') }}
            columns={[
              {
                title: t('common.timeIn', { zone }),
                dataIndex: 'createdAt',
                width: 170,
                render: (at: string) => formatDateTime(at, zone),
              },
              { title: t('backups.runs.bytes'), key: 'bytes', render: (_, b) => formatBytes(b.bytes) },
              { title: t('backups.runs.stored'), key: 'stored', render: (_, b) => formatBytes(b.storedBytes) },
              { title: t('backups.runs.duration'), key: 'duration', render: (_, b) => formatMs(b.durationMs) },
              {
                title: t('backups.restore.verified'),
                key: 'verified',
                render: (_, b) =>
                  b.verifiedAt ? (
                    <Tag color={b.verifiedOk ? 'green' : 'red'} data-testid="backup-verified">
                      {b.verifiedOk ? '' : `${t('backups.restore.damaged')} · `}
                      {formatDateTime(b.verifiedAt, zone)}
                    </Tag>
                  ) : (
                    <Tag data-testid="backup-verified">{t('backups.restore.notVerified')}</Tag>
                  ),
              },
              {
                title: t('backups.restore.keep'),
                key: 'keep',
                render: (_, b) =>
                  b.keep.length ? (
                    <span data-testid="backup-keep">
                      {b.keep.map((k) => (
                        <Tag key={k}>{t(`backups.keep.${k as 'last'}`)}</Tag>
                      ))}
                    </span>
                  ) : (
                    <Typography.Text type="secondary" data-testid="backup-keep">
                      {t('backups.restore.notKept')}
                    </Typography.Text>
                  ),
              },
              {
                title: t('backups.restore.command'),
                key: 'command',
                render: (_, b) => (
                  <Typography.Text code copyable style={{ fontSize: 12 }}>
                    {b.restoreCommand}
                  </Typography.Text>
                ),
              },
            ]}
          />
        </div>
      </Space>
    </Card>
  );
}
