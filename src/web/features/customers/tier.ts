import type { TFunction } from 'i18next';
import { zhCN } from '../../i18n/zh-CN.ts';

type KnownTier = keyof typeof zhCN.customers.tiers;
const known = new Set(Object.keys(zhCN.customers.tiers));

/**
 * A tier as the reader sees it: the common ones (vip, enterprise, gold, silver; any case) in the
 * console's language, any other as the shop or an agent stored it (tiers are data).
 */
export function tierLabel(t: TFunction, tier: string): string {
  const key = tier.trim().toLowerCase();
  return known.has(key) ? t(`customers.tiers.${key as KnownTier}`) : tier;
}
