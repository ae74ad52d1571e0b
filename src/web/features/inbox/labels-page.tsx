import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Radio, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { labelColors } from '../../../shared/labels.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useErrorText } from '../../shared/use-error-text.ts';
import { labelsQuery, useLabelMutations, type ConversationLabel, type ConversationLabelBody } from './labels.tsx';

function LabelModal({ open, label, onClose }: { open: boolean; label: ConversationLabel | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { create, update } = useLabelMutations();
  const [form] = Form.useForm<ConversationLabelBody>();
  const saving = label ? update : create;
  const color = Form.useWatch('color', form);
  const name = Form.useWatch('name', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(label ? { name: label.name, color: label.color } : { color: 'blue' });
  }, [open, label, form]);

  const submit = (values: ConversationLabelBody) => {
    const done = {
      onSuccess: () => {
        void message.success(t('common.saved'));
        saving.reset();
        onClose();
      },
    };
    if (label) update.mutate({ id: label.id, ...values }, done);
    else create.mutate(values, done);
  };

  return (
    <Modal
      open={open}
      title={label ? t('labels.edit') : t('labels.create')}
      okText={label ? t('common.save') : t('common.create')}
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
          name="name"
          label={t('labels.name')}
          rules={[{ required: true, whitespace: true, message: t('labels.nameRequired') }]}
        >
          <Input maxLength={40} autoComplete="off" data-testid="label-name" />
        </Form.Item>
        <Form.Item name="color" label={t('labels.color')}>
          <Radio.Group>
            <Space size={[4, 8]} wrap>
              {labelColors.map((c) => (
                <Radio.Button key={c} value={c} aria-label={t(`labels.colors.${c}`)} data-testid={`label-color-${c}`}>
                  <Tag color={c === 'default' ? undefined : c} style={{ marginInlineEnd: 0 }}>
                    {t(`labels.colors.${c}`)}
                  </Tag>
                </Radio.Button>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        {name?.trim() && (
          <Tag color={color === 'default' ? undefined : color} data-testid="label-preview">
            {name.trim()}
          </Tag>
        )}
      </Form>
      {saving.error && <Alert type="error" showIcon title={errorText(saving.error)} style={{ marginTop: 12 }} />}
    </Modal>
  );
}

/** Settings → Conversation labels: the workspace's coloured labels (settings.manage). */
export function LabelsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const labels = useQuery(labelsQuery());
  const { remove } = useLabelMutations();
  const [editing, setEditing] = useState<ConversationLabel | null>(null);
  const [open, setOpen] = useState(false);

  if (labels.isError)
    return (
      <Page title={t('labels.title')}>
        <LoadError error={labels.error} onRetry={() => void labels.refetch()} />
      </Page>
    );

  return (
    <Page
      title={t('labels.title')}
      subtitle={t('labels.subtitle')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            setEditing(null);
            setOpen(true);
          }}
          data-testid="create-label"
        >
          {t('labels.create')}
        </Button>
      }
    >
      <Card styles={{ body: { padding: 0 } }}>
        <Table<ConversationLabel>
          rowKey="id"
          loading={labels.isLoading}
          dataSource={labels.data?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: t('labels.empty') }}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('labels.name'),
              dataIndex: 'name',
              render: (_, l) => (
                <Tag color={l.color === 'default' ? undefined : l.color} data-testid="label-row">
                  {l.name}
                </Tag>
              ),
            },
            { title: t('labels.conversations'), dataIndex: 'conversations', width: 120 },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 140,
              render: (_, l) => (
                <Space size={0}>
                  <Button
                    type="link"
                    size="small"
                    onClick={() => {
                      setEditing(l);
                      setOpen(true);
                    }}
                  >
                    {t('common.edit')}
                  </Button>
                  <Popconfirm
                    title={t('labels.deleteConfirm', { name: l.name, count: l.conversations })}
                    okText={t('common.confirm')}
                    cancelText={t('common.cancel')}
                    onConfirm={() =>
                      remove
                        .mutateAsync(l.id)
                        .then(() => void message.success(t('labels.deleted')))
                        .catch((error: unknown) => void message.error(errorText(error)))
                    }
                  >
                    <Button type="link" size="small" danger>
                      {t('labels.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <LabelModal open={open} label={editing} onClose={() => setOpen(false)} />
    </Page>
  );
}
