import { useState } from 'react';
import { App, Alert, Button, Card, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PrivacyRequest } from '../../../shared/privacy-api.ts';
import { formatDateTime } from '../../shared/format.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useCan, useMe } from '../auth/session.ts';
import { downloadExport, eraseCustomer, privacyRequestsQuery } from './api.ts';

/**
 * A shopper's PIPL requests, for the customer page: export their data (a ZIP), erase it (typed
 * confirmation; cannot be undone), and the history of both. Shown only with privacy.manage.
 */
export function CustomerPrivacyActions({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const allowed = can('privacy.manage');
  const history = useQuery({ ...privacyRequestsQuery(customerId), enabled: allowed });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['privacy-requests', customerId] });
    void queryClient.invalidateQueries({ queryKey: ['customer', customerId] });
  };
  const exporting = useMutation({
    mutationFn: () => downloadExport(customerId),
    onSuccess: () => {
      void message.success(t('privacy.exported'));
      refresh();
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const erasing = useMutation({
    mutationFn: () => eraseCustomer(customerId),
    onSuccess: () => {
      setConfirming(false);
      setTyped('');
      void message.success(t('privacy.erased'));
      refresh();
    },
    onError: (e) => void message.error(errorText(e)),
  });
  if (!allowed) return null;
  const word = t('privacy.confirmWord');

  return (
    <Card title={t('privacy.title')} data-testid="privacy-actions">
      <Typography.Paragraph type="secondary">{t('privacy.intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Button icon={<DownloadOutlined />} loading={exporting.isPending} onClick={() => exporting.mutate()}>
          {t('privacy.export')}
        </Button>
        <Button danger icon={<DeleteOutlined />} onClick={() => setConfirming(true)}>
          {t('privacy.erase')}
        </Button>
      </Space>
      <Table<PrivacyRequest>
        rowKey="id"
        size="small"
        loading={history.isLoading}
        dataSource={history.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('privacy.noRequests') }}
        scroll={{ x: 480 }}
        columns={[
          {
            title: t('privacy.when'),
            dataIndex: 'createdAt',
            width: 170,
            render: (at: string) => formatDateTime(at, me.workspace.timezone),
          },
          {
            title: t('privacy.kind'),
            dataIndex: 'kind',
            width: 110,
            render: (k: PrivacyRequest['kind']) => (
              <Tag color={k === 'erasure' ? 'red' : 'blue'}>{t(`privacy.kinds.${k}`)}</Tag>
            ),
          },
          {
            title: t('privacy.counts'),
            dataIndex: 'counts',
            render: (c: Record<string, number>) =>
              Object.entries(c)
                .map(([k, n]) => `${t(`privacy.countNames.${k}`, { defaultValue: k })} ${n}`)
                .join(' · '),
          },
        ]}
      />
      <Modal
        open={confirming}
        title={t('privacy.eraseTitle')}
        okText={t('privacy.eraseConfirm')}
        okButtonProps={{ danger: true, disabled: typed.trim() !== word, loading: erasing.isPending }}
        onOk={() => erasing.mutate()}
        onCancel={() => {
          setConfirming(false);
          setTyped('');
        }}
      >
        <Alert type="warning" showIcon title={t('privacy.eraseWarning')} style={{ marginBottom: 16 }} />
        <Typography.Paragraph>{t('privacy.typeToConfirm', { word })}</Typography.Paragraph>
        <Input value={typed} onChange={(e) => setTyped(e.target.value)} placeholder={word} aria-label={word} />
      </Modal>
    </Card>
  );
}
