import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../../shared/load-error.tsx';
import { useErrorText } from '../../../shared/use-error-text.ts';
import { typesQuery, useArchiveType, useSaveType, type TicketType, type TypeBody } from '../config-api.ts';
import { keyPattern } from '../model.ts';

type Values = { key: string; zh: string; en: string };

function TypeModal({ editing, open, onClose }: { editing: TicketType | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const save = useSaveType();
  const [form] = Form.useForm<Values>();

  const submit = (values: Values) => {
    const body: TypeBody = { key: values.key, names: { 'zh-CN': values.zh, en: values.en } };
    save.mutate(body, {
      onSuccess: () => {
        void message.success(t('common.saved'));
        save.reset();
        onClose();
      },
    });
  };

  return (
    <Modal
      open={open}
      title={editing ? t('tickets.settings.types.edit') : t('tickets.settings.types.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={() => {
        save.reset();
        onClose();
      }}
      afterOpenChange={(visible) =>
        visible &&
        form.setFieldsValue(
          editing
            ? { key: editing.key, zh: editing.names['zh-CN'], en: editing.names.en }
            : { key: '', zh: '', en: '' },
        )
      }
      destroyOnHidden
    >
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit} preserve={false}>
        <Form.Item
          name="key"
          label={t('tickets.settings.key')}
          extra={t('tickets.settings.keyHelp')}
          rules={[
            { required: true, message: t('tickets.settings.keyRequired') },
            { pattern: keyPattern, message: t('tickets.settings.keyInvalid') },
          ]}
        >
          <Input disabled={!!editing} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="zh"
          label={t('tickets.settings.types.nameZh')}
          rules={[{ required: true, whitespace: true, message: t('tickets.settings.nameRequired') }, { max: 40 }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="en"
          label={t('tickets.settings.types.nameEn')}
          rules={[{ required: true, whitespace: true, message: t('tickets.settings.nameRequired') }, { max: 40 }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
      </Form>
      {save.error && <Alert type="error" showIcon title={errorText(save.error)} />}
    </Modal>
  );
}

/** Ticket types (咨询, 售后, 投诉…): rename, add, archive (old tickets keep theirs), restore. */
export function TypesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const types = useQuery(typesQuery());
  const archive = useArchiveType();
  const save = useSaveType();
  const [editing, setEditing] = useState<TicketType | null>(null);
  const [open, setOpen] = useState(false);

  if (types.isError) return <LoadError error={types.error} onRetry={() => void types.refetch()} />;
  const fail = (error: unknown) => void message.error(errorText(error));

  return (
    <>
      <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary">{t('tickets.settings.types.help')}</Typography.Text>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            setEditing(null);
            setOpen(true);
          }}
        >
          {t('tickets.settings.types.create')}
        </Button>
      </Space>
      <Table<TicketType>
        rowKey="key"
        size="middle"
        loading={types.isLoading}
        dataSource={types.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('tickets.settings.key'),
            dataIndex: 'key',
            render: (key: string) => <Typography.Text code>{key}</Typography.Text>,
          },
          { title: t('tickets.settings.types.nameZh'), key: 'zh', render: (_, type) => type.names['zh-CN'] },
          { title: t('tickets.settings.types.nameEn'), key: 'en', render: (_, type) => type.names.en },
          {
            title: t('tickets.settings.state'),
            dataIndex: 'archived',
            render: (archived: boolean) =>
              archived ? (
                <Tag>{t('tickets.settings.archived')}</Tag>
              ) : (
                <Tag color="green">{t('tickets.settings.active')}</Tag>
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, type) => (
              <Space size={0}>
                <Button
                  type="link"
                  size="small"
                  onClick={() => {
                    setEditing(type);
                    setOpen(true);
                  }}
                >
                  {t('common.edit')}
                </Button>
                {type.archived ? (
                  <Button
                    type="link"
                    size="small"
                    onClick={() => save.mutate({ key: type.key, names: type.names }, { onError: fail })}
                  >
                    {t('tickets.settings.restore')}
                  </Button>
                ) : (
                  <Popconfirm
                    title={t('tickets.settings.types.archiveConfirm', { name: type.names['zh-CN'] })}
                    okText={t('common.confirm')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => archive.mutateAsync(type.key).catch(fail)}
                  >
                    <Button type="link" size="small" danger>
                      {t('tickets.settings.archive')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <TypeModal editing={editing} open={open} onClose={() => setOpen(false)} />
    </>
  );
}
