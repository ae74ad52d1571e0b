import { useState } from 'react';
import { Alert, Button, Space } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { BackupTarget } from '../../../shared/backups-api.ts';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useMe } from '../auth/session.ts';
import { statusQuery, targetsQuery } from './api.ts';
import { RestoreCard } from './restore-card.tsx';
import { RunsCard } from './runs-card.tsx';
import { TargetDrawer } from './target-drawer.tsx';
import { TargetsCard } from './targets-card.tsx';

/** Backups and restores for the ops of the installation (`installation.ops`): targets, run now, history with drill reports, the restore guide. */
export function BackupsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const status = useQuery(statusQuery());
  const targets = useQuery(targetsQuery());
  const [editing, setEditing] = useState<BackupTarget | 'new' | null>(null);
  const zone = me.workspace.timezone;

  if (targets.isError)
    return (
      <Page title={t('backups.title')}>
        <LoadError error={targets.error} onRetry={() => void targets.refetch()} />
      </Page>
    );
  const s = status.data;
  return (
    <Page
      title={t('backups.title')}
      subtitle={t('backups.subtitle')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('backups.targets.add')}
        </Button>
      }
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        {s && !s.keyConfigured && (
          <Alert type="error" showIcon message={t('backups.noKey')} description={t('backups.noKeyHelp')} />
        )}
        {s?.keyConfigured && (
          <Alert
            type={s.lastVerifiedAt ? 'success' : 'warning'}
            showIcon
            message={
              s.lastVerifiedAt
                ? t('backups.lastVerified', { at: formatDateTime(s.lastVerifiedAt, zone) })
                : t('backups.neverVerified')
            }
            description={t('backups.scheduleLine')}
          />
        )}
        <TargetsCard
          targets={targets.data?.items ?? []}
          loading={targets.isLoading}
          onEdit={setEditing}
          keyConfigured={!!s?.keyConfigured}
        />
        <RunsCard targets={targets.data?.items ?? []} zone={zone} />
        <RestoreCard targets={targets.data?.items ?? []} zone={zone} />
      </Space>
      {editing && (
        <TargetDrawer
          target={editing === 'new' ? null : editing}
          installation={s?.retention}
          onClose={() => setEditing(null)}
        />
      )}
    </Page>
  );
}
