import { useState, type ReactNode } from 'react';
import { Alert, Button, Flex, Tag, Typography } from 'antd';
import { BranchesOutlined, EditOutlined, SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../shared/format.ts';
import type { TimelineEntry } from './api.ts';
import { targetNames, type TargetName } from './model.ts';
import { useActorName, useFieldWords } from './timeline-values.ts';
import type { Lookups } from './use-lookups.ts';

type Props = { entry: TimelineEntry; zone: string; lookups: Lookups; customerName: string | null };
type Transcript = { seq: number; sender: string; body: string; at: string }[];

const bubble = {
  reply: { background: '#f0f7ff', border: '1px solid #bae0ff' },
  note: { background: '#fffbe6', border: '1px solid #ffe58f' },
  customer_reply: { background: '#fafafa', border: '1px solid #f0f0f0' },
  created: { background: '#fff', border: '1px solid #f0f0f0' },
} as const;

const targetOf = (data: Record<string, unknown>): TargetName | null =>
  (targetNames as readonly string[]).includes(String(data.target)) ? (data.target as TargetName) : null;

function TranscriptBlock({ transcript, zone }: { transcript: Transcript; zone: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <div style={{ marginTop: 8 }}>
      <Button
        size="small"
        type="link"
        style={{ padding: 0 }}
        onClick={() => setOpen(!open)}
        data-testid="transcript-toggle"
      >
        {open
          ? t('tickets.timeline.hideTranscript')
          : t('tickets.timeline.showTranscript', { count: transcript.length })}
      </Button>
      {open && (
        <div
          style={{
            marginTop: 6,
            padding: '8px 12px',
            background: '#fafafa',
            borderRadius: 6,
            maxHeight: 360,
            overflow: 'auto',
          }}
        >
          {transcript.map((m) => (
            <div key={m.seq} style={{ marginBottom: 6 }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {m.sender} · {formatDateTime(m.at, zone)}
              </Typography.Text>
              <div style={{ whiteSpace: 'pre-wrap' }}>{m.body}</div>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** One event on a ticket: messages as bubbles, changes as compact lines, SLA trouble as alerts. */
export function TimelineItem({ entry, zone, lookups, customerName }: Props) {
  const { t } = useTranslation();
  const words = useFieldWords(lookups);
  const actorName = useActorName(customerName);
  const actor = actorName(entry);
  const at = formatDateTime(entry.createdAt, zone);
  const data = entry.data;
  const target = targetOf(data);
  const targetLabel = target ? t(`tickets.targets.${target}`) : String(data.target ?? '');

  switch (entry.type) {
    case 'created':
    case 'reply':
    case 'note':
    case 'customer_reply': {
      const kind = entry.type;
      const transcript = Array.isArray(data.transcript) ? (data.transcript as Transcript) : [];
      // Replies and notes keep only the attachments' ids, not their names: show how many.
      const attachmentCount = Array.isArray(data.attachments) ? data.attachments.length : 0;
      const header = {
        created: t('tickets.timeline.created'),
        reply: t('tickets.timeline.reply'),
        note: t('tickets.timeline.note'),
        customer_reply: t('tickets.timeline.customerReply'),
      }[kind];
      return (
        <div data-testid={`timeline-${kind}`} style={{ ...bubble[kind], borderRadius: 8, padding: '10px 14px' }}>
          <Flex justify="space-between" gap={8} wrap>
            <span>
              <Typography.Text strong>{actor}</Typography.Text>
              <Typography.Text type="secondary"> · {header}</Typography.Text>
              {kind === 'note' && (
                <Tag color="gold" style={{ marginInlineStart: 8 }}>
                  {t('tickets.timeline.internal')}
                </Tag>
              )}
              {kind === 'reply' && (
                <Tag color={data.delivery === 'web_chat' ? 'blue' : 'default'} style={{ marginInlineStart: 8 }}>
                  {data.delivery === 'web_chat' ? t('tickets.timeline.viaChat') : t('tickets.timeline.notDelivered')}
                </Tag>
              )}
            </span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {at}
            </Typography.Text>
          </Flex>
          {entry.body && <div style={{ whiteSpace: 'pre-wrap', marginTop: 6 }}>{entry.body}</div>}
          {kind === 'created' && !entry.body && !transcript.length && (
            <Typography.Text type="secondary">{t('tickets.timeline.noDescription')}</Typography.Text>
          )}
          {attachmentCount > 0 && (
            <Typography.Text
              type="secondary"
              style={{ display: 'block', marginTop: 6, fontSize: 12 }}
              data-testid="timeline-attachments"
            >
              {t('tickets.timeline.attachments', { count: attachmentCount })}
            </Typography.Text>
          )}
          {transcript.length > 0 && <TranscriptBlock transcript={transcript} zone={zone} />}
        </div>
      );
    }
    case 'sla_warning':
    case 'sla_breach':
      return (
        <Alert
          type={entry.type === 'sla_breach' ? 'error' : 'warning'}
          showIcon
          data-testid={`timeline-${entry.type}`}
          title={
            <>
              {entry.type === 'sla_breach'
                ? t('tickets.timeline.slaBreach', { target: targetLabel })
                : t('tickets.timeline.slaWarning', { target: targetLabel })}{' '}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                · {at}
              </Typography.Text>
            </>
          }
          style={{ padding: '4px 12px' }}
        />
      );
    case 'escalated': {
      const changes: string[] = [];
      const priority = data.priority as { from: string; to: string } | undefined;
      const assignee = data.assignee as { from: string | null; to: string } | undefined;
      if (priority)
        changes.push(
          t('tickets.timeline.escalatedPriority', {
            from: words.value('priority', priority.from),
            to: words.value('priority', priority.to),
          }),
        );
      if (assignee) changes.push(t('tickets.timeline.escalatedAssignee', { to: words.value('assignee', assignee.to) }));
      return (
        <Alert
          type="error"
          showIcon
          data-testid="timeline-escalated"
          title={
            <>
              {changes.length
                ? t('tickets.timeline.escalatedWith', {
                    target: targetLabel,
                    changes: changes.join(t('tickets.listSeparator')),
                  })
                : t('tickets.timeline.escalated', { target: targetLabel })}{' '}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                · {at}
              </Typography.Text>
            </>
          }
          style={{ padding: '4px 12px' }}
        />
      );
    }
    default: {
      let icon = <EditOutlined />;
      let text: ReactNode;
      if (entry.type === 'status') {
        icon = <SwapOutlined />;
        text =
          data.reason === 'customer replied'
            ? t('tickets.timeline.reopenedByCustomer', { to: words.statusName(data.to) })
            : t('tickets.timeline.statusChanged', {
                actor,
                from: words.statusName(data.from),
                to: words.statusName(data.to),
              });
      } else if (entry.type === 'field') {
        const field = String(data.field);
        text = t('tickets.timeline.fieldChanged', {
          actor,
          field: words.fieldName(field),
          from: words.value(field, data.from),
          to: words.value(field, data.to),
        });
      } else if (entry.type === 'merged' || entry.type === 'merged_in') {
        icon = <BranchesOutlined />;
        const other = (entry.type === 'merged' ? data.into : data.from) as
          { id: string; number: number; subject?: string } | undefined;
        const link = other ? <Link to={`/tickets/${other.id}`}>#{other.number}</Link> : '?';
        text =
          entry.type === 'merged' ? (
            <>
              {t('tickets.timeline.mergedInto', { actor })} {link}
            </>
          ) : (
            <>
              {link} {other?.subject ? `「${other.subject}」` : ''} {t('tickets.timeline.mergedIn', { actor })}
            </>
          );
      } else {
        text = `${actor} · ${entry.type}`;
      }
      return (
        <Flex
          gap={8}
          align="baseline"
          data-testid={`timeline-${entry.type}`}
          style={{ padding: '0 14px', fontSize: 13 }}
        >
          <Typography.Text type="secondary">{icon}</Typography.Text>
          <Typography.Text type="secondary" style={{ flex: 1 }}>
            {text}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
            {at}
          </Typography.Text>
        </Flex>
      );
    }
  }
}
