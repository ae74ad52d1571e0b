/**
 * One rotation: its base layer (zone, daily/weekly hand-off at a local time, participants in turn
 * from a start date, optionally only some hours) and higher layers with the same fields. Saving
 * returns the roster's warnings (gaps where nobody is on call in the next four weeks): the caller
 * shows them.
 */
import { App, Button, Card, Checkbox, Col, DatePicker, Flex, Form, Input, Row, Select, Switch, TimePicker } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../../shared/use-error-text.ts';
import { useMe } from '../../auth/session.ts';
import { directoryQuery, saveRotation, type LayerDefinition, type Rotation } from './api.ts';
import { timeZones } from './zoned.ts';

type LayerValues = {
  name: string;
  timezone: string;
  handoff: 'daily' | 'weekly';
  handoffTime: Dayjs;
  handoffWeekday: number;
  startDate: Dayjs;
  participants: string[];
  hoursOn: boolean;
  hours?: { start: Dayjs; end: Dayjs; weekdays: number[] };
};
type Values = LayerValues & { kind: 'normal' | 'promotion'; layers: LayerValues[] };

const time = (hhmm: string) => dayjs(`2000-01-01T${hhmm}:00`);
const fromLayer = (l: Partial<LayerDefinition>, zone: string): LayerValues => ({
  name: l.name ?? '',
  timezone: l.timezone ?? zone,
  handoff: l.handoff ?? 'weekly',
  handoffTime: time(l.handoffTime ?? '09:00'),
  handoffWeekday: l.handoffWeekday ?? 0,
  startDate: l.startDate ? dayjs(l.startDate) : dayjs().startOf('week'),
  participants: l.participants ?? [],
  hoursOn: !!l.hours,
  hours: l.hours
    ? { start: time(l.hours.start), end: time(l.hours.end), weekdays: l.hours.weekdays }
    : { start: time('09:00'), end: time('18:00'), weekdays: [0, 1, 2, 3, 4] },
});
const toLayer = (v: LayerValues): LayerDefinition => ({
  name: v.name.trim(),
  timezone: v.timezone,
  handoff: v.handoff,
  handoffTime: v.handoffTime.format('HH:mm'),
  handoffWeekday: v.handoffWeekday,
  startDate: v.startDate.format('YYYY-MM-DD'),
  participants: v.participants,
  hours:
    v.hoursOn && v.hours
      ? { start: v.hours.start.format('HH:mm'), end: v.hours.end.format('HH:mm'), weekdays: v.hours.weekdays }
      : null,
});

function LayerFields({ prefix }: { prefix: (string | number)[] }) {
  const { t } = useTranslation();
  const people = useQuery(directoryQuery());
  const r = (key: string) => t(`incidentSettings.rotations.${key}` as 'incidentSettings.rotations.name');
  const weekdayNames = t('incidentSettings.rotations.weekdayNames', { returnObjects: true }) as string[];
  const form = Form.useFormInstance<Values>();
  const handoff = Form.useWatch([...prefix, 'handoff'], form) as string | undefined;
  const hoursOn = Form.useWatch([...prefix, 'hoursOn'], form) as boolean | undefined;
  return (
    <>
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name={[...prefix, 'timezone']} label={r('timezone')}>
            <Select showSearch options={timeZones().map((z) => ({ value: z, label: z }))} />
          </Form.Item>
        </Col>
        <Col xs={12} md={5}>
          <Form.Item name={[...prefix, 'handoff']} label={r('handoff')}>
            <Select
              options={(['daily', 'weekly'] as const).map((h) => ({
                value: h,
                label: t(`incidentSettings.rotations.handoffs.${h}`),
              }))}
            />
          </Form.Item>
        </Col>
        {handoff === 'weekly' && (
          <Col xs={12} md={5}>
            <Form.Item name={[...prefix, 'handoffWeekday']} label={r('handoffWeekday')}>
              <Select options={weekdayNames.map((label, value) => ({ value, label }))} />
            </Form.Item>
          </Col>
        )}
        <Col xs={12} md={6}>
          <Form.Item name={[...prefix, 'handoffTime']} label={r('handoffTime')} rules={[{ required: true }]}>
            <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name={[...prefix, 'startDate']} label={r('startDate')} rules={[{ required: true }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item
            name={[...prefix, 'participants']}
            label={r('participants')}
            rules={[{ required: true, type: 'array', min: 1 }]}
          >
            <Select
              mode="multiple"
              optionFilterProp="label"
              loading={people.isLoading}
              options={people.data?.items.map((p) => ({ value: p.id, label: p.name }))}
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name={[...prefix, 'hoursOn']}
        label={r('hours')}
        valuePropName="checked"
        style={{ marginBottom: hoursOn ? 8 : 0 }}
      >
        <Switch size="small" />
      </Form.Item>
      {hoursOn && (
        <Flex gap={12} wrap align="start">
          <Form.Item name={[...prefix, 'hours', 'start']} label={r('hoursFrom')} rules={[{ required: true }]}>
            <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} />
          </Form.Item>
          <Form.Item name={[...prefix, 'hours', 'end']} label={r('hoursTo')} rules={[{ required: true }]}>
            <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} />
          </Form.Item>
          <Form.Item
            name={[...prefix, 'hours', 'weekdays']}
            label={r('weekdays')}
            rules={[{ required: true, type: 'array', min: 1 }]}
          >
            <Checkbox.Group options={weekdayNames.map((label, value) => ({ value, label }))} />
          </Form.Item>
        </Flex>
      )}
    </>
  );
}

