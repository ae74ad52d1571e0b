/**
 * The war room's headline figures (queue, waits, unanswered, service level), as the page's cards
 * and the wall screen's tiles show them: one list, so the two never disagree.
 */
import type { TFunction } from 'i18next';
import type { WarRoom } from '../../../shared/routing-api.ts';
import { duration } from './duration.ts';

export type Figure = { key: string; title: string; value: string };

const share = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

export function summaryFigures(w: WarRoom, t: TFunction, language: string): Figure[] {
  return [
    { key: 'queue', title: t('routing.queueLength'), value: String(w.queue.length) },
    { key: 'longest', title: t('routing.longestWait'), value: duration(w.queue.longestWaitSeconds, language) },
    {
      key: 'estimate',
      title: t('routing.estimatedWait'),
      value: w.queue.estimatedWaitSeconds === null ? '—' : duration(w.queue.estimatedWaitSeconds, language),
    },
    { key: 'unanswered', title: t('routing.unansweredCount'), value: String(w.unansweredCount) },
    {
      key: 'sl15',
      title: t('routing.serviceLevel15', { s: w.serviceLevel.targetSeconds }),
      value: share(w.serviceLevel.last15m.share),
    },
    {
      key: 'slToday',
      title: t('routing.serviceLevelToday', { s: w.serviceLevel.targetSeconds }),
      value: share(w.serviceLevel.today.share),
    },
  ];
}
