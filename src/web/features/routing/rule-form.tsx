/**
 * The assignment rule of the workspace (`*`) or of one inbox: policy (and the sticky window), group
 * and skills, the maximum wait before the leave-a-message / callback offer, priorities (customer
 * tier, complaint, order value), the queue notice; the workspace's alone also holds the default
 * capacities (agents without their own follow them), the service level target (the war room's figure
 * is workspace-wide), presence grace, idle time and ticket groups. The server validates it again and its reason is shown as it comes.
 */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Alert, Button, Divider, Flex, Form, Input, InputNumber, Select, Switch } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { strategyNames, type RoutingRule } from '../../../shared/routing-api.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useSaveRule } from './api.ts';

type Values = Omit<RoutingRule, 'tierBoosts'> & { tiers: { tier: string; boost: number }[] };

const toValues = (r: RoutingRule): Values => ({
  ...r,
  tiers: Object.entries(r.tierBoosts).map(([tier, boost]) => ({ tier, boost })),
});
const toRule = ({ tiers, ...v }: Values): RoutingRule => ({
  ...v,
  groupId: v.groupId ?? null,
  tierBoosts: Object.fromEntries((tiers ?? []).map((x) => [x.tier.trim(), x.boost])),
});

const number = (min: number, max: number) => (
  <InputNumber min={min} max={max} precision={0} style={{ width: '100%', maxWidth: 200 }} />
);

