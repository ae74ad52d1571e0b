/**
 * The escalation policy: ordered steps, each notifying the on-call person of a rotation, a person,
 * a group (every member) or all channels and then waiting N minutes; the whole list repeated K
 * times while nobody acknowledges; an acknowledgement without progress re-triggers after M minutes.
 */
import { App, Alert, Button, Card, Col, Flex, Form, InputNumber, Row, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../../shared/load-error.tsx';
import { useErrorText } from '../../../shared/use-error-text.ts';
import {
  directoryQuery,
  escalationQuery,
  rotationsQuery,
  saveEscalation,
  type EscalationPolicy,
  type Target,
} from './api.ts';

type Values = { steps: { notify: string[]; waitMinutes: number }[]; repeat: number; reackMinutes: number };

const encode = (t: Target) => (t.type === 'channels' ? 'channels' : `${t.type}:${t.id}`);
const decode = (v: string): Target => {
  if (v === 'channels') return { type: 'channels' };
  const at = v.indexOf(':');
  return { type: v.slice(0, at) as 'rotation' | 'user' | 'group', id: v.slice(at + 1) };
};

export function EscalationTab({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const policy = useQuery(escalationQuery());
  const rotations = useQuery(rotationsQuery());
  const people = useQuery(directoryQuery());
  const failed = [policy, rotations, people].find((q) => q.isError);
  if (failed) return <LoadError error={failed.error} onRetry={() => void failed.refetch()} />;
  if (!policy.data || !rotations.data || !people.data) return <Card loading />;
  const options = [
    {
      label: t('incidentSettings.escalation.groupRotations'),
      options: rotations.data.rotations.map((r) => ({
        value: `rotation:${r.id}`,
        label: t('incidentSettings.escalation.targets.rotation', { name: r.name }),
      })),
    },
    {
      label: t('incidentSettings.escalation.groupPeople'),
      options: people.data.items.map((p) => ({
        value: `user:${p.id}`,
        label: t('incidentSettings.escalation.targets.user', { name: p.name }),
      })),
    },
    {
      label: t('incidentSettings.escalation.groupGroups'),
      options: policy.data.groups.map((g) => ({
        value: `group:${g.id}`,
        label: t('incidentSettings.escalation.targets.group', { name: g.name }),
      })),
    },
    {
      label: t('incidentSettings.escalation.groupChannels'),
      options: [{ value: 'channels', label: t('incidentSettings.escalation.targets.channels') }],
    },
  ];
  return (
    <EscalationForm
      key={String(policy.dataUpdatedAt)}
      policy={policy.data.policy}
      options={options}
      editable={editable}
    />
  );
}

function EscalationForm({
  policy,
  options,
  editable,
}: {
  policy: EscalationPolicy | null;
  options: { label: string; options: { value: string; label: string }[] }[];
  editable: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (v: Values) =>
      saveEscalation({
        steps: v.steps.map((s) => ({ notify: s.notify.map(decode), waitMinutes: s.waitMinutes })),
        repeat: v.repeat,
        reackMinutes: v.reackMinutes,
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: escalationQuery().queryKey });
      void message.success(t('incidentSettings.saved'));
    },
    onError: (err) => void message.error(errorText(err)),
  });
  const e = (key: string, o?: Record<string, unknown>) =>
    t(`incidentSettings.escalation.${key}` as 'incidentSettings.escalation.none', o);
  const initial: Values = policy
    ? { ...policy, steps: policy.steps.map((s) => ({ notify: s.notify.map(encode), waitMinutes: s.waitMinutes })) }
    : { steps: [{ notify: [], waitMinutes: 10 }], repeat: 0, reackMinutes: 0 };
  return (
    <Form<Values>
      layout="vertical"
      initialValues={initial}
      disabled={!editable}
      onFinish={(v) => save.mutate(v)}
      data-testid="escalation-form"
    >
      {!policy && <Alert type="warning" showIcon message={e('none')} style={{ marginBottom: 16 }} />}
      <Form.List name="steps">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Card
                key={f.key}
                size="small"
                style={{ marginBottom: 12 }}
                title={e('step', { n: i + 1 })}
                extra={
                  fields.length > 1 && (
                    <Button
                      size="small"
                      icon={<DeleteOutlined />}
                      aria-label={t('incidentSettings.remove')}
                      onClick={() => remove(f.name)}
                    />
                  )
                }
              >
                <Row gutter={12} align="bottom">
                  <Col xs={24} md={18}>
                    <Form.Item
                      name={[f.name, 'notify']}
                      label={e('notify')}
                      rules={[{ required: true, type: 'array', min: 1, message: e('pick') }]}
                      style={{ marginBottom: 8 }}
                    >
                      <Select mode="multiple" options={options} placeholder={e('pick')} optionFilterProp="label" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={6}>
                    <Form.Item
                      name={[f.name, 'waitMinutes']}
                      label={e('wait')}
                      rules={[{ required: true }]}
                      style={{ marginBottom: 8 }}
                    >
                      <InputNumber
                        min={1}
                        max={1440}
                        suffix={t('incidentSettings.minutes')}
                        style={{ width: '100%' }}
                      />
                    </Form.Item>
                  </Col>
                </Row>
              </Card>
            ))}
            {fields.length < 10 && (
              <Button
                icon={<PlusOutlined />}
                onClick={() => add({ notify: [], waitMinutes: 10 })}
                style={{ marginBottom: 16 }}
              >
                {e('addStep')}
              </Button>
            )}
          </>
        )}
      </Form.List>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="repeat" label={e('repeat')}>
              <InputNumber min={0} max={10} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="reackMinutes" label={e('reack')} style={{ marginBottom: 0 }}>
              <InputNumber min={0} max={1440} suffix={t('incidentSettings.minutes')} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      {editable ? (
        <Flex>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('incidentSettings.save')}
          </Button>
        </Flex>
      ) : (
        <Typography.Text type="secondary">{t('incidentSettings.readOnly')}</Typography.Text>
      )}
    </Form>
  );
}
