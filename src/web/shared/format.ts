/** Dates are shown in the workspace's time zone, as 2025-01-31 14:05 (the form ops teams read fastest). */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, seconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${seconds}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: seconds ? '2-digit' : undefined,
        hourCycle: 'h23',
      });
    } catch {
      f = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'short', timeStyle: 'short' });
    }
    formatters.set(key, f);
  }
  return f;
}

export function formatDateTime(value: string | null | undefined, timeZone: string, seconds = false): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone, seconds).formatToParts(date)) parts[part.type] = part.value;
  const time = `${parts.hour}:${parts.minute}${seconds ? `:${parts.second}` : ''}`;
  return `${parts.year}-${parts.month}-${parts.day} ${time}`;
}

/**
 * The name a person goes by in front of others (colleagues and shoppers): the display name (昵称)
 * when set, else the account name. The account name is for sign-in, audit and user management.
 */
export function shownName(person: { name: string; displayName?: string | null }): string {
  return person.displayName || person.name;
}
