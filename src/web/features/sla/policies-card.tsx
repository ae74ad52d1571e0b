import { useState } from 'react';
import { App, Button, Card, Empty, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../shared/load-error.tsx';
import { useErrorText } from '../../shared/use-error-text.ts';
import { calendarsQuery, policiesQuery, useReorderPolicies, useSavePolicy, type SlaPolicy } from './api.ts';
import { move, moveTo, toPolicyBody, toPolicyValues } from './policy-form.ts';
import { PolicyDrawer } from './policy-drawer.tsx';
import { PolicyRow } from './policy-row.tsx';

/** The ordered SLA policies (the first enabled one matching a ticket applies): drag or arrows to reorder. */
export function PoliciesCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const policies = useQuery(policiesQuery());
  const calendars = useQuery(calendarsQuery()).data?.items ?? [];
  const reorder = useReorderPolicies();
  const save = useSavePolicy();
  const [editing, setEditing] = useState<SlaPolicy | null>(null);
  const [open, setOpen] = useState(false);
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dragOver, setDragOver] = useState<number | null>(null);
  const items = policies.data?.items ?? [];
  const busy = reorder.isPending || save.isPending;

  const fail = (error: unknown) => void message.error(errorText(error));
  const setOrder = (next: SlaPolicy[]) =>
    reorder.mutate(
      next.map((p) => p.id),
      { onError: fail },
    );
  const toggle = (p: SlaPolicy, enabled: boolean) =>
    save.mutate({ policyId: p.id, ...toPolicyBody({ ...toPolicyValues(p), enabled }) }, { onError: fail });

  return (
    <Card
      title={t('sla.policy.title')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          disabled={!calendars.length}
          onClick={() => {
            setEditing(null);
            setOpen(true);
          }}
          data-testid="create-policy"
        >
          {t('sla.policy.create')}
        </Button>
      }
      styles={{ body: { padding: 0 } }}
    >
      <Typography.Paragraph type="secondary" style={{ padding: '12px 16px 0', marginBottom: 8 }}>
        {t('sla.policy.orderHelp')}
      </Typography.Paragraph>
      {policies.isError && (
        <div style={{ padding: 16 }}>
          <LoadError error={policies.error} onRetry={() => void policies.refetch()} />
        </div>
      )}
      {policies.isSuccess && !items.length && (
        <Empty
          style={{ padding: 24 }}
          description={calendars.length ? t('sla.policy.empty') : t('sla.policy.needCalendar')}
        />
      )}
      <div data-testid="policies">
        {items.map((p, i) => (
          <PolicyRow
            key={p.id}
            policy={p}
            index={i}
            count={items.length}
            calendar={calendars.find((c) => c.id === p.calendarId)}
            busy={busy}
            onMove={(delta) => setOrder(move(items, i, delta))}
            onToggle={(enabled) => toggle(p, enabled)}
            onEdit={() => {
              setEditing(p);
              setOpen(true);
            }}
            drag={{
              dragging: dragFrom === i,
              over: dragOver === i && dragFrom !== null && dragFrom !== i,
              handlers: {
                draggable: !busy,
                onDragStart: (e) => {
                  e.dataTransfer.effectAllowed = 'move';
                  setDragFrom(i);
                },
                onDragOver: (e) => {
                  e.preventDefault();
                  setDragOver(i);
                },
                onDragEnd: () => {
                  setDragFrom(null);
                  setDragOver(null);
                },
                onDrop: (e) => {
                  e.preventDefault();
                  if (dragFrom !== null && dragFrom !== i) setOrder(moveTo(items, dragFrom, i));
                  setDragFrom(null);
                  setDragOver(null);
                },
              },
            }}
          />
        ))}
      </div>
      <PolicyDrawer policy={editing} open={open} onClose={() => setOpen(false)} />
    </Card>
  );
}
