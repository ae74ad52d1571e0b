import { useEffect } from 'react';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Col,
  Divider,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/http.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { priorities, statuses, targetNames } from '../tickets/model.ts';
import { spanText } from '../tickets/sla-clock.ts';
import { useLookups } from '../tickets/use-lookups.ts';
import { calendarsQuery, useSavePolicy, type SlaPolicy } from './api.ts';
import { newPolicyValues, noReassign, toPolicyBody, toPolicyValues, type PolicyFormValues } from './policy-form.ts';

const channels = ['web', 'manual', 'api'] as const;

/** An SLA policy: which tickets it covers, its targets in minutes, how time counts, pauses, warnings, escalation. */
export function PolicyDrawer({
  policy,
  open,
  onClose,
}: {
  policy: SlaPolicy | null;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const lookups = useLookups();
  const calendars = useQuery(calendarsQuery()).data?.items ?? [];
  const save = useSavePolicy();
  const [form] = Form.useForm<PolicyFormValues>();
  const targets = Form.useWatch('targets', form);

  useEffect(() => {
    if (open) form.setFieldsValue(policy ? toPolicyValues(policy) : newPolicyValues(calendars[0]?.id));
  }, [open, policy, form]); // not on calendar changes: that would wipe what was typed
  const firstCalendar = calendars[0]?.id;
  useEffect(() => {
    if (open && !policy && firstCalendar && !form.getFieldValue('calendarId'))
      form.setFieldValue('calendarId', firstCalendar);
  }, [open, policy, firstCalendar, form]);

  const close = () => {
    save.reset();
    onClose();
  };
  const submit = (values: PolicyFormValues) => {
    save.mutate(
      { policyId: policy?.id, ...toPolicyBody(values) },
      {
        onSuccess: () => {
          void message.success(t('common.saved'));
          close();
        },
      },
    );
  };
  const duration = (minutes: number | null | undefined) => {
    if (!minutes) return t('sla.policy.notMeasured');
    const { key, values } = spanText(minutes * 60_000);
    return `= ${t(`tickets.span.${key}`, values)}`;
  };
  const problems =
    save.error instanceof ApiError && save.error.code === 'invalid_policy' ? (save.error.issues ?? []).map(String) : [];

  return (
    <Drawer
      open={open}
      title={policy ? t('sla.policy.editTitle', { name: policy.name }) : t('sla.policy.create')}
      size={680}
      onClose={close}
      forceRender
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="policy-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {calendars.length === 0 && (
        <Alert type="warning" showIcon title={t('sla.policy.needCalendar')} style={{ marginBottom: 16 }} />
      )}
      {save.error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={problems.length ? t('sla.policy.invalid') : errorText(save.error)}
          description={
            problems.length > 0 && (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )
          }
        />
      )}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Row gutter={16}>
          <Col span={16}>
            <Form.Item
              name="name"
              label={t('sla.policy.name')}
              rules={[{ required: true, whitespace: true, message: t('sla.nameRequired') }, { max: 100 }]}
            >
              <Input autoComplete="off" placeholder={t('sla.policy.namePlaceholder')} data-testid="policy-name" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="enabled" label={t('sla.policy.enabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('sla.policy.targets')}</Typography.Title>
        <Row gutter={16}>
          {targetNames.map((name) => (
            <Col span={12} key={name}>
              <Form.Item
                name={['targets', name]}
                label={t(`tickets.targets.${name}`)}
                extra={duration(targets?.[name])}
              >
                <InputNumber
                  min={1}
                  max={525600}
                  precision={0}
                  suffix={t('sla.policy.minutes')}
                  style={{ width: '100%' }}
                  data-testid={`target-${name}`}
                />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Form.Item name="businessHours" label={t('sla.policy.counting')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: true, label: t('sla.policy.businessHours') },
              { value: false, label: t('sla.policy.calendarHours') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="calendarId"
          label={t('sla.policy.calendar')}
          extra={t('sla.policy.calendarHelp')}
          rules={[{ required: true, message: t('sla.policy.calendarRequired') }]}
        >
          <Select
            options={calendars.map((c) => ({ value: c.id, label: `${c.name} (${c.definition.timezone})` }))}
            data-testid="policy-calendar"
          />
        </Form.Item>
        <Divider />
        <Typography.Title level={5}>{t('sla.policy.conditions')}</Typography.Title>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('sla.policy.conditionsHelp')}
        </Typography.Paragraph>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="priorities" label={t('tickets.fields.priority')}>
              <Select
                mode="multiple"
                allowClear
                placeholder={t('sla.policy.any')}
                options={priorities.map((p) => ({ value: p, label: t(`tickets.priority.${p}`) }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="types" label={t('tickets.fields.type')}>
              <Select mode="multiple" allowClear placeholder={t('sla.policy.any')} options={lookups.typeOptions()} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="channels" label={t('sla.policy.channels')}>
              <Select
                mode="multiple"
                allowClear
                placeholder={t('sla.policy.any')}
                options={channels.map((c) => ({ value: c, label: t(`tickets.channels.${c}`) }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="groupIds" label={t('tickets.fields.group')}>
              <Select
                mode="multiple"
                allowClear
                placeholder={t('sla.policy.any')}
                options={lookups.groupOptions(false)}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="tags" label={t('sla.policy.tags')} extra={t('sla.policy.tagsHelp')}>
              <Select
                mode="tags"
                open={false}
                suffixIcon={null}
                tokenSeparators={[',', '，']}
                placeholder={t('sla.policy.any')}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="customerTiers"
              label={t('sla.policy.customerTiers')}
              extra={t('sla.policy.customerTiersHelp')}
            >
              <Select
                mode="tags"
                open={false}
                suffixIcon={null}
                tokenSeparators={[',', '，']}
                placeholder={t('sla.policy.any')}
              />
            </Form.Item>
          </Col>
        </Row>
        <Divider />
        <Form.Item name="pauseStatuses" label={t('sla.policy.pauseStatuses')} extra={t('sla.policy.pauseHelp')}>
          <Checkbox.Group
            options={statuses
              .filter((s) => s !== 'solved' && s !== 'closed')
              .map((s) => ({ value: s, label: t(`tickets.status.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="warnPercent" label={t('sla.policy.warnAt')} extra={t('sla.policy.warnHelp')}>
          <InputNumber min={1} max={99} precision={0} suffix="%" style={{ width: 140 }} />
        </Form.Item>
        <Divider />
        <Typography.Title level={5}>{t('sla.policy.escalation')}</Typography.Title>
        <Form.Item
          name="raisePriority"
          label={t('sla.policy.raisePriority')}
          extra={t('sla.policy.raisePriorityHelp')}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
        <Form.Item name="reassignTo" label={t('sla.policy.reassignTo')}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={[
              { value: noReassign, label: t('sla.policy.noReassign') },
              ...lookups.users.map((u) => ({ value: u.id, label: u.name })),
            ]}
            style={{ maxWidth: 320 }}
          />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
