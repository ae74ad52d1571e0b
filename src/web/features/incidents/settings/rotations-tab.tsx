/**
 * On-call rotations: each with who is on call now, its participants and its roster problems; a
 * drawer edits one (layers included); an override puts someone on call for an interval. A saved
 * rotation with gaps (nobody on call) is warned about at once.
 */
import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Drawer,
  Empty,
  Flex,
  Form,
  Modal,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../shared/format.ts';
import { LoadError } from '../../../shared/load-error.tsx';
import { useErrorText } from '../../../shared/use-error-text.ts';
import { addOverride, directoryQuery, rotationsQuery, type Rotation, type RosterWarning } from './api.ts';
import { RotationForm } from './rotation-form.tsx';
import { fromPicker } from './zoned.ts';

/** The roster's problems as lines: empty layers, then the first gaps and how many more. */
export function useWarningLines(): (warnings: RosterWarning[], zone: string) => string[] {
  const { t } = useTranslation();
  return (warnings, zone) => {
    const gaps = warnings.filter((w) => w.code === 'gap');
    return [
      ...warnings.filter((w) => w.code === 'no_participants').map(() => t('incidentSettings.rotations.noParticipants')),
      ...gaps.slice(0, 5).map((g) =>
        t('incidentSettings.rotations.gap', {
          start: formatDateTime(g.start, zone),
          end: formatDateTime(g.end, zone),
        }),
      ),
      ...(gaps.length > 5 ? [t('incidentSettings.rotations.gapsMore', { count: gaps.length - 5 })] : []),
    ];
  };
}

export function RotationsTab({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const rotations = useQuery(rotationsQuery());
  const lines = useWarningLines();
  const [edited, setEdited] = useState<Rotation | 'new' | null>(null);
  const [overriding, setOverriding] = useState<Rotation | null>(null);
  const r = (key: string, o?: Record<string, unknown>) =>
    t(`incidentSettings.rotations.${key}` as 'incidentSettings.rotations.name', o);
  if (rotations.isError) return <LoadError error={rotations.error} onRetry={() => void rotations.refetch()} />;
  const saved = (rot: Rotation) => {
    setEdited(null);
    const tz = rot.calendar.timezone;
    if (rot.warnings.length)
      modal.warning({
        title: r('gapsTitle'),
        content: (
          <Flex vertical gap={4} data-testid="gap-warning">
            <span>{r('gapsIntro')}</span>
            {lines(rot.warnings, tz).map((l) => (
              <span key={l}>{l}</span>
            ))}
          </Flex>
        ),
      });
  };
  return (
    <>
      {editable && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEdited('new')} style={{ marginBottom: 16 }}>
          {r('add')}
        </Button>
      )}
      {!editable && <Typography.Paragraph type="secondary">{t('incidentSettings.readOnly')}</Typography.Paragraph>}
      {rotations.data && !rotations.data.rotations.length && <Empty description={r('empty')} />}
      <Row gutter={[16, 16]}>
        {rotations.data?.rotations.map((rot) => (
          <Col xs={24} lg={12} key={rot.id}>
            <Card
              size="small"
              title={
                <Space size={6} wrap>
                  {rot.name}
                  <Tag>{r(`kinds.${rot.kind}`)}</Tag>
                </Space>
              }
              extra={
                editable && (
                  <Space size={4}>
                    <Button size="small" onClick={() => setOverriding(rot)}>
                      {r('override')}
                    </Button>
                    <Button size="small" onClick={() => setEdited(rot)}>
                      {t('incidentSettings.edit')}
                    </Button>
                  </Space>
                )
              }
            >
              <Flex vertical gap={4}>
                <Typography.Text>
                  <Typography.Text type="secondary">{r('onCallNow')}: </Typography.Text>
                  {rot.shifts[0]?.name ?? r('nobody')}
                  {rot.shifts[0]?.override && (
                    <Tag color="orange" style={{ marginInlineStart: 6 }}>
                      {r('override')}
                    </Tag>
                  )}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {rot.calendar.timezone} · {r(`handoffs.${rot.definition.handoff ?? 'weekly'}`)}{' '}
                  {rot.definition.handoffTime ?? ''}
                </Typography.Text>
                <Typography.Text style={{ fontSize: 13 }}>
                  {rot.participants.map((p) => p.name ?? p.id).join(' → ')}
                </Typography.Text>
                {rot.layers.length > 0 && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r('layers')}: {rot.layers.map((l) => l.name).join(' · ')}
                  </Typography.Text>
                )}
                {rot.warnings.length > 0 && (
                  <Alert
                    type="warning"
                    showIcon
                    style={{ marginTop: 4 }}
                    message={r('warnings', { count: rot.warnings.length })}
                    description={
                      <Flex vertical>
                        {lines(rot.warnings, rot.calendar.timezone).map((l) => (
                          <span key={l}>{l}</span>
                        ))}
                      </Flex>
                    }
                  />
                )}
              </Flex>
            </Card>
          </Col>
        ))}
      </Row>
      <Drawer
        open={!!edited}
        onClose={() => setEdited(null)}
        title={r(edited === 'new' ? 'newTitle' : 'editTitle')}
        width="min(760px, 100vw)"
        destroyOnHidden
      >
        {edited && <RotationForm rotation={edited === 'new' ? null : edited} onSaved={saved} />}
      </Drawer>
      {overriding && <OverrideModal rotation={overriding} onClose={() => setOverriding(null)} />}
    </>
  );
}

function OverrideModal({ rotation, onClose }: { rotation: Rotation; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const people = useQuery(directoryQuery());
  const [form] = Form.useForm<{ userId: string; when: [Dayjs, Dayjs] }>();
  const zone = rotation.calendar.timezone;
  const r = (key: string, o?: Record<string, unknown>) =>
    t(`incidentSettings.rotations.${key}` as 'incidentSettings.rotations.name', o);
  const save = useMutation({
    mutationFn: (v: { userId: string; when: [Dayjs, Dayjs] }) =>
      addOverride(rotation.id, {
        userId: v.userId,
        start: fromPicker(v.when[0], zone),
        end: fromPicker(v.when[1], zone),
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['oncall'] });
      void message.success(r('overrideSaved'));
      onClose();
    },
    onError: (err) => void message.error(errorText(err)),
  });
  return (
    <Modal
      open
      title={r('overrideTitle', { name: rotation.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('incidentSettings.save')}
      cancelText={t('incidentSettings.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="override-form">
        <Form.Item name="userId" label={r('overrideWho')} rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={people.data?.items.map((p) => ({ value: p.id, label: p.name }))}
          />
        </Form.Item>
        <Form.Item name="when" label={r('overrideWhen', { zone })} rules={[{ required: true }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
