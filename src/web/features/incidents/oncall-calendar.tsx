/**
 * A rotation's next seven days as a calendar: one row per layer (the base first, then the higher
 * layers such as a night layer), a row of overrides, and the result (who is on call), each person
 * in their own colour, a line at now. Scrolls sideways on a phone rather than squeezing the days.
 */
import { Flex, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format.ts';
import type { CalendarBar, OnCallCalendar } from './api.ts';

const palette = ['#1677ff', '#13a8a8', '#722ed1', '#d4380d', '#389e0d', '#c41d7f', '#d48806', '#2f54eb'];
const labelWidth = 84;

function Row({
  label,
  bars,
  from,
  span,
  colour,
  zone,
  striped,
  now,
}: {
  label: string;
  bars: CalendarBar[];
  from: number;
  span: number;
  colour: (id: string) => string;
  zone: string;
  striped?: boolean;
  now: number;
}) {
  const { t } = useTranslation();
  const pct = (ms: number) => `${Math.min(100, Math.max(0, (ms / span) * 100))}%`;
  return (
    <div className="oncall-row" style={{ display: 'flex', alignItems: 'center', minHeight: 30 }}>
      <Typography.Text
        type="secondary"
        ellipsis
        style={{ width: labelWidth, flex: 'none', fontSize: 12, paddingRight: 6 }}
        title={label}
      >
        {label}
      </Typography.Text>
      <div style={{ position: 'relative', flex: 1, height: 26, background: '#f5f6f8', borderRadius: 4 }}>
        {bars.map((b) => {
          const start = Date.parse(b.start) - from;
          const end = Date.parse(b.end) - from;
          const who = b.name ?? t('incidents.nobody');
          const hatched = striped || (b as { override?: boolean }).override === true;
          return (
            <Tooltip
              key={`${b.userId}-${b.start}`}
              title={`${who} · ${formatDateTime(b.start, zone)} – ${formatDateTime(b.end, zone)}`}
            >
              <div
                className="oncall-bar"
                data-user={b.userId}
                aria-label={who}
                style={{
                  position: 'absolute',
                  top: 2,
                  bottom: 2,
                  left: pct(start),
                  width: `calc(${pct(end - start)} - 2px)`,
                  marginLeft: 1,
                  borderRadius: 3,
                  background: hatched
                    ? `repeating-linear-gradient(135deg, ${colour(b.userId)}, ${colour(b.userId)} 6px, #fa8c16 6px, #fa8c16 9px)`
                    : colour(b.userId),
                  color: '#fff',
                  fontSize: 11,
                  lineHeight: '22px',
                  paddingLeft: 4,
                  overflow: 'hidden',
                  whiteSpace: 'nowrap',
                  textOverflow: 'clip',
                }}
              >
                {/* A name only where it fits (about 7 hours of 7 days); the tooltip always has it. */}
                {(end - start) / span >= 0.04 ? who : ''}
              </div>
            </Tooltip>
          );
        })}
        {now >= from && now < from + span && (
          <div
            aria-label={t('incidents.oncall.now')}
            style={{
              position: 'absolute',
              top: -3,
              bottom: -3,
              left: pct(now - from),
              width: 2,
              background: '#f5222d',
            }}
          />
        )}
      </div>
    </div>
  );
}

export function OnCallCalendarView({ calendar, now }: { calendar: OnCallCalendar; now: number }) {
  const { t, i18n } = useTranslation();
  const zone = calendar.timezone;
  const from = Date.parse(calendar.from);
  const span = Date.parse(calendar.until) - from;
  const days = Math.round(span / 86_400_000);
  // Colours by person, in the order they first appear in the layers (stable from one load to the next).
  const order = [...new Set([...calendar.layers.flatMap((l) => l.bars), ...calendar.overrides].map((b) => b.userId))];
  const colour = (id: string) => palette[Math.max(0, order.indexOf(id)) % palette.length];
  const dayLabel = new Intl.DateTimeFormat(i18n.language, {
    timeZone: zone,
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
  });
  const common = { from, span, colour, zone, now };
  return (
    <div className="oncall-calendar" style={{ overflowX: 'auto', margin: '4px 0 12px' }}>
      <div style={{ minWidth: 560 }}>
        <Flex style={{ paddingLeft: labelWidth, marginBottom: 2 }}>
          {Array.from({ length: days }, (_, i) => (
            <Typography.Text
              key={i}
              type="secondary"
              style={{ flex: 1, fontSize: 11, borderLeft: '1px solid #e5e7eb', paddingLeft: 3, whiteSpace: 'nowrap' }}
            >
              {dayLabel.format(new Date(from + i * 86_400_000 + 12 * 3_600_000))}
            </Typography.Text>
          ))}
        </Flex>
        {calendar.layers.map((l, i) => (
          <Row key={i} label={i === 0 ? t('incidents.oncall.baseLayer') : (l.name ?? '')} bars={l.bars} {...common} />
        ))}
        <Row label={t('incidents.oncall.overrides')} bars={calendar.overrides} striped {...common} />
        <div style={{ borderTop: '1px dashed #d9d9d9', marginTop: 4, paddingTop: 4 }}>
          <Row label={t('incidents.oncall.result')} bars={calendar.final} {...common} />
        </div>
      </div>
    </div>
  );
}
