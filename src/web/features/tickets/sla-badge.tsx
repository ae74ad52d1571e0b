import type { ReactNode } from 'react';
import { Tag, Tooltip, Typography } from 'antd';
import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  ExclamationCircleOutlined,
  PauseCircleOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format.ts';
import { useMe } from '../auth/session.ts';
import type { SlaState } from './api.ts';
import { liveColors, nextDeadline, type LiveKind } from './sla-clock.ts';
import { useLiveText } from './sla-text.ts';
import { useNow } from './use-now.ts';

export const liveIcons: Record<LiveKind, ReactNode> = {
  running: <ClockCircleOutlined />,
  warning: <ClockCircleOutlined />,
  breached: <ExclamationCircleOutlined />,
  paused: <PauseCircleOutlined />,
  fulfilled: <CheckCircleOutlined />,
  fulfilledLate: <CheckCircleOutlined />,
};

/** A list row's SLA: the next deadline counting down live, coloured by how it stands. */
export function SlaBadge({ sla }: { sla: SlaState | null }) {
  const { t } = useTranslation();
  const me = useMe();
  const now = useNow();
  const text = useLiveText();
  const next = nextDeadline(sla, now);
  if (!sla || !next) return <Typography.Text type="secondary">—</Typography.Text>;
  const state = sla.targets[next.target];
  const running = ['running', 'warning', 'breached'].includes(next.live.kind);
  return (
    <Tooltip
      title={
        <>
          <div>
            {sla.policyName} · {t(`tickets.targets.${next.target}`)}
          </div>
          {running && <div>{t('tickets.sla.dueAt', { time: formatDateTime(state.dueAt, me.workspace.timezone) })}</div>}
        </>
      }
    >
      <Tag
        color={liveColors[next.live.kind]}
        icon={liveIcons[next.live.kind]}
        data-testid="sla-badge"
        data-kind={next.live.kind}
        style={{ marginInlineEnd: 0 }}
      >
        {text(next.live)}
      </Tag>
    </Tooltip>
  );
}
