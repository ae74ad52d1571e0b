import { Card, Empty, Flex, Progress, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format.ts';
import { useMe } from '../auth/session.ts';
import type { SlaState, TargetState } from './api.ts';
import { liveIcons } from './sla-badge.tsx';
import { liveColors, liveTarget, spanText } from './sla-clock.ts';
import { useLiveText } from './sla-text.ts';
import { targetNames, type TargetName } from './model.ts';
import { useNow } from './use-now.ts';

const barColors = {
  running: '#1677ff',
  warning: '#fa8c16',
  breached: '#ff4d4f',
  paused: '#bfbfbf',
  fulfilled: '#52c41a',
  fulfilledLate: '#fa541c',
} as const;

function TargetRow({ name, target, zone }: { name: TargetName; target: TargetState; zone: string }) {
  const { t } = useTranslation();
  const now = useNow();
  const text = useLiveText();
  const live = liveTarget(target, now);
  const budget = target.elapsedMinutes + target.remainingMinutes;
  const used = budget > 0 ? Math.min(100, Math.round((target.elapsedMinutes / budget) * 100)) : 100;
  const minutes = (value: number) => {
    const { key, values } = spanText(value * 60_000);
    return t(`tickets.span.${key}`, values);
  };

  return (
    <div
      data-testid={`sla-target-${name}`}
      data-kind={live.kind}
      style={{ padding: '10px 0', borderBottom: '1px solid #f0f0f0' }}
    >
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Text strong>{t(`tickets.targets.${name}`)}</Typography.Text>
        <Tag color={liveColors[live.kind]} icon={liveIcons[live.kind]} style={{ marginInlineEnd: 0 }}>
          {text(live, true)}
        </Tag>
      </Flex>
      <Progress
        percent={live.kind === 'breached' || live.kind === 'fulfilledLate' ? 100 : used}
        showInfo={false}
        size="small"
        strokeColor={barColors[live.kind]}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
        {target.fulfilledAt
          ? t('tickets.sla.fulfilledAt', { time: formatDateTime(target.fulfilledAt, zone) })
          : target.paused
            ? t('tickets.sla.pausedHint')
            : t('tickets.sla.dueAt', { time: formatDateTime(target.dueAt, zone) })}
      </Typography.Text>
      {target.breachedAt && (
        <Typography.Text type="danger" style={{ fontSize: 12, display: 'block' }}>
          {t('tickets.sla.breachedAt', { time: formatDateTime(target.breachedAt, zone) })}
        </Typography.Text>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
        {t('tickets.sla.used', { used: minutes(target.elapsedMinutes), budget: minutes(budget) })}
      </Typography.Text>
    </div>
  );
}

/** Every SLA target of the ticket: live countdown, due time in the workspace's zone, pauses, fulfilment, breaches. */
export function SlaPanel({ sla }: { sla: SlaState | null }) {
  const { t } = useTranslation();
  const me = useMe();
  const zone = me.workspace.timezone;
  const names = targetNames.filter((n) => sla?.targets[n]);
  return (
    <Card
      size="small"
      title={t('tickets.sla.title')}
      data-testid="sla-panel"
      extra={
        sla && (
          <Tag variant="filled" style={{ marginInlineEnd: 0 }}>
            {sla.businessHours ? t('tickets.sla.businessHours') : t('tickets.sla.calendarHours')}
          </Tag>
        )
      }
    >
      {!sla ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tickets.sla.none')} />
      ) : (
        <>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('tickets.sla.policy', { name: sla.policyName })}
          </Typography.Text>
          {names.map((name) => (
            <TargetRow key={name} name={name} target={sla.targets[name]} zone={zone} />
          ))}
          {!names.length && <Typography.Paragraph type="secondary">{t('tickets.sla.notStarted')}</Typography.Paragraph>}
        </>
      )}
    </Card>
  );
}
