import { Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../../../shared/incidents-api.ts';
import { formatDateTime } from '../../shared/format.ts';

/** One timeline entry in words (state changes, notes, alerts, SLA warnings, deliveries, escalations). */
export function EntryText({ e }: { e: TimelineEntry }) {
  const { t } = useTranslation();
  const d = e.data as Record<string, string | number | string[] | null>;
  const state = (s: unknown) => t(`incidents.states.${String(s)}` as 'incidents.states.triggered');
  const target = t(`incidents.targets.${String(d.target)}` as 'incidents.targets.respond');
  const key = `incidents.timeline.${e.type}` as 'incidents.timeline.declared';
  const text = t(key, {
    from: e.type === 'state' ? state(d.from) : String(d.from ?? ''),
    to: e.type === 'state' ? state(d.to) : String(d.to ?? ''),
    target,
    director: String(d.director ?? '-'),
    channel: String(d.channel ?? ''),
    step: String(d.step ?? ''),
    people: Array.isArray(d.people) ? d.people.join('、') : '',
    defaultValue: e.type,
  });
  return (
    <span>
      {text}
      {e.type === 'note' && `: ${String(d.body ?? '')}`}
      {e.type === 'note' && e.public && (
        <Tag color="green" style={{ marginLeft: 6 }}>
          {t('incidentConsole.note.publicTag')}
        </Tag>
      )}
      {typeof d.error === 'string' && <Typography.Text type="danger"> — {d.error}</Typography.Text>}
      {e.actorName && <Typography.Text type="secondary"> · {e.actorName}</Typography.Text>}
    </span>
  );
}

/** A timeline item's body: the time in the incident's zone above the entry in words. */
export function EntryItem({ e, zone }: { e: TimelineEntry; zone: string }) {
  return (
    <Flex vertical>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatDateTime(e.at, zone, true)}
      </Typography.Text>
      <EntryText e={e} />
    </Flex>
  );
}
