/** The time zones offered in selects: the ones a Chinese e-commerce team most often deals with first. */
export const commonTimeZones = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Macau',
  'Asia/Urumqi',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Asia/Singapore',
  'Asia/Kuala_Lumpur',
  'Asia/Bangkok',
  'Asia/Jakarta',
  'Asia/Manila',
  'Asia/Ho_Chi_Minh',
  'Asia/Kolkata',
  'Asia/Dubai',
  'Australia/Sydney',
  'Pacific/Auckland',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'Europe/Moscow',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'America/Mexico_City',
  'UTC',
] as const;

function offsetOf(timeZone: string): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName');
    const text = part?.value ?? 'GMT';
    return text === 'GMT' ? 'UTC+00:00' : text.replace('GMT', 'UTC');
  } catch {
    return '';
  }
}

/** Select options "Asia/Shanghai (UTC+08:00)"; `current` is kept even when it is not a common zone. */
export function timeZoneOptions(current?: string): { value: string; label: string }[] {
  const zones: string[] = [...commonTimeZones];
  if (current && !zones.includes(current)) zones.unshift(current);
  return zones.map((zone) => ({ value: zone, label: `${zone} (${offsetOf(zone)})` }));
}
