import { App, Button, Card, Col, Descriptions, Empty, Flex, Form, Input, List, Row, Tag, Typography } from 'antd';
import { PhoneOutlined, MailOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { IncidentSeverity, ReportedProblem } from '../../../shared/incidents-api.ts';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useMe } from '../auth/session.ts';
import { reportedQuery, reportProblem } from './console-api.ts';
import { Countdown, useNow } from './countdown.tsx';
import { SeverityChoice } from './severity-choice.tsx';
import { SeverityTag, StateTag } from './tags.tsx';

type Values = { title: string; description: string; severity: IncidentSeverity; contact?: string };

/** One reported problem: its state, the support line's answer clock, and the vendor's public updates. */
function Reported({ p, zone, now }: { p: ReportedProblem; zone: string; now: number }) {
  const { t } = useTranslation();
  const answered = p.acknowledgedAt ?? p.resolvedAt;
  const closed = ['resolved', 'closed', 'cancelled'].includes(p.state);
  return (
    <List.Item className="reported-problem">
      <Flex vertical gap={4} style={{ width: '100%', minWidth: 0 }}>
        <Flex gap={6} wrap align="center">
          <Typography.Text strong>#{p.number}</Typography.Text>
          <SeverityTag severity={p.severity} />
          <Typography.Text strong>{p.title}</Typography.Text>
          <StateTag state={p.state} />
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDateTime(p.declaredAt, zone)}
          {p.reportedBy && ` · ${t('incidentConsole.report.reportedBy')} ${p.reportedBy}`}
        </Typography.Text>
        <span>
          <Typography.Text type="secondary">
            {answered ? t('incidentConsole.report.answered') : t('incidentConsole.report.waiting')}
          </Typography.Text>
          <Countdown due={p.respondBy} done={!!answered || closed} at={answered} now={now} minutes={30} />
          {answered && <Typography.Text type="secondary"> ({formatDateTime(answered, zone)})</Typography.Text>}
        </span>
        {p.updates.length > 0 && (
          <Card size="small" title={t('incidentConsole.report.updates')} style={{ marginTop: 4 }}>
            {p.updates.map((u) => (
              <Typography.Paragraph key={u.at + u.body} style={{ margin: 0 }}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(u.at, zone)}{' '}
                </Typography.Text>
                {u.body}
              </Typography.Paragraph>
            ))}
          </Card>
        )}
      </Flex>
    </List.Item>
  );
}

/** The merchant's "report a problem" page: the contract's support line, the form, and the problems reported with their state. */
export function ReportPage() {
  const { t } = useTranslation();
  const zone = useMe().workspace.timezone;
  const now = useNow();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const reported = useQuery(reportedQuery());
  const [form] = Form.useForm<Values>();
  const send = useMutation({
    mutationFn: reportProblem,
    onSuccess: (r) => {
      void message.success(t('incidentConsole.report.submitted', { number: r.number }));
      form.resetFields();
      void client.invalidateQueries({ queryKey: ['incidents', 'reported'] });
    },
    onError: (err) => void message.error(errorText(err)),
  });
  const r = reported.data;
  const minutes = r?.answerMinutes ?? 30;
  return (
    <Page title={t('incidentConsole.report.title')} subtitle={t('incidentConsole.report.subtitle', { minutes })}>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={11}>
          <Card size="small" title={t('incidentConsole.report.supportLine')} style={{ marginBottom: 16 }}>
            {r && (r.supportLine.phone || r.supportLine.email) ? (
              <Descriptions column={1} size="small">
                {r.supportLine.phone && (
                  <Descriptions.Item label={<PhoneOutlined aria-label={t('incidentConsole.report.phone')} />}>
                    <a href={`tel:${r.supportLine.phone}`}>{r.supportLine.phone}</a>
                  </Descriptions.Item>
                )}
                {r.supportLine.email && (
                  <Descriptions.Item label={<MailOutlined aria-label={t('incidentConsole.report.email')} />}>
                    <a href={`mailto:${r.supportLine.email}`}>{r.supportLine.email}</a>
                  </Descriptions.Item>
                )}
              </Descriptions>
            ) : (
              <Typography.Text type="secondary">{t('incidentConsole.report.notEntered')}</Typography.Text>
            )}
            <Tag color="blue" style={{ marginTop: 8, display: 'table' }}>
              {t('incidentConsole.report.answerWithin', { minutes })}
            </Tag>
          </Card>
          <Card size="small">
            <Form<Values>
              form={form}
              layout="vertical"
              initialValues={{ severity: 'P3' }}
              onFinish={(v) => send.mutate(v)}
            >
              <Form.Item name="title" label={t('incidentConsole.report.name')} rules={[{ required: true, max: 200 }]}>
                <Input placeholder={t('incidentConsole.report.namePlaceholder')} maxLength={200} />
              </Form.Item>
              <Form.Item
                name="description"
                label={t('incidentConsole.report.description')}
                rules={[{ required: true, whitespace: true }]}
              >
                <Input.TextArea
                  autoSize={{ minRows: 3, maxRows: 8 }}
                  placeholder={t('incidentConsole.report.descriptionPlaceholder')}
                  maxLength={10_000}
                />
              </Form.Item>
              <Form.Item name="severity" label={t('incidentConsole.report.severity')}>
                <SeverityChoice />
              </Form.Item>
              <Form.Item name="contact" label={t('incidentConsole.report.contact')}>
                <Input maxLength={200} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={send.isPending}>
                {t('incidentConsole.report.submit')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={13}>
          <Card size="small" title={t('incidentConsole.report.mine')}>
            {reported.isError ? (
              <LoadError error={reported.error} onRetry={() => void reported.refetch()} />
            ) : (
              <List
                loading={reported.isLoading}
                dataSource={r?.items ?? []}
                locale={{
                  emptyText: (
                    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incidentConsole.report.empty')} />
                  ),
                }}
                renderItem={(p) => <Reported p={p} zone={zone} now={now} />}
              />
            )}
          </Card>
        </Col>
      </Row>
    </Page>
  );
}
