/** Status colours and the 90-day uptime bars shared by the monitoring pages. */
import { Flex, Tooltip } from 'antd';
import type { ComponentHealth } from './api.ts';

export const statusColors = {
  up: 'green',
  pending: 'gold',
  degraded: 'gold',
  down: 'red',
  unknown: 'default',
} as const;

export function UptimeBars({ c }: { c: ComponentHealth }) {
  return (
    <Flex gap={1} style={{ height: 24 }}>
      {c.days.map((v, i) => (
        <Tooltip key={i} title={v === null ? '—' : `${(v * 100).toFixed(2)}%`}>
          <span
            style={{
              flex: 1,
              minWidth: 2,
              borderRadius: 2,
              background: v === null ? '#e3e6ea' : v >= 0.999 ? '#2e9e5b' : v >= 0.95 ? '#e8a317' : '#d64545',
            }}
          />
        </Tooltip>
      ))}
    </Flex>
  );
}
