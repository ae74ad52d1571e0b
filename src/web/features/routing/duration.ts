/**
 * "3m 05s" style durations, short enough for a wall screen; past a day in days and hours (an agent
 * offline for five weeks reads "36d 4h", not "868h 46m"). In the reader's language: Chinese reads
 * "3分05秒", "2小时07分", "36天4小时" (the war room showed "0s" in the Chinese console).
 */
const units = {
  en: { d: 'd ', h: 'h ', m: 'm ', s: 's', hEnd: 'h', mEnd: 'm' },
  'zh-CN': { d: '天', h: '小时', m: '分', s: '秒', hEnd: '小时', mEnd: '分' },
} as const;

export function duration(seconds: number, language: string = 'en'): string {
  const u = units[language === 'en' ? 'en' : 'zh-CN'];
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}${u.s}`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}${u.m}${String(s % 60).padStart(2, '0')}${u.s}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}${u.h}${String(m % 60).padStart(2, '0')}${u.mEnd}`;
  return `${Math.floor(h / 24)}${u.d}${h % 24}${u.hEnd}`;
}
