/**
 * One report: its period, fingerprint and sign-offs (merchant and vendor, each recorded with the
 * fingerprint signed), downloads in every format, recomputation, and a comparison with another
 * period of the same type side by side (the summary figures with their change, then both reports).
 */
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Col, Dropdown, Flex, Popconfirm, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { reportFormatValues, type ReportListItem } from '../../../shared/reports-api.ts';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useCan, useMe } from '../auth/session.ts';
import { downloadUrl, reportQuery, reportsQuery, useSignOff, useVerify, type ReportDetail } from './api.ts';
import { ReportBody, useText } from './report-body.tsx';
import { useReportWorkspace } from './vendor.tsx';

type Party = 'merchant' | 'vendor';

function SignOffs({ report }: { report: ReportDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const me = useMe();
  const can = useCan();
  const zone = me.workspace.timezone;
  const { isVendor, workspace } = useReportWorkspace();
  const sign = useSignOff(report.id, workspace);
  // The server decides (ops.manage, and the role for the party); the buttons follow the same rule:
  // the vendor is the installation's ops, the merchant its own owner or admin.
  const mayFor = (party: Party) =>
    can('ops.manage') &&
    (party === 'vendor'
      ? isVendor
      : !workspace && (me.user.role === 'owner' || me.user.role === 'admin') && !me.user.installationOwner);
  return (
    <Flex gap={8} wrap align="center" data-testid="signoffs">
      {(['merchant', 'vendor'] as const).map((party) => {
        const done = report.signoffs.find((s) => s.party === party);
        const name = t(`reports.party.${party}`);
        if (done)
          return (
            <Tag key={party} color="green" icon={<SafetyCertificateOutlined />} data-testid={`signed-${party}`}>
              {t('reports.signedBy', { party: name, name: done.userName, at: formatDateTime(done.at, zone) })}
            </Tag>
          );
        if (!mayFor(party))
          return (
            <Tag key={party}>
              {name}：{t('reports.notSigned')}
            </Tag>
          );
        return (
          <Popconfirm
            key={party}
            title={t('reports.signConfirm', { party: name, sha: report.sha256.slice(0, 12) })}
            onConfirm={() =>
              sign.mutate(party, {
                onSuccess: () => void message.success(t('reports.signed')),
                onError: (e) => void message.error(errorText(e)),
              })
            }
          >
            <Button size="small" type="primary" ghost loading={sign.isPending && sign.variables === party}>
              {t('reports.signAs', { party: name })}
            </Button>
          </Popconfirm>
        );
      })}
    </Flex>
  );
}

function Downloads({ id }: { id: string }) {
  const { t } = useTranslation();
  const { workspace } = useReportWorkspace();
  return (
    <Dropdown
      menu={{
        items: reportFormatValues.map((f) => ({
          key: f,
          label: (
            <a
              href={downloadUrl(id, f, workspace)}
              target={f === 'html' ? '_blank' : undefined}
              rel="noreferrer"
              download={f !== 'html'}
            >
              {t(`reports.formats.${f}`)}
            </a>
          ),
        })),
      }}
    >
      <Button icon={<DownloadOutlined />} data-testid="download">
        {t('reports.download')}
      </Button>
    </Dropdown>
  );
}

function Verify({ id }: { id: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const verify = useVerify(id, useReportWorkspace().workspace);
  return (
    <Button
      loading={verify.isPending}
      onClick={() =>
        verify.mutate(undefined, {
          onSuccess: (v) =>
            v.stored && v.recomputed !== false
              ? void message.success(t(v.recomputed === null ? 'reports.verifiedStored' : 'reports.verified'))
              : void message.error(
                  t('reports.verifyFailed', { stored: String(v.stored), recomputed: String(v.recomputed) }),
                ),
          onError: (e) => void message.error(errorText(e)),
        })
      }
    >
      {t('reports.verify')}
    </Button>
  );
}

const delta = (a: number | null, b: number | null) => {
  if (a === null || b === null) return '—';
  const d = Math.round((a - b) * 100) / 100;
  return `${d > 0 ? '+' : ''}${d.toLocaleString()}`;
};
const num = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toLocaleString());
/** Summary figures in seconds (first response, resolution) read as durations, as in the report. */
const isSeconds = (key: string) => /P(50|90)$|^p99Worst$/.test(key);
const duration = (s: number | null) => {
  if (s === null) return '—';
  const a = Math.abs(s);
  const sign = s < 0 ? '-' : '';
  if (a < 60) return `${sign}${Math.round(a * 10) / 10} s`;
  if (a < 3600) return `${sign}${Math.round((a / 60) * 10) / 10} min`;
  return `${sign}${Math.round((a / 3600) * 100) / 100} h`;
};
const show = (k: string, v: number | null) => (isSeconds(k) ? duration(v) : num(v));

type Row = { k: string; a: number | null; b: number | null };

function Comparison({ a, b }: { a: ReportDetail; b: ReportDetail }) {
  const { t, i18n } = useTranslation();
  const keys = [...new Set([...Object.keys(a.document.summary), ...Object.keys(b.document.summary)])];
  const label = (k: string) => (i18n.exists(`reports.summary.${k}`) ? t(`reports.summary.${k}` as 'reports.title') : k);
  return (
    <Card
      size="small"
      title={t('reports.compareTitle', { a: a.periodKey, b: b.periodKey })}
      style={{ marginBottom: 12 }}
    >
      <Table
        size="small"
        rowKey="k"
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="comparison"
        dataSource={keys.map((k) => ({ k, a: a.document.summary[k] ?? null, b: b.document.summary[k] ?? null }))}
        columns={[
          { title: t('reports.figure'), dataIndex: 'k', render: (k: string) => label(k) },
          { title: a.periodKey, key: 'a', render: (_: unknown, r: Row) => show(r.k, r.a) },
          { title: b.periodKey, key: 'b', render: (_: unknown, r: Row) => show(r.k, r.b) },
          {
            title: t('reports.change'),
            key: 'd',
            render: (_: unknown, r: Row) =>
              isSeconds(r.k)
                ? r.a === null || r.b === null
                  ? '—'
                  : `${r.a >= r.b ? '+' : ''}${duration(r.a - r.b)}`
                : delta(r.a, r.b),
          },
        ]}
      />
    </Card>
  );
}

export function ReportView({
  id,
  compareId,
  onBack,
  onCompare,
}: {
  id: string;
  compareId: string | null;
  onBack: () => void;
  onCompare: (id: string | null) => void;
}) {
  const { t } = useTranslation();
  const text = useText();
  const zone = useMe().workspace.timezone;
  const { workspace } = useReportWorkspace();
  const report = useQuery(reportQuery(id, workspace));
  const other = useQuery({ ...reportQuery(compareId ?? '', workspace), enabled: !!compareId });
  const list = useQuery({ ...reportsQuery(report.data?.type ?? 'daily', workspace), enabled: !!report.data });
  if (report.error) return <LoadError error={report.error} onRetry={() => void report.refetch()} />;
  const r = report.data;
  const choices = (list.data?.items ?? []).filter((x: ReportListItem) => x.id !== id);
  return (
    <div data-testid="report-view">
      <Card size="small" loading={!r} style={{ marginBottom: 12 }}>
        {r && (
          <Flex vertical gap={8}>
            <Flex justify="space-between" align="center" wrap gap={8}>
              <Space wrap>
                <Button icon={<ArrowLeftOutlined />} onClick={onBack}>
                  {t('reports.back')}
                </Button>
                <Typography.Title level={5} style={{ margin: 0 }} data-testid="report-title">
                  {text(r.document.title)}
                </Typography.Title>
              </Space>
              <Space wrap>
                <Downloads id={r.id} />
                <Verify id={r.id} />
              </Space>
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(r.document.period.start, zone)} – {formatDateTime(r.document.period.end, zone)} (
              {r.document.period.zone}) · {t('reports.asOf', { at: formatDateTime(r.document.asOf, zone) })}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
              {t('reports.sha')} {r.sha256}
            </Typography.Text>
            <SignOffs report={r} />
            <Flex gap={8} align="center" wrap>
              <Typography.Text>{t('reports.compare')}</Typography.Text>
              <Select
                style={{ minWidth: 180 }}
                value={compareId ?? ''}
                onChange={(v: string) => onCompare(v || null)}
                data-testid="compare-select"
                options={[
                  { value: '', label: t('reports.compareNone') },
                  ...choices.map((c) => ({ value: c.id, label: c.periodKey })),
                ]}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('reports.drillHint')}
              </Typography.Text>
            </Flex>
          </Flex>
        )}
      </Card>
      {r && compareId && other.data ? (
        <>
          <Comparison a={r} b={other.data} />
          <Row gutter={12}>
            <Col xs={24} xl={12}>
              <Typography.Title level={5}>{r.periodKey}</Typography.Title>
              <ReportBody doc={r.document} compact />
            </Col>
            <Col xs={24} xl={12}>
              <Typography.Title level={5}>{other.data.periodKey}</Typography.Title>
              <ReportBody doc={other.data.document} compact />
            </Col>
          </Row>
        </>
      ) : (
        r && <ReportBody doc={r.document} />
      )}
    </div>
  );
}
