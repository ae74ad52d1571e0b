import { Button, Card, Descriptions, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { runKinds, type BackupRun, type BackupTarget, type RunKind } from '../../../shared/backups-api.ts';
import { formatDateTime } from '../../shared/format.ts';
import { drillReportUrl, formatBytes, formatMs, runsQuery } from './api.ts';

const statusColor: Record<BackupRun['status'], string> = {
  queued: 'default',
  running: 'processing',
  ok: 'success',
  failed: 'error',
};

type DrillReport = {
  ok: boolean;
  rtoMs: number | null;
  rpoMs: number | null;
  restoreMs: number | null;
  readyMs: number | null;
  tables: { name: string; expected: number; restored: number | null; ok?: boolean }[];
  problems: string[];
};

function DrillDetails({ runId, report }: { runId: string; report: DrillReport }) {
  const { t, i18n } = useTranslation();
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }} bordered>
      <Descriptions.Item label={t('backups.drill.rto')}>{formatMs(report.rtoMs)}</Descriptions.Item>
      <Descriptions.Item label={t('backups.drill.rpo')}>{formatMs(report.rpoMs)}</Descriptions.Item>
      <Descriptions.Item label={t('backups.drill.restore')}>{formatMs(report.restoreMs)}</Descriptions.Item>
      <Descriptions.Item label={t('backups.drill.ready')}>{formatMs(report.readyMs)}</Descriptions.Item>
      <Descriptions.Item label={t('backups.drill.tables')} span={4}>
        {report.tables
          .filter((x) => x.expected > 0)
          .map((x) => (
            <Tag key={x.name} color={(x.ok ?? x.restored === x.expected) ? 'green' : 'red'}>
              {x.name} {x.restored ?? '?'}/{x.expected}
            </Tag>
          ))}
      </Descriptions.Item>
      {report.problems.length > 0 && (
        <Descriptions.Item label={t('backups.drill.problems')} span={4}>
          {report.problems.join('; ')}
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t('backups.drill.export')} span={4}>
        <Space wrap size={4}>
          {(['csv', 'html', 'json'] as const).map((f) => (
            <Button
              key={f}
              size="small"
              icon={<DownloadOutlined />}
              href={drillReportUrl(runId, f, i18n.language)}
              download
              data-testid={`drill-export-${f}`}
            >
              {t(`backups.drill.formats.${f}`)}
            </Button>
          ))}
        </Space>
      </Descriptions.Item>
    </Descriptions>
  );
}

/** The width of an element, kept up to date. */
function useWidth(ref: React.RefObject<HTMLElement | null>): number | undefined {
  const [width, setWidth] = useState<number>();
  useEffect(() => {
    if (!ref.current) return;
    const o = new ResizeObserver(([e]) => setWidth(e.contentRect.width));
    o.observe(ref.current);
    return () => o.disconnect();
  }, [ref]);
  return width;
}

export function RunsCard({ targets, zone }: { targets: BackupTarget[]; zone: string }) {
  const { t } = useTranslation();
  // An expanded drill report is as wide as the card, pinned to its left while the table scrolls
  // sideways: its tags wrap and its export buttons stay in view on a phone.
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  // One kind only (the quarterly drill is weeks behind the nightly runs), or all.
  const [kind, setKind] = useState<RunKind>();
  const runs = useQuery(runsQuery(kind ? { kind } : {}));
  const client = useQueryClient();
  // A run that just finished changed what the targets hold and the status line: read them again.
  const finished = runs.data?.items.find((r) => r.status === 'ok' || r.status === 'failed')?.id;
  useEffect(() => {
    if (finished) void client.invalidateQueries({ queryKey: ['backups', 'targets'] });
    if (finished) void client.invalidateQueries({ queryKey: ['backups', 'status'] });
  }, [finished, client]);
  const names = new Map(targets.map((x) => [x.id, x.name]));
  return (
    <Card
      title={t('backups.runs.title')}
      styles={{ body: { padding: 0 } }}
      ref={box}
      extra={
        <Select<RunKind>
          allowClear
          style={{ minWidth: 130 }}
          value={kind}
          onChange={setKind}
          placeholder={t('backups.runs.allKinds')}
          aria-label={t('backups.runs.kind')}
          data-testid="runs-kind"
          options={runKinds.map((k) => ({ value: k, label: t(`backups.kinds.${k}`) }))}
        />
      }
    >
      <Table<BackupRun>
        rowKey="id"
        size="middle"
        loading={runs.isLoading}
        dataSource={runs.data?.items}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('backups.runs.empty') }}
        expandable={{
          rowExpandable: (r) => r.kind === 'drill' && !!r.report,
          expandedRowRender: (r) => (
            <div style={{ position: 'sticky', left: 16, width: width ? width - 34 : undefined }}>
              <DrillDetails runId={r.id} report={r.report as DrillReport} />
            </div>
          ),
        }}
        onRow={(r) => ({ 'data-run-kind': r.kind, 'data-run-status': r.status }) as never}
        columns={[
          {
            title: t('common.timeIn', { zone }),
            dataIndex: 'startedAt',
            width: 170,
            render: (at: string) => formatDateTime(at, zone),
          },
          {
            title: t('backups.runs.target'),
            key: 'target',
            render: (_, r) => (r.targetId ? (names.get(r.targetId) ?? r.targetId) : '—'),
          },
          {
            title: t('backups.runs.kind'),
            key: 'kind',
            render: (_, r) =>
              `${t(`backups.kinds.${r.kind}`)}${r.trigger === 'schedule' ? ` · ${t('backups.runs.scheduled')}` : ''}`,
          },
          {
            title: t('backups.runs.status'),
            key: 'status',
            width: 160,
            // Queued (waiting for the worker) and running show the bar; a finished run its outcome.
            render: (_, r) =>
              r.status === 'running' || r.status === 'queued' ? (
                <Progress
                  percent={r.progress}
                  size="small"
                  status={r.status === 'running' ? 'active' : 'normal'}
                  data-testid="run-progress"
                />
              ) : (
                <Tag color={statusColor[r.status]}>{t(`backups.status.${r.status}`)}</Tag>
              ),
          },
          { title: t('backups.runs.bytes'), key: 'bytes', render: (_, r) => formatBytes(r.bytes) },
          { title: t('backups.runs.stored'), key: 'stored', render: (_, r) => formatBytes(r.storedBytes) },
          { title: t('backups.runs.duration'), key: 'duration', render: (_, r) => formatMs(r.durationMs) },
          {
            title: t('backups.runs.detail'),
            key: 'detail',
            width: 240,
            render: (_, r) =>
              r.error ? (
                <Typography.Text type="danger" style={{ fontSize: 12 }}>
                  {r.error}
                </Typography.Text>
              ) : r.kind === 'drill' && r.report ? (
                <Typography.Text style={{ fontSize: 12 }}>
                  RTO {formatMs((r.report as DrillReport).rtoMs)} · RPO {formatMs((r.report as DrillReport).rpoMs)}
                </Typography.Text>
              ) : (
                <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
                  {r.backupId ?? ''}
                </Typography.Text>
              ),
          },
        ]}
      />
    </Card>
  );
}
