/**
 * The current, unfinished period of a type, clearly marked provisional (暂定): computed from the
 * data so far on every view, not stored, without a fingerprint, and not signable or downloadable.
 * Finished periods are opened from the list as stored reports.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ReportTypeName } from '../../../shared/reports-api.ts';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { useMe } from '../auth/session.ts';
import { provisionalQuery } from './api.ts';
import { ReportBody, useText } from './report-body.tsx';
import { useReportWorkspace } from './vendor.tsx';

export function ProvisionalView({ type, onBack }: { type: ReportTypeName; onBack: () => void }) {
  const { t } = useTranslation();
  const text = useText();
  const zone = useMe().workspace.timezone;
  const q = useQuery(provisionalQuery(type, useReportWorkspace().workspace));
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  const r = q.data;
  return (
    <div data-testid="provisional-view">
      <Card size="small" loading={!r} style={{ marginBottom: 12 }}>
        {r && (
          <Flex vertical gap={8}>
            <Flex justify="space-between" align="center" wrap gap={8}>
              <Flex gap={8} align="center" wrap>
                <Button icon={<ArrowLeftOutlined />} onClick={onBack}>
                  {t('reports.back')}
                </Button>
                <Typography.Title level={5} style={{ margin: 0 }} data-testid="report-title">
                  {text(r.document.title)}
                </Typography.Title>
                <Tag color="orange">{t('reports.provisional.tag')}</Tag>
              </Flex>
              <Button icon={<ReloadOutlined />} loading={q.isFetching} onClick={() => void q.refetch()}>
                {t('reports.provisional.recompute')}
              </Button>
            </Flex>
            <Alert
              type="warning"
              showIcon
              data-testid="provisional-note"
              title={t('reports.provisional.note', { at: formatDateTime(r.document.asOf, zone) })}
            />
          </Flex>
        )}
      </Card>
      {r && <ReportBody doc={r.document} />}
    </div>
  );
}

/** The list's entry to the period under way. */
export function ProvisionalEntry({ type, onOpen }: { type: ReportTypeName; onOpen: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 12 }}
      title={t('reports.provisional.entry')}
      action={
        <Button size="small" onClick={onOpen} data-testid="open-provisional">
          {t('reports.provisional.open', { type: t(`reports.types.${type}`) })}
        </Button>
      }
    />
  );
}
