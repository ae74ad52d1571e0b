import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from './api.ts';
import { priorities, statuses, type Priority, type TicketStatus } from './model.ts';
import type { Lookups } from './use-lookups.ts';

const isStatus = (v: unknown): v is TicketStatus =>
  typeof v === 'string' && (statuses as readonly string[]).includes(v);
const isPriority = (v: unknown): v is Priority =>
  typeof v === 'string' && (priorities as readonly string[]).includes(v);

/** Words for the values a field change carries (ids become names, keys become labels). */
export function useFieldWords(lookups: Lookups) {
  const { t } = useTranslation();
  const blank = t('tickets.timeline.blank');
  const statusName = (v: unknown) => (isStatus(v) ? t(`tickets.status.${v}`) : String(v ?? blank));
  const value = (field: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return blank;
    switch (field) {
      case 'status':
        return statusName(v);
      case 'priority':
        return isPriority(v) ? t(`tickets.priority.${v}`) : String(v);
      case 'type':
        return lookups.typeName(String(v));
      case 'group':
        return lookups.groupName(String(v));
      case 'assignee':
        return lookups.userName(String(v));
      case 'tags':
        return Array.isArray(v) ? (v.length ? v.join(', ') : blank) : String(v);
      case 'fields': {
        if (typeof v !== 'object') return String(v);
        const entries = Object.entries(v as Record<string, unknown>);
        if (!entries.length) return blank;
        return entries
          .map(([k, x]) => `${lookups.fields.find((f) => f.key === k)?.label ?? k}: ${String(x)}`)
          .join('; ');
      }
      default:
        return String(v);
    }
  };
  const fieldName = (field: string) => {
    const known = ['subject', 'status', 'priority', 'type', 'group', 'assignee', 'tags', 'orderNo', 'fields'] as const;
    return (known as readonly string[]).includes(field)
      ? t(`tickets.timeline.field.${field as (typeof known)[number]}`)
      : field;
  };
  return { value, fieldName, statusName };
}

/** Who did it: a named user, the customer (their replies), or the system (SLA alerts, escalations). */
export function useActorName(customerName: string | null) {
  const { t } = useTranslation();
  return (entry: TimelineEntry) => {
    if (entry.type === 'customer_reply') return customerName ?? t('tickets.timeline.customer');
    if (entry.actor.name) return entry.actor.name;
    return entry.actor.type === 'system' ? t('tickets.timeline.system') : t('tickets.otherAgent');
  };
}
