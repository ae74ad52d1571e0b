import { useEffect, useMemo, useState } from 'react';
import { Button, Card, Form, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Ticket } from './api.ts';
import { FieldInput } from './field-input.tsx';
import { orderNoPattern } from './model.ts';
import { useTicketChange } from './use-ticket-change.ts';
import { useLookups } from './use-lookups.ts';

const empty = (v: unknown) => v === undefined || v === null || v === '';

/** The workspace's custom fields on this ticket; the ones required before solving are marked (and flagged when empty). */
export function CustomFieldsCard({ ticket, editable }: { ticket: Ticket; editable: boolean }) {
  const { t } = useTranslation();
  const { fields } = useLookups();
  const { change, pending } = useTicketChange(ticket);
  const [values, setValues] = useState<Record<string, unknown>>(ticket.fields);
  useEffect(() => setValues(ticket.fields), [ticket.fields]);

  const dirty = useMemo(
    () =>
      fields
        .filter((d) => (empty(values[d.key]) ? !empty(ticket.fields[d.key]) : values[d.key] !== ticket.fields[d.key]))
        .map((d) => d.key),
    [fields, values, ticket.fields],
  );
  const invalid = fields
    .filter((d) => d.type === 'order_number' && !empty(values[d.key]) && !orderNoPattern.test(String(values[d.key])))
    .map((d) => d.key);

  if (!fields.length) return null;
  const save = () =>
    change({ fields: Object.fromEntries(dirty.map((key) => [key, empty(values[key]) ? null : values[key]])) });

  return (
    <Card
      size="small"
      title={t('tickets.customFields')}
      data-testid="custom-fields"
      extra={
        editable && (
          <Button
            type="link"
            size="small"
            disabled={!dirty.length || invalid.length > 0}
            loading={pending}
            onClick={save}
          >
            {t('common.save')}
          </Button>
        )
      }
    >
      <Form layout="vertical" size="small" disabled={!editable || pending} style={{ marginBottom: -12 }}>
        {fields.map((def) => {
          const missing = def.requiredOnSolve && empty(values[def.key]);
          return (
            <Form.Item
              key={def.id}
              label={
                <span>
                  {def.label}
                  {def.requiredOnSolve && (
                    <Tag
                      color={missing ? 'red' : 'default'}
                      variant="filled"
                      style={{ marginInlineStart: 6, fontSize: 11, lineHeight: '16px' }}
                    >
                      {t('tickets.requiredOnSolve')}
                    </Tag>
                  )}
                </span>
              }
              validateStatus={
                invalid.includes(def.key)
                  ? 'error'
                  : missing && ticket.status !== 'solved' && ticket.status !== 'closed'
                    ? 'warning'
                    : undefined
              }
              help={invalid.includes(def.key) ? t('tickets.orderNoInvalid') : undefined}
            >
              <FieldInput
                def={def}
                value={values[def.key]}
                onChange={(v) => setValues((old) => ({ ...old, [def.key]: v }))}
              />
            </Form.Item>
          );
        })}
      </Form>
      {dirty.length > 0 && (
        <Typography.Text type="warning" style={{ fontSize: 12 }}>
          {t('tickets.unsavedFields')}
        </Typography.Text>
      )}
    </Card>
  );
}
