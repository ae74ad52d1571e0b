import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../../shared/load-error.tsx';
import { useErrorText } from '../../../shared/use-error-text.ts';
import { fieldsQuery, useArchiveField, useCreateField, type FieldBody, type FieldDef } from '../config-api.ts';
import { fieldTypes, keyPattern, type FieldType } from '../model.ts';

type Values = { key: string; label: string; type: FieldType; options: string[]; requiredOnSolve: boolean };

function FieldModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const create = useCreateField();
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('type', form);

  const submit = (values: Values) => {
    const body: FieldBody = { ...values, options: values.type === 'select' ? (values.options ?? []) : [] };
    create.mutate(body, {
      onSuccess: () => {
        void message.success(t('common.saved'));
        form.resetFields();
        create.reset();
        onClose();
      },
    });
  };

  return (
    <Modal
      open={open}
      title={t('tickets.settings.fields.create')}
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
        onFinish={submit}
        initialValues={{ type: 'text', options: [], requiredOnSolve: false }}
      >
        <Form.Item
          name="label"
          label={t('tickets.settings.fields.label')}
          rules={[{ required: true, whitespace: true, message: t('tickets.settings.nameRequired') }, { max: 100 }]}
        >
          <Input autoComplete="off" placeholder={t('tickets.settings.fields.labelPlaceholder')} />
        </Form.Item>
        <Form.Item
          name="key"
          label={t('tickets.settings.key')}
          extra={t('tickets.settings.keyHelp')}
          rules={[
            { required: true, message: t('tickets.settings.keyRequired') },
            { pattern: keyPattern, message: t('tickets.settings.keyInvalid') },
          ]}
        >
          <Input autoComplete="off" placeholder="refund_amount" />
        </Form.Item>
        <Form.Item name="type" label={t('tickets.settings.fields.type')}>
          <Select options={fieldTypes.map((x) => ({ value: x, label: t(`tickets.settings.fieldTypes.${x}`) }))} />
        </Form.Item>
        {type === 'select' && (
          <Form.Item
            name="options"
            label={t('tickets.settings.fields.options')}
            extra={t('tickets.settings.fields.optionsHelp')}
            rules={[{ required: true, type: 'array', min: 1, message: t('tickets.settings.fields.optionsRequired') }]}
          >
            <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，']} />
          </Form.Item>
        )}
        <Form.Item
          name="requiredOnSolve"
          label={t('tickets.settings.fields.requiredOnSolve')}
          extra={t('tickets.settings.fields.requiredOnSolveHelp')}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
      </Form>
      {create.error && <Alert type="error" showIcon title={errorText(create.error)} />}
    </Modal>
  );
}

/** Custom fields on every ticket (退款金额, 快递单号…); some must be filled in before a ticket is solved. */
export function FieldsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const fields = useQuery(fieldsQuery());
  const archive = useArchiveField();
  const [open, setOpen] = useState(false);

  if (fields.isError) return <LoadError error={fields.error} onRetry={() => void fields.refetch()} />;

  return (
    <>
      <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary">{t('tickets.settings.fields.help')}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
          {t('tickets.settings.fields.create')}
        </Button>
      </Space>
      <Table<FieldDef>
        rowKey="id"
        size="middle"
        loading={fields.isLoading}
        dataSource={fields.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('tickets.settings.fields.empty') }}
        columns={[
          {
            title: t('tickets.settings.fields.label'),
            dataIndex: 'label',
            render: (label: string) => <Typography.Text strong>{label}</Typography.Text>,
          },
          {
            title: t('tickets.settings.key'),
            dataIndex: 'key',
            render: (key: string) => <Typography.Text code>{key}</Typography.Text>,
          },
          {
            title: t('tickets.settings.fields.type'),
            dataIndex: 'type',
            render: (type: FieldType) => t(`tickets.settings.fieldTypes.${type}`),
          },
          {
            title: t('tickets.settings.fields.options'),
            dataIndex: 'options',
            width: 220,
            render: (options: string[]) => (options.length ? options.map((o) => <Tag key={o}>{o}</Tag>) : '—'),
          },
          {
            title: t('tickets.settings.fields.requiredOnSolve'),
            dataIndex: 'requiredOnSolve',
            render: (required: boolean) =>
              required ? (
                <Tag color="orange">{t('tickets.requiredOnSolve')}</Tag>
              ) : (
                <Typography.Text type="secondary">—</Typography.Text>
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, field) => (
              <Popconfirm
                title={t('tickets.settings.fields.archiveConfirm', { name: field.label })}
                okText={t('common.confirm')}
                cancelText={t('common.cancel')}
                onConfirm={() =>
                  archive.mutateAsync(field.id).catch((error: unknown) => void message.error(errorText(error)))
                }
              >
                <Button type="link" size="small" danger>
                  {t('tickets.settings.archive')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <FieldModal open={open} onClose={() => setOpen(false)} />
    </>
  );
}
