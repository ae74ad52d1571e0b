import { useTranslation } from 'react-i18next';
import { spanText, type Live } from './sla-clock.ts';

/** "剩余 12 分钟" / "已超时 5 分钟" / "已暂停" / "已达成": a live reading in words. */
export function useLiveText(): (live: Live, withBudget?: boolean) => string {
  const { t } = useTranslation();
  const duration = (ms: number) => {
    const { key, values } = spanText(ms);
    return t(`tickets.span.${key}`, values);
  };
  return (live, withBudget = false) => {
    switch (live.kind) {
      case 'running':
      case 'warning':
        return t('tickets.sla.remaining', { time: duration(live.ms) });
      case 'breached':
        return t('tickets.sla.overdue', { time: duration(live.ms) });
      case 'paused':
        return withBudget ? t('tickets.sla.pausedLeft', { time: duration(live.ms) }) : t('tickets.sla.paused');
      case 'fulfilled':
        return t('tickets.sla.fulfilled');
      case 'fulfilledLate':
        return t('tickets.sla.fulfilledLate');
    }
  };
}
