import { useState } from 'react';
import { App, Alert, Button, Input, Modal, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, DownloadOutlined, HistoryOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PrivacyRequest } from '../../../shared/privacy-api.ts';
import { formatDateTime } from '../../shared/format.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useCan, useMe } from '../auth/session.ts';
import { downloadExport, eraseCustomer, privacyRequestsQuery } from './api.ts';

/**
 * A shopper's PIPL requests, compact enough for the customer page's actions area (a card's header):
 * export their data (a ZIP), erase it (typed confirmation; cannot be undone), and the history of
 * both in a dialog. Shown only with privacy.manage.
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
  const [showHistory, setShowHistory] = useState(false);
  const allowed = can('privacy.manage');
  const history = useQuery({ ...privacyRequestsQuery(customerId), enabled: allowed && showHistory });
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
    <Space wrap size={8} data-testid="privacy-actions">
      <Tooltip title={t('privacy.intro')}>
        <Button
          size="small"
          icon={<DownloadOutlined />}
          loading={exporting.isPending}
          onClick={() => exporting.mutate()}
        >
          {t('privacy.export')}
        </Button>
      </Tooltip>
      <Button size="small" danger icon={<DeleteOutlined />} onClick={() => setConfirming(true)}>
        {t('privacy.erase')}
      </Button>
      <Button size="small" type="text" icon={<HistoryOutlined />} onClick={() => setShowHistory(true)}>
        {t('privacy.history')}
      </Button>
      <Modal
        open={showHistory}
        title={t('privacy.title')}
        footer={null}
        width={640}
        onCancel={() => setShowHistory(false)}
      >
        <Typography.Paragraph type="secondary">{t('privacy.intro')}</Typography.Paragraph>
        <Table<PrivacyRequest>
          rowKey="id"
          size="small"
          loading={history.isLoading}
          dataSource={history.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('privacy.noRequests') }}
          columns={[
            {
              title: t('privacy.when'),
              dataIndex: 'createdAt',
              width: 150,
              render: (at: string) => formatDateTime(at, me.workspace.timezone),
            },
            {
              title: t('privacy.kind'),
              dataIndex: 'kind',
              width: 80,
              render: (k: PrivacyRequest['kind']) => (
                <Tag color={k === 'erasure' ? 'purple' : 'blue'}>{t(`privacy.kinds.${k}`)}</Tag>
              ),
            },
            {
              title: t('privacy.counts'),
              dataIndex: 'counts',
              render: (c: Record<string, number>) =>
                Object.entries(c)
                  .filter(([, n]) => n > 0)
                  .map(([k, n]) => `${t(`privacy.countNames.${k}`, { defaultValue: k })} ${n}`)
                  .join(' · '),
            },
          ]}
        />
      </Modal>
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
    </Space>
  );
}