export function RuleForm({
  scope,
  rule,
  inherited,
  groups,
}: {
  scope: string;
  rule: RoutingRule;
  /** The inbox has no rule of its own: the form starts from the workspace's. */
  inherited: boolean;
  groups: { id: string; name: string }[];
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const save = useSaveRule();
  const [form] = Form.useForm<Values>();
  const strategy = Form.useWatch('strategy', form);
  useEffect(() => form.setFieldsValue(toValues(rule)), [form, rule]);
  const groupOptions = groups.map((g) => ({ value: g.id, label: g.name }));

  return (
    <Form
      form={form}
      layout="vertical"
      data-testid="rule-form"
      initialValues={toValues(rule)}
      onFinish={(v) =>
        save.mutate(
          { scope, rule: { ...rule, ...toRule(v) } },
          {
            onSuccess: () => void message.success(t('routing.saved')),
            onError: (e) => void message.error(errorText(e)),
          },
        )
      }
    >
      {inherited && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('routing.settings.inheritsHint')} />
      )}
      <Form.Item name="enabled" label={t('routing.settings.enabled')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="strategy" label={t('routing.settings.strategy')}>
        <Select
          data-testid="rule-strategy"
          style={{ maxWidth: 360 }}
          options={strategyNames.map((s) => ({ value: s, label: t(`routing.settings.strategies.${s}`) }))}
        />
      </Form.Item>
      {strategy === 'sticky' && (
        <Form.Item name="stickyMinutes" label={t('routing.settings.stickyMinutes')}>
          {number(0, 10_080)}
        </Form.Item>
      )}
      <Form.Item name="groupId" label={t('routing.settings.group')}>
        <Select
          allowClear
          placeholder={t('routing.settings.noGroup')}
          options={groupOptions}
          style={{ maxWidth: 360 }}
        />
      </Form.Item>
      <Form.Item name="skills" label={t('routing.settings.skills')} extra={t('routing.skillsHint')}>
        <Select mode="tags" tokenSeparators={[',', '，']} maxCount={20} />
      </Form.Item>
      <Form.Item
        name="maxWaitSeconds"
        label={t('routing.settings.maxWaitSeconds')}
        extra={t('routing.settings.maxWaitHint')}
      >
        {number(10, 86_400)}
      </Form.Item>
      <Form.Item name="notice" label={t('routing.settings.notice')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={300} showCount />
      </Form.Item>

      <Divider titlePlacement="start">{t('routing.settings.priorities')}</Divider>
      <Form.Item label={t('routing.settings.tierBoosts')} extra={t('routing.settings.prioritiesHint')}>
        <Form.List name="tiers">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((f) => (
                <Flex key={f.key} gap={8} align="center" wrap>
                  <Form.Item name={[f.name, 'tier']} noStyle rules={[{ required: true, max: 40 }]}>
                    <Input placeholder={t('routing.settings.tier')} style={{ width: 160 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'boost']} noStyle rules={[{ required: true }]}>
                    <InputNumber
                      min={0}
                      max={100}
                      precision={0}
                      placeholder={t('routing.settings.boost')}
                      style={{ width: 100 }}
                    />
                  </Form.Item>
                  <MinusCircleOutlined aria-label={t('routing.settings.remove')} onClick={() => remove(f.name)} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ tier: '', boost: 5 })}>
                {t('routing.settings.addTier')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form.Item>
      <Form.Item name="complaintBoost" label={t('routing.settings.complaintBoost')}>
        {number(0, 100)}
      </Form.Item>
      <Form.Item
        name="complaintKeywords"
        label={t('routing.settings.complaintKeywords')}
        extra={t('routing.settings.complaintHint')}
      >
        <Select mode="tags" tokenSeparators={[',', '，']} maxCount={50} />
      </Form.Item>
      <Form.Item label={t('routing.settings.orderValueBoosts')}>
        <Form.List name="orderValueBoosts">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((f) => (
                <Flex key={f.key} gap={8} align="center" wrap>
                  <Form.Item name={[f.name, 'atLeast']} noStyle rules={[{ required: true }]}>
                    <InputNumber
                      min={0}
                      max={10_000_000}
                      placeholder={t('routing.settings.atLeast')}
                      style={{ width: 160 }}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'boost']} noStyle rules={[{ required: true }]}>
                    <InputNumber
                      min={0}
                      max={100}
                      precision={0}
                      placeholder={t('routing.settings.boost')}
                      style={{ width: 100 }}
                    />
                  </Form.Item>
                  <MinusCircleOutlined aria-label={t('routing.settings.remove')} onClick={() => remove(f.name)} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ atLeast: 1000, boost: 5 })}>
                {t('routing.settings.addOrderValue')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form.Item>

      {scope === '*' && (
        <>
          <Divider />
          <Flex gap={16} wrap>
            {/* Agents' capacities are per agent: only the workspace's defaults exist (an inbox's changed nothing). */}
            <Form.Item
              name="defaultCapacityChat"
              label={t('routing.settings.capacityChat')}
              tooltip={t('routing.settings.capacityHint')}
            >
              {number(1, 100)}
            </Form.Item>
            <Form.Item
              name="defaultCapacityTicket"
              label={t('routing.settings.capacityTicket')}
              tooltip={t('routing.settings.capacityHint')}
            >
              {number(1, 500)}
            </Form.Item>
          </Flex>
          <Flex gap={16} wrap>
            {/* The war room's service level is workspace-wide: an inbox's target would change nothing. */}
            <Form.Item
              name="serviceLevelSeconds"
              label={t('routing.settings.serviceLevelSeconds')}
              tooltip={t('routing.settings.serviceLevelHint')}
            >
              {number(1, 3600)}
            </Form.Item>
            <Form.Item
              name="graceSeconds"
              label={t('routing.settings.graceSeconds')}
              tooltip={t('routing.settings.graceHint')}
            >
              {number(0, 3600)}
            </Form.Item>
            <Form.Item name="awayAfterMinutes" label={t('routing.settings.awayAfterMinutes')}>
              {number(0, 480)}
            </Form.Item>
          </Flex>
          <Form.Item name="ticketGroups" label={t('routing.settings.ticketGroups')}>
            <Select mode="multiple" options={groupOptions} />
          </Form.Item>
        </>
      )}
      <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="save-rule">
        {t('routing.settings.save')}
      </Button>
    </Form>
  );
}
