/**
 * Each group's own policy: when enabled, conversations and tickets waiting for the group go to its
 * members under this strategy (and sticky window) instead of their inbox's rule.
 */
import { App, Button, Card, Empty, Flex, Form, InputNumber, Select, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { strategyNames, type GroupRule } from '../../../shared/routing-api.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useSaveGroupRule } from './api.ts';

const fallback: GroupRule = { enabled: false, strategy: 'least_busy', stickyMinutes: 1440 };

function GroupPolicy({ group, rule }: { group: { id: string; name: string }; rule: GroupRule }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const save = useSaveGroupRule();
  const [form] = Form.useForm<GroupRule>();
  const strategy = Form.useWatch('strategy', form);
  return (
    <Card size="small" title={group.name} data-testid="group-policy" data-group={group.name}>
      <Form
        form={form}
        layout="inline"
        initialValues={rule}
        style={{ rowGap: 8 }}
        onFinish={(v) =>
          save.mutate(
            { groupId: group.id, rule: { ...rule, ...v } },
            {
              onSuccess: () => void message.success(t('routing.saved')),
              onError: (e) => void message.error(errorText(e)),
            },
          )
        }
      >
        <Form.Item name="enabled" label={t('routing.settings.groupEnabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="strategy" label={t('routing.settings.strategy')}>
          <Select
            style={{ width: 220 }}
            options={strategyNames.map((s) => ({ value: s, label: t(`routing.settings.strategies.${s}`) }))}
          />
        </Form.Item>
        {strategy === 'sticky' && (
          <Form.Item name="stickyMinutes" label={t('routing.settings.stickyMinutes')}>
            <InputNumber min={0} max={10_080} precision={0} />
          </Form.Item>
        )}
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('routing.save')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

export function GroupPolicies({
  groups,
  byGroup,
}: {
  groups: { id: string; name: string }[];
  byGroup: Record<string, GroupRule>;
}) {
  const { t } = useTranslation();
  if (!groups.length) return <Empty description={t('routing.settings.noGroups')} />;
  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{t('routing.settings.groupsHint')}</Typography.Text>
      {groups.map((g) => (
        <GroupPolicy key={g.id} group={g} rule={byGroup[g.id] ?? fallback} />
      ))}
    </Flex>
  );
}
