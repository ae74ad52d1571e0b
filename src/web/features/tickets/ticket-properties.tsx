import { useEffect, useState } from 'react';
import { Card, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Ticket } from './api.ts';
import { orderNoPattern, priorities, reachableStatuses } from './model.ts';
import { useTicketChange } from './use-ticket-change.ts';
import { none, toNullable, useLookups } from './use-lookups.ts';

/** Status, priority, type, group, assignee, tags and order number: each change is saved at once. */
export function TicketProperties({ ticket, editable }: { ticket: Ticket; editable: boolean }) {
  const { t } = useTranslation();
  const lookups = useLookups();
  const { change, pending } = useTicketChange(ticket);
  const [orderNo, setOrderNo] = useState(ticket.orderNo ?? '');
  useEffect(() => setOrderNo(ticket.orderNo ?? ''), [ticket.orderNo]);
  const orderNoValid = !orderNo.trim() || orderNoPattern.test(orderNo.trim());
  const disabled = !editable || pending;

  const saveOrderNo = () => {
    const value = orderNo.trim() || null;
    if (value === ticket.orderNo || !orderNoValid) return;
    change({ orderNo: value });
  };

  return (
    <Card size="small" title={t('tickets.properties')} data-testid="ticket-properties">
      <Form
        layout="horizontal"
        labelCol={{ flex: '64px' }}
        labelAlign="left"
        colon={false}
        size="small"
        disabled={disabled}
        style={{ marginBottom: -16 }}
      >
        <Form.Item style={{ marginBottom: 10 }} label={t('tickets.fields.status')}>
          <Select
            value={ticket.status}
            onChange={(status) => change({ status })}
            data-testid="ticket-status"
            options={reachableStatuses(ticket.status).map((s) => ({ value: s, label: t(`tickets.status.${s}`) }))}
          />
        </Form.Item>
        <Form.Item style={{ marginBottom: 10 }} label={t('tickets.fields.priority')}>
          <Select
            value={ticket.priority}
            onChange={(priority) => change({ priority })}
            options={priorities.map((p) => ({ value: p, label: t(`tickets.priority.${p}`) }))}
          />
        </Form.Item>
        <Form.Item style={{ marginBottom: 10 }} label={t('tickets.fields.type')}>
          <Select
            value={ticket.type}
            onChange={(type) => change({ type })}
            options={lookups.typeOptions(ticket.type)}
          />
        </Form.Item>
        <Form.Item style={{ marginBottom: 10 }} label={t('tickets.fields.group')}>
          <Select
            value={ticket.groupId ?? none}
            onChange={(groupId: string) => change({ groupId: toNullable(groupId) })}
            options={
              ticket.groupId && !lookups.groups.some((g) => g.id === ticket.groupId)
                ? [...lookups.groupOptions(), { value: ticket.groupId, label: lookups.groupName(ticket.groupId) }]
                : lookups.groupOptions()
            }
          />
        </Form.Item>
        <Form.Item
          style={{ marginBottom: 10 }}
          label={t('tickets.fields.assignee')}
          extra={lookups.canListUsers ? undefined : t('tickets.assignMeOnly')}
        >
          <Select
            value={ticket.assigneeId ?? none}
            showSearch={{ optionFilterProp: 'search' }}
            onChange={(assigneeId: string) => change({ assigneeId: toNullable(assigneeId) })}
            options={lookups.assigneeOptions(ticket.assigneeId)}
            data-testid="ticket-assignee-select"
          />
        </Form.Item>
        <Form.Item style={{ marginBottom: 10 }} label={t('tickets.fields.tags')}>
          <Select
            mode="tags"
            value={ticket.tags}
            tokenSeparators={[',', '，']}
            open={false}
            suffixIcon={null}
            placeholder={t('tickets.tagsPlaceholder')}
            onChange={(tags: string[]) => change({ tags: tags.map((x) => x.trim()).filter(Boolean) })}
          />
        </Form.Item>
        <Form.Item
          style={{ marginBottom: 10 }}
          label={t('tickets.fields.orderNo')}
          validateStatus={orderNoValid ? undefined : 'error'}
          help={orderNoValid ? undefined : t('tickets.orderNoInvalid')}
        >
          <Input
            value={orderNo}
            onChange={(e) => setOrderNo(e.target.value)}
            onBlur={saveOrderNo}
            onPressEnter={saveOrderNo}
            placeholder="—"
            allowClear
          />
        </Form.Item>
      </Form>
    </Card>
  );
}
