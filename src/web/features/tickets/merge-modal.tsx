import { useState } from 'react';
import { Alert, App, Button, Descriptions, InputNumber, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useErrorText } from '../../shared/use-error-text.ts';
import { findByNumber, useMerge, type Ticket } from './api.ts';
import { StatusTag } from './ticket-tags.tsx';

/** Merges this ticket into another one, picked by its number; this one is closed and points there. */
export function MergeModal({ ticket, open, onClose }: { ticket: Ticket; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const merge = useMerge();
  const [number, setNumber] = useState<number | null>(null);
  const [target, setTarget] = useState<Ticket | null>(null);
  const [lookup, setLookup] = useState<'idle' | 'busy' | 'missing' | 'self'>('idle');

  const close = () => {
    setNumber(null);
    setTarget(null);
    setLookup('idle');
    merge.reset();
    onClose();
  };

  const find = async () => {
    if (!number) return;
    if (number === ticket.number) return setLookup('self');
    setLookup('busy');
    try {
      const found = await findByNumber(number);
      setTarget(found ?? null);
      setLookup(found ? 'idle' : 'missing');
    } catch (error) {
      setLookup('idle');
      void message.error(errorText(error));
    }
  };

  return (
    <Modal
      open={open}
      title={t('tickets.merge.title', { number: ticket.number })}
      okText={t('tickets.merge.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !target, danger: true }}
      confirmLoading={merge.isPending}
      onCancel={close}
      onOk={() =>
        target &&
        merge.mutate(
          { id: ticket.id, intoId: target.id },
          {
            onSuccess: (into) => {
              void message.success(t('tickets.merge.done', { number: into.number }));
              close();
              navigate(`/tickets/${into.id}`);
            },
          },
        )
      }
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('tickets.merge.explain')}</Typography.Paragraph>
      <Space.Compact style={{ marginBottom: 12 }}>
        <InputNumber
          prefix="#"
          min={1}
          precision={0}
          value={number}
          onChange={(v) => {
            setNumber(v);
            setTarget(null);
            setLookup('idle');
          }}
          onPressEnter={() => void find()}
          placeholder={t('tickets.merge.number')}
          style={{ width: 180 }}
          data-testid="merge-number"
        />
        <Button onClick={() => void find()} loading={lookup === 'busy'}>
          {t('tickets.merge.find')}
        </Button>
      </Space.Compact>
      {lookup === 'missing' && <Alert type="warning" showIcon title={t('tickets.merge.notFound', { number })} />}
      {lookup === 'self' && <Alert type="warning" showIcon title={t('tickets.merge.self')} />}
      {target && (
        <Descriptions size="small" bordered column={1}>
          <Descriptions.Item label="#">{target.number}</Descriptions.Item>
          <Descriptions.Item label={t('tickets.fields.subject')}>{target.subject}</Descriptions.Item>
          <Descriptions.Item label={t('tickets.fields.status')}>
            <StatusTag status={target.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t('tickets.fields.customer')}>{target.customerName ?? '—'}</Descriptions.Item>
        </Descriptions>
      )}
      {merge.error && <Alert type="error" showIcon title={errorText(merge.error)} style={{ marginTop: 12 }} />}
    </Modal>
  );
}
