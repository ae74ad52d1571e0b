import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { priorityColors, statusColors, type Priority, type TicketStatus } from './model.ts';

export function StatusTag({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={statusColors[status]} data-testid="status-tag" style={{ marginInlineEnd: 0 }}>
      {t(`tickets.status.${status}`)}
    </Tag>
  );
}

export function PriorityTag({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  return (
    <Tag color={priorityColors[priority]} variant="outlined" style={{ marginInlineEnd: 0 }}>
      {t(`tickets.priority.${priority}`)}
    </Tag>
  );
}
