import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Popconfirm, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { maxMessageChars } from '../../../shared/realtime/protocol.ts';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { usePhone } from '../../layout/use-phone.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useMe } from '../auth/session.ts';
import { cannedRepliesQuery, useCannedReplyMutations, type CannedReply, type CannedReplyBody } from '../inbox/api.ts';

const shortCodePattern = /^[\p{L}\p{N}_-]{1,32}$/u;

function CannedReplyModal({ open, reply, onClose }: { open: boolean; reply: CannedReply | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { create, update } = useCannedReplyMutations();
  const [form] = Form.useForm<CannedReplyBody>();
  const saving = reply ? update : create;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (reply) form.setFieldsValue({ shortCode: reply.shortCode, content: reply.content });
  }, [open, reply, form]);

  const submit = (values: CannedReplyBody) => {
    const done = {
      onSuccess: () => {
        void message.success(t('common.saved'));
        saving.reset();
        onClose();
      },
    };
    if (reply) update.mutate({ id: reply.id, ...values }, done);
    else create.mutate(values, done);
  };

  return (
    <Modal
      open={open}
      title={reply ? t('inboxes.canned.edit') : t('inboxes.canned.create')}
      okText={reply ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={saving.isPending}
      onOk={() => form.submit()}
      onCancel={() => {
        saving.reset();
        onClose();
      }}
      forceRender
    >
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Form.Item
          name="shortCode"
          label={t('inboxes.canned.shortCode')}
          extra={t('inboxes.canned.shortCodeHelp')}
          rules={[
            { required: true, message: t('inboxes.canned.shortCodeRequired') },
            { pattern: shortCodePattern, message: t('inboxes.canned.shortCodeInvalid') },
          ]}
        >
          <Input prefix="/" autoComplete="off" data-testid="canned-shortcode" />
        </Form.Item>
        <Form.Item
          name="content"
          label={t('inboxes.canned.content')}
          extra={
            <>
              {t('inboxes.canned.variables')} <Typography.Text code>{'{{customer.name}}'}</Typography.Text>{' '}
              {t('inboxes.canned.varCustomer')}
              {' · '}
              <Typography.Text code>{'{{agent.name}}'}</Typography.Text> {t('inboxes.canned.varAgent')}
            </>
          }
          rules={[{ required: true, whitespace: true, message: t('inboxes.canned.contentRequired') }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 4, maxRows: 10 }}
            maxLength={maxMessageChars}
            showCount
            data-testid="canned-content"
          />
        </Form.Item>
      </Form>
      {saving.error && <Alert type="error" showIcon title={errorText(saving.error)} />}
    </Modal>
  );
}

/** Settings → Canned replies: what agents insert with `/` in the composer. */
export function CannedRepliesPage() {
  const { t } = useTranslation();
  const phone = usePhone();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const me = useMe();
  const replies = useQuery(cannedRepliesQuery());
  const { remove } = useCannedReplyMutations();
  const [editing, setEditing] = useState<CannedReply | null>(null);
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');

  if (replies.isError)
    return (
      <Page title={t('inboxes.canned.title')}>
        <LoadError error={replies.error} onRetry={() => void replies.refetch()} />
      </Page>
    );

  const s = search.trim().toLowerCase();
  const rows = (replies.data?.items ?? [])
    .filter((r) => !s || r.shortCode.toLowerCase().includes(s) || r.content.toLowerCase().includes(s))
    .sort((a, b) => a.shortCode.localeCompare(b.shortCode));

  return (
    <Page
      title={t('inboxes.canned.title')}
      subtitle={t('inboxes.canned.subtitle')}
      extra={
        // On a phone the search is narrower and the row wraps rather than cutting the button off.
        <Flex gap={8} wrap={phone}>
          <Input.Search
            allowClear
            placeholder={t('inboxes.canned.search')}
            onChange={(e) => setSearch(e.target.value)}
            style={{ width: phone ? 150 : 220 }}
          />
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setEditing(null);
              setOpen(true);
            }}
            data-testid="create-canned"
          >
            {t('inboxes.canned.create')}
          </Button>
        </Flex>
      }
    >
      <Card styles={{ body: { padding: 0 } }}>
        <Table<CannedReply>
          rowKey="id"
          loading={replies.isLoading}
          dataSource={rows}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('inboxes.canned.empty') }}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('inboxes.canned.shortCode'),
              dataIndex: 'shortCode',
              render: (code: string) => <Typography.Text code>/{code}</Typography.Text>,
            },
            {
              title: t('inboxes.canned.content'),
              dataIndex: 'content',
              width: 280,
              render: (content: string) => (
                <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                  {content}
                </Typography.Paragraph>
              ),
            },
            {
              title: t('inboxes.createdAt'),
              dataIndex: 'createdAt',
              responsive: ['md'],
              render: (at: string) => formatDateTime(at, me.workspace.timezone),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 140,
              render: (_, reply) => (
                <Space size={0}>
                  <Button
                    type="link"
                    size="small"
                    onClick={() => {
                      setEditing(reply);
                      setOpen(true);
                    }}
                  >
                    {t('common.edit')}
                  </Button>
                  <Popconfirm
                    title={t('inboxes.canned.deleteConfirm', { code: reply.shortCode })}
                    okText={t('common.confirm')}
                    cancelText={t('common.cancel')}
                    onConfirm={() =>
                      remove
                        .mutateAsync(reply.id)
                        .then(() => void message.success(t('inboxes.canned.deleted')))
                        .catch((error: unknown) => void message.error(errorText(error)))
                    }
                  >
                    <Button type="link" size="small" danger>
                      {t('inboxes.canned.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <CannedReplyModal open={open} reply={editing} onClose={() => setOpen(false)} />
    </Page>
  );
}
