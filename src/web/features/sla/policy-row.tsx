import type { HTMLAttributes } from 'react';
import { Button, Flex, Space, Switch, Tag, Tooltip, Typography, theme } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, HolderOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { targetNames } from '../tickets/model.ts';
import { spanText } from '../tickets/sla-clock.ts';
import { useLookups } from '../tickets/use-lookups.ts';
import type { Calendar, SlaPolicy } from './api.ts';

/** One policy in the ordered list: what it covers, its targets, how it counts; move, toggle, edit. */
export function PolicyRow({
  policy,
  index,
  count,
  calendar,
  busy,
  onMove,
  onToggle,
  onEdit,
  drag,
}: {
  policy: SlaPolicy;
  index: number;
  count: number;
  calendar: Calendar | undefined;
  busy: boolean;
  onMove: (delta: -1 | 1) => void;
  onToggle: (enabled: boolean) => void;
  onEdit: () => void;
  drag: { dragging: boolean; over: boolean; handlers: HTMLAttributes<HTMLDivElement> };
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const lookups = useLookups();
  const c = policy.conditions;
  const minutes = (m: number) => {
    const { key, values } = spanText(m * 60_000);
    return t(`tickets.span.${key}`, values);
  };
  const conditions = [
    ...(c.priorities ?? []).map((p) => t(`tickets.priority.${p}`)),
    ...(c.types ?? []).map((x) => lookups.typeName(x)),
    ...(c.channels ?? []).map((x) => (['web', 'manual', 'api'].includes(x) ? t(`tickets.channels.${x as 'web'}`) : x)),
    ...(c.groupIds ?? []).map((g) => lookups.groupName(g)),
    ...(c.tags ?? []).map((x) => `#${x}`),
    ...(c.customerTiers ?? []).map((x) => t('sla.policy.tierShort', { tier: x })),
  ];

  return (
    <div
      {...drag.handlers}
      data-testid={`policy-${index}`}
      style={{
        display: 'flex',
        gap: 12,
        alignItems: 'flex-start',
        padding: '12px 16px',
        borderTop: index ? `1px solid ${token.colorSplit}` : undefined,
        background: drag.over ? token.colorPrimaryBg : undefined,
        opacity: drag.dragging ? 0.5 : policy.enabled ? 1 : 0.6,
      }}
    >
      <Tooltip title={t('sla.policy.dragHint')}>
        <HolderOutlined style={{ cursor: 'grab', color: token.colorTextTertiary, marginTop: 4 }} />
      </Tooltip>
      <Typography.Text type="secondary" style={{ width: 20, marginTop: 1 }}>
        {index + 1}
      </Typography.Text>
      <div style={{ flex: 1, minWidth: 0 }}>
        <Space size={8} wrap>
          <Typography.Text strong>{policy.name}</Typography.Text>
          <Tag variant="filled">
            {policy.businessHours ? t('tickets.sla.businessHours') : t('tickets.sla.calendarHours')}
          </Tag>
          {calendar && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {calendar.name}
            </Typography.Text>
          )}
        </Space>
        <div style={{ marginTop: 4 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('sla.policy.appliesTo')}{' '}
          </Typography.Text>
          {conditions.length ? (
            conditions.map((x) => (
              <Tag key={x} style={{ fontSize: 12 }}>
                {x}
              </Tag>
            ))
          ) : (
            <Tag color="blue">{t('sla.policy.allTickets')}</Tag>
          )}
        </div>
        <Flex gap={16} wrap style={{ marginTop: 4, fontSize: 13 }}>
          {targetNames
            .filter((n) => policy.targets[n])
            .map((n) => (
              <span key={n}>
                <Typography.Text type="secondary">{t(`tickets.targets.${n}`)}</Typography.Text>{' '}
                {minutes(policy.targets[n]!)}
              </span>
            ))}
          <Typography.Text type="secondary">
            {t('sla.policy.summary', {
              pauses: policy.pauseStatuses.map((s) => t(`tickets.status.${s}`)).join('/') || '—',
              warn: Math.round(policy.warnAtShare * 100),
            })}
          </Typography.Text>
        </Flex>
      </div>
      <Space size={4}>
        <Switch
          size="small"
          checked={policy.enabled}
          disabled={busy}
          onChange={onToggle}
          aria-label={t('sla.policy.enabled')}
        />
        <Button
          size="small"
          type="text"
          icon={<ArrowUpOutlined />}
          disabled={busy || index === 0}
          onClick={() => onMove(-1)}
          aria-label={t('sla.policy.moveUp')}
        />
        <Button
          size="small"
          type="text"
          icon={<ArrowDownOutlined />}
          disabled={busy || index === count - 1}
          onClick={() => onMove(1)}
          aria-label={t('sla.policy.moveDown')}
        />
        <Button size="small" type="link" onClick={onEdit}>
          {t('common.edit')}
        </Button>
      </Space>
    </div>
  );
}
