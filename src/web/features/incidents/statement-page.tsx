import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Flex, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useMe } from '../auth/session.ts';
import { signOff, statementQuery, statementSuffix, type StatementLine } from './api.ts';
import { declareOptionsQuery } from './console-api.ts';
import { SeverityTag } from './tags.tsx';

const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function StatementPage() {
  const { t } = useTranslation();
  const me = useMe();
  const zone = me.workspace.timezone;
  const { message } = App.useApp();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [month, setMonth] = useState(() => {
    const m = params.get('month');
    return m && /^\d{4}-\d{2}$/.test(m) ? m : dayjs().format('YYYY-MM');
  });
  // The vendor (installation ops) picks the merchant workspace; everyone else reads their own.
  const isVendor = me.user.installationOwner || me.permissions.includes('installation.ops');
  const options = useQuery({ ...declareOptionsQuery(), enabled: isVendor });
  const picked = isVendor ? params.get('workspace') : null;
  const workspace = picked && picked !== me.workspace.id ? picked : null;
  const pick = (id: string) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (id === me.workspace.id) next.delete('workspace');
      else next.set('workspace', id);
      return next;
    });
  const st = useQuery(statementQuery(month, workspace));
  const file = (format: string) =>
    `/api/ops/penalties/${month}?${[`format=${format}`, statementSuffix(workspace)].filter(Boolean).join('&')}`;
  const c = (key: string) => t(`incidents.statement.columns.${key}` as 'incidents.statement.columns.incident');
  /** A time on two lines (date, then time) so that five time columns fit beside the amounts. */
  const at = (ms: number | null) => {
    if (ms === null) return '–';
    const [date, time] = formatDateTime(new Date(ms).toISOString(), zone).split(' ');
    return (
      <>
        {date}
        <br />
        {time}
      </>
    );
  };
  const duration = (min: number) =>
    min % 60 ? t('incidents.statement.minutes', { n: min }) : t('incidents.statement.hours', { n: min / 60 });
  const sign = useMutation({
    mutationFn: (party: 'merchant' | 'vendor') => signOff(month, party, workspace),
    onSuccess: (data) => client.setQueryData(['statement', month, workspace], data),
    onError: (err: Error) => void message.error(err.message),
  });
  const s = st.data;
  const party = isVendor ? 'vendor' : 'merchant';
  const canSign =
    me.permissions.includes('ops.manage') && (party === 'vendor' || ['owner', 'admin'].includes(me.user.role));
  return (
    <Page
      title={t('incidents.statement.title')}
      subtitle={
        s &&
        t('incidents.statement.subtitle', {
          rate: s.ratePercentPerHour,
          cap: (s.cap / s.total) * 100,
          scope: t(`incidentSettings.contract.capScopes.${s.capScope}` as 'incidentSettings.contract.capScopes.term'),
        })
      }
      extra={
        <Space wrap>
          {isVendor && options.data && (
            <Select
              aria-label={t('incidents.statement.workspace')}
              title={t('incidents.statement.workspace')}
              style={{ minWidth: 180 }}
              showSearch
              optionFilterProp="label"
              value={workspace ?? me.workspace.id}
              onChange={pick}
              options={options.data.workspaces.map((w) => ({ value: w.id, label: w.name }))}
            />
          )}
          <DatePicker
            picker="month"
            allowClear={false}
            value={dayjs(`${month}-01`)}
            onChange={(d) => d && setMonth(d.format('YYYY-MM'))}
          />
          <Button href={file('csv')}>{t('incidents.statement.csv')}</Button>
          <Button href={file('pdf')}>{t('incidents.statement.pdf')}</Button>
          <Button href={file('html')} target="_blank">
            {t('incidents.statement.print')}
          </Button>
        </Space>
      }
    >
      {st.isError && <LoadError error={st.error} onRetry={() => void st.refetch()} />}
      {s && (
        <>
          {!s.configured && (
            <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('incidents.statement.noContract')} />
          )}
          <Flex gap={16} wrap style={{ marginBottom: 16 }}>
            <Card size="small">
              <Statistic title={t('incidents.statement.total')} value={money(s.deduction)} suffix={s.currency} />
              {s.capApplied && <Tag color="gold">{t('incidents.statement.capApplied')}</Tag>}
            </Card>
            <Card size="small">
              <Statistic
                title={t('incidents.statement.termToDate')}
                value={money(s.termDeductionToDate)}
                suffix={s.currency}
              />
            </Card>
          </Flex>
          <Card styles={{ body: { padding: 0 } }} style={{ marginBottom: 16 }}>
            <Table<StatementLine>
              rowKey="id"
              size="middle"
              pagination={false}
              scroll={{ x: 1120 }}
              dataSource={s.lines}
              locale={{ emptyText: t('incidents.statement.empty') }}
              columns={[
                {
                  title: c('incident'),
                  key: 'incident',
                  width: 200,
                  render: (_, l) => (
                    <Space size={4} wrap>
                      {`#${l.number} ${l.title}`}
                      {l.promotion && <Tag color="magenta">{l.promotion}</Tag>}
                      {l.mode === 'drill' && <Tag>{t('incidents.drill')}</Tag>}
                      {!l.counted && l.mode !== 'drill' && <Tag>{t('incidents.statement.notCounted')}</Tag>}
                    </Space>
                  ),
                },
                {
                  title: t('incidents.columns.severity'),
                  dataIndex: 'severity',
                  width: 70,
                  render: (v: string) => <SeverityTag severity={v} />,
                },
                {
                  title: c('target'),
                  key: 'target',
                  width: 90,
                  render: (_, l) => duration(l.targets.resolve),
                },
                {
                  title: c('declaredAt'),
                  dataIndex: 'declaredAt',
                  width: 100,
                  render: (v: number) => at(v),
                },
                {
                  title: c('respondBy'),
                  dataIndex: 'respondBy',
                  width: 100,
                  render: (v: number) => at(v),
                },
                {
                  title: c('acknowledgedAt'),
                  dataIndex: 'acknowledgedAt',
                  width: 100,
                  render: (v: number | null) => at(v),
                },
                {
                  title: c('resolveBy'),
                  dataIndex: 'resolveBy',
                  width: 100,
                  render: (v: number) => at(v),
                },
                {
                  title: c('resolvedAt'),
                  dataIndex: 'resolvedAt',
                  width: 100,
                  render: (v: number | null) => at(v),
                },
                {
                  title: t('incidents.statement.hoursOver'),
                  dataIndex: 'hoursOver',
                  width: 90,
                  align: 'right',
                  render: (v: number) => Math.round(v * 100) / 100,
                },
                {
                  title: c('amount'),
                  key: 'amount',
                  width: 120,
                  align: 'right',
                  render: (_, l) => money(l.deductionCents / 100),
                },
                {
                  title: t('incidents.statement.capApplied'),
                  dataIndex: 'capApplied',
                  width: 90,
                  render: (v: boolean) =>
                    v ? (
                      <Tag color="gold">{c('yes')}</Tag>
                    ) : (
                      <Typography.Text type="secondary">{c('no')}</Typography.Text>
                    ),
                },
              ]}
            />
          </Card>
          <Card size="small">
            <Flex vertical gap={8}>
              {(['merchant', 'vendor'] as const).map((p) => {
                const signed = s.signoffs.find((x) => x.party === p);
                const who = t(`incidents.statement.parties.${p}`);
                return (
                  <Flex key={p} gap={12} align="center" wrap>
                    <Typography.Text type={signed ? 'success' : 'secondary'}>
                      {signed
                        ? t('incidents.statement.signed', {
                            party: who,
                            name: signed.userName,
                            at: formatDateTime(signed.at, zone),
                          })
                        : t('incidents.statement.unsigned', { party: who })}
                    </Typography.Text>
                    {!signed && canSign && party === p && s.configured && (
                      <Button size="small" type="primary" loading={sign.isPending} onClick={() => sign.mutate(p)}>
                        {t('incidents.statement.signOff', { party: who })}
                      </Button>
                    )}
                  </Flex>
                );
              })}
            </Flex>
          </Card>
        </>
      )}
    </Page>
  );
}
