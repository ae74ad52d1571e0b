/**
 * The rule editor: one alert rule (expression, for, keep_firing_for, severity P1–P3, component,
 * further labels, summary / description / runbook annotations) in a drawer, with a "test this
 * expression" button that shows the expression's current value. The server parses the PromQL; its
 * error is shown at the field it belongs to.
 */
import { Alert as Notice, Button, Drawer, Flex, Form, Input, Select, Typography, message } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { RuleInput } from '../../../shared/ops-api.ts';
import { ApiError, request } from '../../shared/http.ts';
import { useInstantQuery, type InstantResult } from './api.ts';

type Values = {
  group: string;
  alert: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  severity?: 'P1' | 'P2' | 'P3';
  component?: string;
  labels?: string;
  summary?: string;
  summary_zh?: string;
  description?: string;
  runbook_url?: string;
};
export type EditedRule = { group: string; rule: RuleInput } | { group?: undefined; rule?: undefined };

const fromRule = (group: string, r: RuleInput): Values => {
  const { severity, component, ...labels } = r.labels ?? {};
  return {
    group,
    alert: r.alert,
    expr: r.expr,
    for: r.for,
    keep_firing_for: r.keep_firing_for,
    severity: severity as Values['severity'],
    component,
    labels: Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
    summary: r.annotations?.summary,
    summary_zh: r.annotations?.summary_zh,
    description: r.annotations?.description,
    runbook_url: r.annotations?.runbook_url,
  };
};

