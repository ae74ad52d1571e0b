import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../../shared/load-error.tsx';
import { useErrorText } from '../../../shared/use-error-text.ts';
import { groupsQuery, useSaveGroup, type Group } from '../config-api.ts';
import { none, toNullable, useLookups } from '../use-lookups.ts';
import { WithPresence } from '../../routing/presence.tsx';
import { shownName } from '../../../shared/format.ts';

type Values = { name: string; supervisorId: string; memberIds: string[] };

function GroupModal({ editing, open, onClose }: { editing: Group | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const lookups = useLookups();
  const save = useSaveGroup();
  const [form] = Form.useForm<Values>();
  const people = lookups.users.map((u) => ({ value: u.id, label: `${shownName(u)} · ${t(`roles.${u.role}`)}` }));

  const submit = (values: Values) => {
    save.mutate(
      {
        groupId: editing?.id,
        name: values.name,
        supervisorId: toNullable(values.supervisorId) ?? null,
        memberIds: values.memberIds ?? [],
      },
      {
        onSuccess: () => {
          void message.success(t('common.saved'));
          save.reset();
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={editing ? t('tickets.settings.groups.edit') : t('tickets.settings.groups.create')}
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
            ? { name: editing.name, supervisorId: editing.supervisorId ?? none, memberIds: editing.memberIds }
            : { name: '', supervisorId: none, memberIds: [] },
        )
      }
      destroyOnHidden
    >
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit} preserve={false}>
        <Form.Item
          name="name"
          label={t('tickets.settings.groups.name')}
          rules={[{ required: true, whitespace: true, message: t('tickets.settings.nameRequired') }, { max: 100 }]}
        >
          <Input autoComplete="off" placeholder={t('tickets.settings.groups.namePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="supervisorId"
          label={t('tickets.settings.groups.supervisor')}
          extra={t('tickets.settings.groups.supervisorHelp')}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={[{ value: none, label: t('tickets.settings.groups.noSupervisor') }, ...people]}
          />
        </Form.Item>
        <Form.Item name="memberIds" label={t('tickets.settings.groups.members')}>
          <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={people} />
        </Form.Item>
      </Form>
      {save.error && <Alert type="error" showIcon title={errorText(save.error)} />}
    </Modal>
  );
}

/** Agent groups (售后组, 物流组…): members, and the supervisor told about SLA warnings and breaches. */
export function GroupsTab() {
  const { t } = useTranslation();
  const groups = useQuery(groupsQuery());
  const lookups = useLookups();
  const [editing, setEditing] = useState<Group | null>(null);
  const [open, setOpen] = useState(false);

  if (groups.isError) return <LoadError error={groups.error} onRetry={() => void groups.refetch()} />;

  return (
    <>
      <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary">{t('tickets.settings.groups.help')}</Typography.Text>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            setEditing(null);
            setOpen(true);
          }}
        >
          {t('tickets.settings.groups.create')}
        </Button>
      </Space>
      <Table<Group>
        rowKey="id"
        size="middle"
        loading={groups.isLoading}
        dataSource={groups.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('tickets.settings.groups.empty') }}
        columns={[
          {
            title: t('tickets.settings.groups.name'),
            dataIndex: 'name',
            render: (name: string) => <Typography.Text strong>{name}</Typography.Text>,
          },
          {
            title: t('tickets.settings.groups.supervisor'),
            dataIndex: 'supervisorId',
            render: (id: string | null) => (id ? lookups.userName(id) : '—'),
          },
          {
            title: t('tickets.settings.groups.members'),
            dataIndex: 'memberIds',
            width: 260,
            render: (ids: string[]) =>
              ids.length
                ? ids.map((id) => (
                    <Tag key={id}>
                      <WithPresence userId={id}>{lookups.userName(id)}</WithPresence>
                    </Tag>
                  ))
                : '—',
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, group) => (
              <Button
                type="link"
                size="small"
                onClick={() => {
                  setEditing(group);
                  setOpen(true);
                }}
              >
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <GroupModal editing={editing} open={open} onClose={() => setOpen(false)} />
    </>
  );
}
