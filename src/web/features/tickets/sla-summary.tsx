import { useMemo } from 'react';
import { Flex, Statistic, Tooltip } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { usePhone } from '../../layout/use-phone.ts';
import { api, query } from '../../shared/http.ts';
import { useMe } from '../auth/session.ts';

type Achievement = {
  tickets: number;
  targets: Record<string, { met: number; breached: number; open: number; achievement: number | null }>;
  firstResponseMinutes: { median: number | null; p90: number | null; count: number };
};

/** The last 30 days' SLA achievement (first response and resolution), for roles that read reports. */
export function SlaSummary() {
  const { t } = useTranslation();
  const zone = useMe().workspace.timezone;
  const phone = usePhone();
  // Whole days in the workspace's time zone (the report counts days): the last 30, today included.
  const period = useMemo(() => {
    const today = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date());
    const shift = (days: number) =>
      new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    return { from: shift(-29), to: shift(1) };
  }, [zone]);
  const report = useQuery({
    queryKey: ['reports', 'sla', period],
    queryFn: () => api.get<Achievement>(`/api/reports/sla${query(period)}`),
    staleTime: 5 * 60_000,
  });
  const data = report.data;
  if (!data || !data.tickets) return null;
  const percent = (name: string) => data.targets[name]?.achievement ?? null;
  const stat = (name: 'firstResponse' | 'resolution') => {
    const value = percent(name);
    return (
      <Tooltip
        title={t('tickets.report.hint', {
          met: data.targets[name]?.met ?? 0,
          breached: data.targets[name]?.breached ?? 0,
        })}
      >
        <Statistic
          title={t('tickets.report.achievement', { target: t(`tickets.targets.${name}`) })}
          value={value ?? '—'}
          suffix={value === null ? undefined : '%'}
          styles={{ content: { fontSize: 18 } }}
        />
      </Tooltip>
    );
  };
  return (
    // On a phone the three figures wrap inside the screen rather than being cut at its edge.
    <Flex gap={phone ? 12 : 24} wrap={phone} data-testid="sla-summary">
      {stat('firstResponse')}
      {stat('resolution')}
      <Statistic
        title={t('tickets.report.firstResponseMedian')}
        value={data.firstResponseMinutes.median ?? '—'}
        suffix={data.firstResponseMinutes.median === null ? undefined : t('tickets.report.minutes')}
        styles={{ content: { fontSize: 18 } }}
      />
    </Flex>
  );
}