export function RotationForm({ rotation, onSaved }: { rotation: Rotation | null; onSaved: (r: Rotation) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const zone = useMe().workspace.timezone;
  const d = rotation?.definition ?? {};
  const r = (key: string, o?: Record<string, unknown>) =>
    t(`incidentSettings.rotations.${key}` as 'incidentSettings.rotations.name', o);
  const save = useMutation({
    mutationFn: (v: Values) =>
      saveRotation(rotation?.id ?? null, {
        ...toLayer(v),
        name: v.name.trim(),
        kind: v.kind,
        layers: (v.layers ?? []).map(toLayer),
      }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['oncall'] });
      void message.success(t('incidentSettings.saved'));
      onSaved(saved);
    },
    onError: (err) => void message.error(errorText(err)),
  });
  return (
    <Form<Values>
      layout="vertical"
      initialValues={{
        ...fromLayer(d, zone),
        name: rotation?.name ?? '',
        kind: rotation?.kind ?? 'normal',
        layers: (d.layers ?? []).map((l) => fromLayer(l, zone)),
      }}
      onFinish={(v) => save.mutate(v)}
      data-testid="rotation-form"
    >
      <Row gutter={12}>
        <Col xs={16} md={16}>
          <Form.Item name="name" label={r('name')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
        <Col xs={8} md={8}>
          <Form.Item name="kind" label={r('kind')}>
            <Select
              options={(['normal', 'promotion'] as const).map((k) => ({
                value: k,
                label: t(`incidentSettings.rotations.kinds.${k}`),
              }))}
            />
          </Form.Item>
        </Col>
      </Row>
      <LayerFields prefix={[]} />
      <Form.List name="layers">
        {(fields, { add, remove }) => (
          <>
            {fields.length > 0 && <div style={{ margin: '16px 0 8px', fontWeight: 500 }}>{r('layers')}</div>}
            {fields.map((f, i) => (
              <Card
                key={f.key}
                size="small"
                style={{ marginBottom: 12 }}
                title={
                  <Form.Item
                    name={[f.name, 'name']}
                    rules={[{ required: true, whitespace: true }]}
                    style={{ margin: 0 }}
                  >
                    <Input size="small" maxLength={100} placeholder={r('layer', { n: i + 1 })} variant="borderless" />
                  </Form.Item>
                }
                extra={
                  <Button
                    size="small"
                    icon={<DeleteOutlined />}
                    aria-label={t('incidentSettings.remove')}
                    onClick={() => remove(f.name)}
                  />
                }
              >
                <LayerFields prefix={['layers', f.name]} />
              </Card>
            ))}
            {fields.length < 5 && (
              <Button
                icon={<PlusOutlined />}
                style={{ margin: '12px 0' }}
                onClick={() =>
                  add({
                    ...fromLayer({ timezone: zone, handoff: 'daily' }, zone),
                    name: '',
                    hoursOn: true,
                    hours: { start: time('18:00'), end: time('09:00'), weekdays: [0, 1, 2, 3, 4, 5, 6] },
                  })
                }
              >
                {r('addLayer')}
              </Button>
            )}
          </>
        )}
      </Form.List>
      <Flex gap={8} justify="end">
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('incidentSettings.save')}
        </Button>
      </Flex>
    </Form>
  );
}
