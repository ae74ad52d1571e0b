import { useEffect, useState } from 'react';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** The current time, ticking every second (for live SLA countdowns). */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** h:mm:ss (or d h) of a duration in ms. */
export function duration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d) return `${d}d ${h}h`;
  return `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

/** Time left to a deadline (or how late), red when late, orange in the last quarter; "met" once fulfilled. */
export function Countdown({
  due,
  done,
  now,
  minutes,
  at,
}: {
  due: string;
  done: boolean;
  now: number;
  minutes?: number;
  /** When the target was fulfilled: late if after `due`. */
  at?: string | null;
}) {
  const { t } = useTranslation();
  if (done && at && Date.parse(at) > Date.parse(due))
    return (
      <Typography.Text type="danger">
        {t('incidents.late', { time: duration(Date.parse(at) - Date.parse(due)) })}
      </Typography.Text>
    );
  if (done) return <Typography.Text type="success">{t('incidents.met')}</Typography.Text>;
  const left = Date.parse(due) - now;
  const warn = minutes ? left < minutes * 60_000 * 0.25 : left < 15 * 60_000;
  return (
    <Typography.Text
      type={left < 0 ? 'danger' : warn ? 'warning' : undefined}
      style={{ fontVariantNumeric: 'tabular-nums' }}
    >
      {left < 0 ? t('incidents.late', { time: duration(left) }) : t('incidents.left', { time: duration(left) })}
    </Typography.Text>
  );
}
