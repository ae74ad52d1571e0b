/**
 * 报告 (reports): browse the contract reports by type and period, open one (figures, tables,
 * ECharts charts; drill from a figure to the conversations or incidents behind it), compare two
 * periods side by side, sign off, download every format; the live hot questions on top; the
 * schedules (time, recipients, channels) in a drawer for those who manage them.
 * The open report and the comparison are in the address (`?type=…&r=…&vs=…`), so a link shares them.
 */
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { reportTypeValues, type ReportListItem, type ReportTypeName } from '../../../shared/reports-api.ts';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useCan, useMe } from '../auth/session.ts';
import { reportsQuery, useProduce } from './api.ts';
import { LiveHotQuestionsPanel } from './live-hot-questions.tsx';
import { ProvisionalEntry, ProvisionalView } from './provisional-view.tsx';
import { ReportView } from './report-view.tsx';
import { SchedulesDrawer } from './schedules-drawer.tsx';
import { useReportWorkspace, WorkspacePicker } from './vendor.tsx';

const periodPattern = /^\d{4}-(\d{2}(-\d{2})?|W\d{2})$/;

function Produce({ type, onDone }: { type: ReportTypeName; onDone: (id: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ period: string }>();
  const produce = useProduce();
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t('reports.produce')}</Button>
      <Modal
        open={open}
        title={`${t('reports.produceTitle')} · ${t(`reports.types.${type}`)}`}
        onCancel={() => setOpen(false)}
        confirmLoading={produce.isPending}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) =>
            produce.mutate(
              { type, period: v.period.trim() },
              {
                onSuccess: (r) => {
                  void message.success(t('reports.produced'));
                  setOpen(false);
                  onDone(r.id);
                },
                onError: (e) => void message.error(errorText(e)),
              },
            )
          }
        >
          <Form.Item
            name="period"
            label={t('reports.producePeriod')}
            rules={[{ required: true, pattern: periodPattern, message: t('reports.producePeriod') }]}
          >
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function ReportList({ type, onOpen }: { type: ReportTypeName; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const zone = useMe().workspace.timezone;
  const list = useQuery(reportsQuery(type, useReportWorkspace().workspace));
  if (list.error) return <LoadError error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <Card styles={{ body: { padding: 0 } }}>
      <Table<ReportListItem>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        onRow={(r) =>
          ({ onClick: () => onOpen(r.id), style: { cursor: 'pointer' }, 'data-testid': 'report-row' }) as never
        }
        locale={{
          emptyText: (
            <div style={{ padding: 24 }}>
              <Typography.Paragraph strong>{t('reports.none')}</Typography.Paragraph>
              <Typography.Text type="secondary">{t('reports.noneHint')}</Typography.Text>
            </div>
          ),
        }}
        columns={[
          {
            title: t('reports.period'),
            dataIndex: 'periodKey',
            render: (k: string) => <Typography.Link strong>{k}</Typography.Link>,
          },
          {
            title: t('reports.signoffs'),
            key: 'signoffs',
            render: (_: unknown, r) =>
              r.signoffs.length ? (
                r.signoffs.map((s) => (
                  <Tag key={s.party} color="green">
                    {t(`reports.party.${s.party}`)}·{s.userName}
                  </Tag>
                ))
              ) : (
                <Typography.Text type="secondary">{t('reports.notSigned')}</Typography.Text>
              ),
          },
          {
            title: t('reports.producedAt'),
            dataIndex: 'producedAt',
            render: (v: string) => formatDateTime(v, zone),
            responsive: ['md'],
          },
          {
            title: t('reports.sha'),
            dataIndex: 'sha256',
            render: (v: string) => <Typography.Text code>{v.slice(0, 12)}</Typography.Text>,
            responsive: ['lg'],
          },
        ]}
      />
    </Card>
  );
}

export function ReportsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const typeParam = params.get('type') as ReportTypeName | null;
  const type: ReportTypeName = typeParam && reportTypeValues.includes(typeParam) ? typeParam : 'monthly-cs';
  const open = params.get('r');
  const compare = params.get('vs');
  const [editing, setEditing] = useState(false);
  // Producing and scheduling are for one's own workspace; the vendor browses and signs a merchant's.
  const own = !useReportWorkspace().workspace;
  const put = (next: Record<string, string | null>) =>
    setParams((p) => {
      const out = new URLSearchParams(p);
      for (const [k, v] of Object.entries(next))
        if (v) out.set(k, v);
        else out.delete(k);
      return out;
    });
  return (
    <Page
      title={t('reports.title')}
      subtitle={t('reports.subtitle')}
      extra={
        <Space wrap>
          <WorkspacePicker />
          {!open && own && can('ops.manage') && (
            <>
              <Button onClick={() => setEditing(true)} data-testid="report-schedules">
                {t('reports.schedules.open')}
              </Button>
              <Produce type={type} onDone={(id) => put({ r: id, vs: null })} />
            </>
          )}
        </Space>
      }
    >
      {editing && <SchedulesDrawer onClose={() => setEditing(false)} />}
      {open === 'provisional' ? (
        <ProvisionalView type={type} onBack={() => put({ r: null, vs: null })} />
      ) : open ? (
        <ReportView
          key={open}
          id={open}
          compareId={compare}
          onBack={() => put({ r: null, vs: null })}
          onCompare={(id) => put({ vs: id })}
        />
      ) : (
        <>
          <div style={{ overflowX: 'auto', marginBottom: 12 }}>
            <Segmented
              value={type}
              onChange={(v) => put({ type: v as string })}
              options={reportTypeValues.map((x) => ({ value: x, label: t(`reports.types.${x}`) }))}
              data-testid="report-types"
            />
          </div>
          <ProvisionalEntry type={type} onOpen={() => put({ r: 'provisional', vs: null })} />
          <ReportList type={type} onOpen={(id) => put({ r: id, vs: null })} />
          {own && (
            <div style={{ marginTop: 16 }}>
              <LiveHotQuestionsPanel />
            </div>
          )}
        </>
      )}
    </Page>
  );
}
