import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useMe } from '../auth/session.ts';
import { inboxesQuery, useCreateInbox, type Inbox } from './api.ts';
import { InboxDrawer } from './inbox-drawer.tsx';
import { normalizeOrigins } from './inbox-form.ts';
import { OriginsField } from './origins-field.tsx';

function CreateInboxModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (inbox: Inbox) => void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const create = useCreateInbox();
  const [form] = Form.useForm<{ name: string; allowedOrigins: string[]; allowAnyOrigin: boolean }>();
  return (
    <Modal
      open={open}
      title={t('inboxes.create')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={() => {
        create.reset();
        onClose();
      }}
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ allowedOrigins: [], allowAnyOrigin: false }}
        onFinish={({ name, allowedOrigins, allowAnyOrigin }) =>
          create.mutate(
            { name, settings: { allowedOrigins: normalizeOrigins(allowedOrigins), allowAnyOrigin } },
            {
              onSuccess: (inbox) => {
                form.resetFields();
                create.reset();
                onCreated(inbox);
              },
            },
          )
        }
      >
        <Form.Item
          name="name"
          label={t('inboxes.name')}
          extra={t('inboxes.nameHelp')}
          rules={[{ required: true, whitespace: true, message: t('inboxes.nameRequired') }, { max: 100 }]}
        >
          <Input autoComplete="off" data-testid="inbox-name" />
        </Form.Item>
        <OriginsField />
      </Form>
      {create.error && <Typography.Text type="danger">{errorText(create.error)}</Typography.Text>}
    </Modal>
  );
}

/** Settings → Inboxes: the web widgets of the workspace; one opens in a drawer to edit. */
export function InboxesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const inboxes = useQuery(inboxesQuery());
  const [creating, setCreating] = useState(false);
  const [params, setParams] = useSearchParams();
  const editingId = params.get('edit');
  const editing = inboxes.data?.items.find((inbox) => inbox.id === editingId) ?? null;
  const edit = (id: string | null) => setParams(id ? { edit: id } : {});

  if (inboxes.isError)
    return (
      <Page title={t('inboxes.title')}>
        <LoadError error={inboxes.error} onRetry={() => void inboxes.refetch()} />
      </Page>
    );

  return (
    <Page
      title={t('inboxes.title')}
      subtitle={t('inboxes.subtitle')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-inbox">
          {t('inboxes.create')}
        </Button>
      }
    >
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Inbox>
          rowKey="id"
          loading={inboxes.isLoading}
          dataSource={inboxes.data?.items}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('inboxes.empty') }}
          onRow={(inbox) => ({ onClick: () => edit(inbox.id), style: { cursor: 'pointer' } })}
          columns={[
            {
              title: t('inboxes.name'),
              dataIndex: 'name',
              render: (name: string, inbox) => (
                <Space>
                  <span
                    style={{
                      display: 'inline-block',
                      width: 10,
                      height: 10,
                      borderRadius: 5,
                      background: inbox.settings.color,
                    }}
                  />
                  <Typography.Text strong>{name}</Typography.Text>
                </Space>
              ),
            },
            {
              title: t('inboxes.channel'),
              dataIndex: 'channel',
              render: () => <Tag color="blue">{t('inboxes.webWidget')}</Tag>,
            },
            {
              title: t('inboxes.hours'),
              key: 'hours',
              render: (_, inbox) =>
                inbox.settings.businessHours ? (
                  <Typography.Text>
                    {t('inboxes.customHours')}{' '}
                    <Typography.Text type="secondary">({inbox.settings.businessHours.timezone})</Typography.Text>
                  </Typography.Text>
                ) : (
                  <Typography.Text type="secondary">{t('inboxes.alwaysOpen')}</Typography.Text>
                ),
            },
            {
              title: t('inboxes.origins'),
              key: 'origins',
              render: (_, inbox) =>
                inbox.settings.allowAnyOrigin ? (
                  <Tag color="orange">{t('inboxes.anyOrigin')}</Tag>
                ) : (
                  t('inboxes.originsCount', { count: inbox.settings.allowedOrigins.length })
                ),
            },
            {
              title: t('inboxes.identity'),
              key: 'identity',
              render: (_, inbox) =>
                inbox.settings.requireIdentity ? (
                  <Tag icon={<SafetyCertificateOutlined />} color="green">
                    {t('inboxes.identityRequired')}
                  </Tag>
                ) : (
                  <Typography.Text type="secondary">{t('inboxes.identityOptional')}</Typography.Text>
                ),
            },
            {
              title: t('inboxes.createdAt'),
              dataIndex: 'createdAt',
              render: (at: string) => formatDateTime(at, me.workspace.timezone),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              fixed: 'right',
              render: (_, inbox) => (
                <Button
                  type="link"
                  size="small"
                  onClick={(e) => {
                    e.stopPropagation();
                    edit(inbox.id);
                  }}
                >
                  {t('inboxes.configure')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <CreateInboxModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(inbox) => {
          setCreating(false);
          void message.success(t('inboxes.created'));
          edit(inbox.id);
        }}
      />
      <InboxDrawer inbox={editing} onClose={() => edit(null)} />
    </Page>
  );
}
