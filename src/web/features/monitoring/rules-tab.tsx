/** Alert rules (from the configuration) with their current alerts, and a box to test an expression. */
import { useState } from 'react';
import { Alert as Notice, Button, Card, Flex, Input, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../shared/load-error.tsx';
import { alertsQuery, configQuery, useInstantQuery } from './api.ts';

type Row = { key: string; group: string; alert: string; expr: string; for?: string; severity?: string };

export function RulesTab() {
  const { t } = useTranslation();
  const config = useQuery(configQuery());
  const active = useQuery(alertsQuery());
  const [expr, setExpr] = useState('');
  const test = useInstantQuery();
  if (config.isError) return <LoadError error={config.error} onRetry={() => void config.refetch()} />;
  const rows: Row[] = (config.data?.groups ?? []).flatMap((g) =>
    g.rules.map((r) => ({
      key: `${g.name}/${r.alert}`,
      group: g.name,
      alert: r.alert,
      expr: r.expr,
      for: r.for,
      severity: r.labels?.severity,
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
              {Array.isArray(result.result)
                ? result.result.length
                  ? result.result.map((r) => `${JSON.stringify(r.labels)} ${r.value}`).join('\n')
                  : t('monitoring.rule.empty')
                : String(result.result)}
            </Typography.Paragraph>
          )}
        </Flex>
      </Card>
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Row>
          size="middle"
          loading={config.isLoading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 900 }}
          columns={[
            { title: t('monitoring.rule.group'), dataIndex: 'group', width: 120 },
            { title: t('monitoring.rule.alert'), dataIndex: 'alert', width: 190 },
            { title: t('monitoring.rule.severity'), dataIndex: 'severity', width: 70 },
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
            { title: t('monitoring.rule.state'), width: 110, render: (_, r) => stateOf(r) },
          ]}
        />
      </Card>
    </Flex>
  );
}
