import type { TFunction } from 'i18next';
import { csatRequestOf } from '../../../shared/csat-card.ts';

/** A conversation's preview as people read it: a rating card's `[[csat:…]]` token becomes words. */
export function previewText(t: TFunction, preview: string | null | undefined): string | null {
  if (!preview) return preview ?? null;
  return csatRequestOf(preview) ? t('csat.cardSent') : preview;
}