const toBody = (v: Values) => {
  const labels: Record<string, string> = {};
  for (const line of (v.labels ?? '').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) labels[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  if (v.severity) labels.severity = v.severity;
  if (v.component?.trim()) labels.component = v.component.trim();
  const annotations = Object.fromEntries(
    (['summary', 'summary_zh', 'description', 'runbook_url'] as const)
      .filter((k) => v[k]?.trim())
      .map((k) => [k, v[k]!.trim()]),
  );
  const opt = (s?: string) => (s?.trim() ? s.trim() : undefined);
  return {
    expr: v.expr,
    for: opt(v.for),
    keep_firing_for: opt(v.keep_firing_for),
    labels: Object.keys(labels).length ? labels : undefined,
    annotations: Object.keys(annotations).length ? annotations : undefined,
  };
};

/** Which form field a server problem belongs to (`expr`, `labels.severity`, `body/for`, …). */
const fieldOf = (path: string): keyof Values | null => {
  const p = path.replace(/^body\/?/, '').replace(/\//g, '.');
  if (p.startsWith('labels.severity')) return 'severity';
  if (p.startsWith('labels')) return 'labels';
  if (p.startsWith('annotations.')) return (p.split('.')[1] as keyof Values) ?? null;
  return (['expr', 'for', 'keep_firing_for', 'group', 'alert'] as const).find((f) => p === f) ?? null;
};

export function formatInstant(r: InstantResult, empty: string): string {
  if (!Array.isArray(r.result)) return String(r.result);
  if (!r.result.length) return empty;
  return r.result.map((x) => `${JSON.stringify(x.labels)} ${x.value}`).join('\n');
}

export function RuleEditor({ edited, onClose }: { edited: EditedRule | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer
      open={!!edited}
      onClose={onClose}
      title={edited?.rule ? t('monitoring.rule.edit') : t('monitoring.rule.new')}
      width="min(640px, 100vw)"
      destroyOnHidden
    >
      {edited && (
        <RuleForm key={edited.rule ? `${edited.group}/${edited.rule.alert}` : 'new'} edited={edited} onDone={onClose} />
      )}
    </Drawer>
  );
}

function RuleForm({ edited, onDone }: { edited: EditedRule; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const client = useQueryClient();
  const test = useInstantQuery();
  const creating = !edited.rule;
  const save = useMutation({
    mutationFn: (v: Values) =>
      request<{ outcome: string }>(
        'PUT',
        `/api/ops/rules/${encodeURIComponent(v.group)}/${encodeURIComponent(v.alert)}`,
        toBody(v),
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['ops'] });
      void message.success(t('monitoring.rule.saved'));
      onDone();
    },
    onError: (err) => {
      if (!(err instanceof ApiError)) return;
      const issues = (err.issues ?? []) as { path?: string; message?: string }[];
      const fields = issues
        .map((i) => ({ name: fieldOf(i.path ?? ''), errors: [i.message ?? err.message] }))
        .filter((f): f is { name: keyof Values; errors: string[] } => f.name !== null);
      if (fields.length) form.setFields(fields);
    },
  });
  const unplaced =
    save.error instanceof ApiError &&
    !((save.error.issues ?? []) as { path?: string }[]).some((i) => fieldOf(i.path ?? ''));
  const runTest = () => {
    const expr = form.getFieldValue('expr') as string | undefined;
    if (!expr?.trim()) return;
    test.mutate(expr, {
      onError: (err) => form.setFields([{ name: 'expr', errors: [err.message] }]),
      onSuccess: () => form.setFields([{ name: 'expr', errors: [] }]),
    });
  };
  return (
    <Form
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={edited.rule ? fromRule(edited.group, edited.rule) : { group: 'custom', severity: 'P3' }}
      onFinish={(v) => save.mutate(v)}
    >
      <Flex gap={12} wrap>
        <Form.Item
          name="group"
          label={t('monitoring.rule.group')}
          rules={[{ required: true }]}
          style={{ flex: '1 1 180px' }}
        >
          <Input disabled={!creating} />
        </Form.Item>
        <Form.Item
          name="alert"
          label={t('monitoring.rule.alert')}
          rules={[{ required: true }, { pattern: /^[a-zA-Z_][a-zA-Z0-9_]*$/, message: t('monitoring.rule.alertName') }]}
          style={{ flex: '1 1 180px' }}
        >
          <Input disabled={!creating} placeholder="ShopDown" />
        </Form.Item>
      </Flex>
      <Form.Item name="expr" label={t('monitoring.rule.expr')} rules={[{ required: true }]} style={{ marginBottom: 8 }}>
        <Input.TextArea
          autoSize={{ minRows: 2, maxRows: 8 }}
          style={{ fontFamily: 'monospace' }}
          placeholder={t('monitoring.rule.testPlaceholder')}
        />
      </Form.Item>
      <Flex vertical gap={8} style={{ marginBottom: 16 }}>
        <Flex>
          <Button onClick={runTest} loading={test.isPending}>
            {t('monitoring.rule.testNow')}
          </Button>
        </Flex>
        {test.data && test.data.unknownMetrics.length > 0 && (
          <Notice
            type="warning"
            showIcon
            message={t('monitoring.rule.unknownMetrics', { names: test.data.unknownMetrics.join(', ') })}
          />
        )}
        {test.data && (
          <div data-testid="rule-current-value">
            <Typography.Text type="secondary">{t('monitoring.rule.currentValue')}</Typography.Text>
            <Typography.Paragraph code style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
              {formatInstant(test.data, t('monitoring.rule.empty'))}
            </Typography.Paragraph>
          </div>
        )}
      </Flex>
      <Flex gap={12} wrap>
        <Form.Item name="for" label={t('monitoring.rule.for')} style={{ flex: '1 1 120px' }}>
          <Input placeholder="5m" />
        </Form.Item>
        <Form.Item name="keep_firing_for" label={t('monitoring.rule.keepFiringFor')} style={{ flex: '1 1 120px' }}>
          <Input placeholder="10m" />
        </Form.Item>
        <Form.Item name="severity" label={t('monitoring.rule.severity')} style={{ flex: '1 1 100px' }}>
          <Select allowClear options={['P1', 'P2', 'P3'].map((v) => ({ value: v, label: v }))} />
        </Form.Item>
        <Form.Item name="component" label={t('monitoring.rule.component')} style={{ flex: '1 1 140px' }}>
          <Input placeholder="web_chat" />
        </Form.Item>
      </Flex>
      <Form.Item name="labels" label={t('monitoring.rule.labels')} extra={t('monitoring.rule.labelsHelp')}>
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} style={{ fontFamily: 'monospace' }} />
      </Form.Item>
      <Form.Item
        name="summary"
        label={t('monitoring.rule.summary')}
        extra={t('monitoring.rule.templateHelp', { labels: '{{ $labels.probe }}', value: '{{ $value }}' })}
      >
        <Input />
      </Form.Item>
      <Form.Item name="summary_zh" label={t('monitoring.rule.summaryZh')} extra={t('monitoring.rule.summaryZhHelp')}>
        <Input />
      </Form.Item>
      <Form.Item name="description" label={t('monitoring.rule.description')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} />
      </Form.Item>
      <Form.Item name="runbook_url" label={t('monitoring.rule.runbook')}>
        <Input placeholder="https://" />
      </Form.Item>
      {unplaced && <Notice type="error" showIcon message={save.error?.message} style={{ marginBottom: 16 }} />}
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t('monitoring.rule.save')}
      </Button>
    </Form>
  );
}
