/** Alert rules (from the configuration) with their current alerts, and a box to test an expression. */
import { useState } from 'react';
import { Alert as Notice, Button, Card, Flex, Input, Popconfirm, Table, Tag, Tooltip, Typography, message } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { RuleInput } from '../../../shared/ops-api.ts';
import { request } from '../../shared/http.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { alertsQuery, configQuery, instantQuery, useInstantQuery } from './api.ts';
import { formatInstant, RuleEditor, type EditedRule } from './rule-editor.tsx';

type Row = {
  key: string;
  group: string;
  alert: string;
  expr: string;
  for?: string;
  severity?: string;
  rule: RuleInput;
};

const short = (v: number) => (Number.isFinite(v) ? String(+v.toPrecision(4)) : String(v));

/** A rule's expression evaluated now: its values (an alert per element), or "—" when it returns nothing. */
function CurrentValue({ expr }: { expr: string }) {
  const { t } = useTranslation();
  const q = useQuery(instantQuery(expr));
  if (q.isLoading) return <Typography.Text type="secondary">…</Typography.Text>;
  if (q.isError)
    return (
      <Tooltip title={q.error.message}>
        <Typography.Text type="danger">{t('monitoring.rule.valueError')}</Typography.Text>
      </Tooltip>
    );
  const r = q.data!;
  if (!Array.isArray(r.result)) return <Typography.Text code>{String(r.result)}</Typography.Text>;
  if (!r.result.length)
    return (
      <Tooltip title={t('monitoring.rule.empty')}>
        <Typography.Text type="secondary" data-testid="rule-value">
          —
        </Typography.Text>
      </Tooltip>
    );
  const shown = r.result.slice(0, 2).map((x) => short(x.value));
  return (
    <Tooltip title={r.result.map((x) => `${JSON.stringify(x.labels)} ${x.value}`).join('\n')}>
      <Typography.Text code data-testid="rule-value">
        {shown.join(', ')}
        {r.result.length > 2 ? ` +${r.result.length - 2}` : ''}
      </Typography.Text>
    </Tooltip>
  );
}

export function RulesTab() {
  const { t } = useTranslation();
  const config = useQuery(configQuery());
  const active = useQuery(alertsQuery());
  const [expr, setExpr] = useState('');
  const test = useInstantQuery();
  const [edited, setEdited] = useState<EditedRule | null>(null);
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: (r: Row) =>
      request('DELETE', `/api/ops/rules/${encodeURIComponent(r.group)}/${encodeURIComponent(r.alert)}`),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['ops'] });
      void message.success(t('monitoring.rule.deleted'));
    },
    onError: (err) => void message.error(err.message),
  });
  if (config.isError) return <LoadError error={config.error} onRetry={() => void config.refetch()} />;
  const rows: Row[] = (config.data?.groups ?? []).flatMap((g) =>
    g.rules.map((r) => ({
      key: `${g.name}/${r.alert}`,
      group: g.name,
      alert: r.alert,
      expr: r.expr,
      for: r.for,
      severity: r.labels?.severity,
      rule: r,
    })),
  );
  const stateOf = (r: Row) => {
    const mine = (active.data?.items ?? []).filter(
      (a) => a.group === r.group && a.rule === r.alert && a.state !== 'resolved',
    );
    return mine.length ? (
      mine.map((a) => (
        <Tag key={a.id} color={a.state === 'firing' ? 'red' : 'gold'}>
          {t(`monitoring.alertState.${a.state}`)}
        </Tag>
      ))
    ) : (
      <Tag color="green">OK</Tag>
    );
  };
  const result = test.data;
  return (
    <Flex vertical gap={16}>
      <Card size="small" title={t('monitoring.rule.test')}>
        <Flex gap={8} vertical>
          <Input.TextArea
            value={expr}
            onChange={(e) => setExpr(e.target.value)}
            placeholder={t('monitoring.rule.testPlaceholder')}
            autoSize={{ minRows: 2, maxRows: 6 }}
            style={{ fontFamily: 'monospace' }}
          />
          <Flex>
            <Button type="primary" onClick={() => test.mutate(expr)} loading={test.isPending} disabled={!expr.trim()}>
              {t('monitoring.rule.run')}
            </Button>
          </Flex>
          {test.isError && <Notice type="error" showIcon message={test.error.message} />}
          {result && result.unknownMetrics.length > 0 && (
            <Notice
              type="warning"
              showIcon
              message={t('monitoring.rule.unknownMetrics', { names: result.unknownMetrics.join(', ') })}
            />
          )}
          {result && (
            <Typography.Paragraph code style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
              {formatInstant(result, t('monitoring.rule.empty'))}
            </Typography.Paragraph>
          )}
        </Flex>
      </Card>
      <Card
        size="small"
        title={t('monitoring.tabs.rules')}
        extra={
          <Button type="primary" onClick={() => setEdited({})}>
            {t('monitoring.rule.new')}
          </Button>
        }
        styles={{ body: { padding: 0 } }}
      >
        <Table<Row>
          size="middle"
          loading={config.isLoading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 1020 }}
          columns={[
            { title: t('monitoring.rule.group'), dataIndex: 'group', width: 120 },
            { title: t('monitoring.rule.alert'), dataIndex: 'alert', width: 190 },
            {
              title: t('monitoring.rule.severity'),
              dataIndex: 'severity',
              width: 70,
              render: (s?: string) => s ?? t('monitoring.rule.ungraded'),
            },
            {
              title: t('monitoring.rule.expr'),
              dataIndex: 'expr',
              render: (v: string) => (
                <Typography.Link code onClick={() => setExpr(v)} style={{ wordBreak: 'break-all' }}>
                  {v}
                </Typography.Link>
              ),
            },
            { title: t('monitoring.rule.for'), dataIndex: 'for', width: 70 },
            { title: t('monitoring.rule.currentValue'), width: 120, render: (_, r) => <CurrentValue expr={r.expr} /> },
            { title: t('monitoring.rule.state'), width: 110, render: (_, r) => stateOf(r) },
            {
              title: t('monitoring.rule.actions'),
              width: 130,
              render: (_, r) => (
                <Flex gap={4}>
                  <Button size="small" type="link" onClick={() => setEdited({ group: r.group, rule: r.rule })}>
                    {t('monitoring.rule.edit')}
                  </Button>
                  <Popconfirm
                    title={t('monitoring.rule.deleteConfirm', { name: r.alert })}
                    onConfirm={() => remove.mutate(r)}
                  >
                    <Button size="small" type="link" danger>
                      {t('monitoring.rule.delete')}
                    </Button>
                  </Popconfirm>
                </Flex>
              ),
            },
          ]}
        />
      </Card>
      <RuleEditor edited={edited} onClose={() => setEdited(null)} />
    </Flex>
  );
}
