import { useState } from 'react';
import { App, Button, Form, Modal, Tooltip, Typography } from 'antd';
import { ExportOutlined, MergeCellsOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../shared/http.ts';
import { useCan } from '../auth/session.ts';
import { customerQuery } from '../inbox/api.ts';
import { useMergeCustomer, type Customer } from './api.ts';
import { CustomerPicker } from './customer-picker.tsx';
import { customerName } from './name.ts';

/**
 * The customer page's actions (top right of the profile card): merge a duplicate profile into
 * this one, for roles that see personal data (telling two shoppers apart needs it). Privacy's
 * export and erase card is mounted under the profile: `CustomerPrivacyActions`.
 */
export function CustomerActions({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const merge = useMergeCustomer();
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState<string | null>(null);
  const other = from && from !== customer.id ? from : null;
  // The duplicate, named and linked (every place that shows a customer links to their page).
  const duplicate = useQuery({ ...customerQuery(other ?? ''), enabled: !!other });
  if (!can('customers.pii')) return null;
  const name = customerName(customer, t('customers.visitor'));
  const submit = () => {
    if (!from) return;
    merge.mutate(
      { id: customer.id, from },
      {
        onSuccess: (r) => {
          setOpen(false);
          setFrom(null);
          void message.success(t('customers.merge.done', r.moved));
        },
        onError: (e) => void message.error(e instanceof ApiError ? e.message : String(e)),
      },
    );
  };
  return (
    <>
      <Button size="small" icon={<MergeCellsOutlined />} onClick={() => setOpen(true)} data-testid="customer-merge">
        {t('customers.merge.button')}
      </Button>
      <Modal
        open={open}
        title={t('customers.merge.title', { name })}
        okText={t('customers.merge.confirm')}
        okButtonProps={{ danger: true, disabled: !from || from === customer.id }}
        confirmLoading={merge.isPending}
        onOk={submit}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('customers.merge.explain')}</Typography.Paragraph>
        <Form layout="vertical">
          <Form.Item
            label={t('customers.merge.pick')}
            htmlFor="merge-from"
            validateStatus={from === customer.id ? 'error' : undefined}
            help={from === customer.id ? t('customers.merge.same') : undefined}
          >
            <CustomerPicker id="merge-from" value={from} onChange={setFrom} />
          </Form.Item>
        </Form>
        {other && duplicate.data && (
          <Typography.Paragraph data-testid="merge-other">
            {t('customers.merge.other')}
            <Tooltip title={t('customers.merge.otherHint')}>
              <Link to={`/customers/${encodeURIComponent(other)}`} target="_blank" data-testid="merge-other-link">
                {duplicate.data.name ?? t('customers.visitor')} <ExportOutlined />
              </Link>
            </Tooltip>
          </Typography.Paragraph>
        )}
      </Modal>
    </>
  );
}
