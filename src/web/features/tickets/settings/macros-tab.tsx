import { useState } from 'react';
import { Button, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../../shared/load-error.tsx';
import { macrosQuery, type Macro } from '../config-api.ts';
import { useLookups } from '../use-lookups.ts';
import { MacroModal } from './macro-modal.tsx';

/** Macros: saved one-click changes with an optional canned reply. */
export function MacrosTab() {
  const { t } = useTranslation();
  const macros = useQuery(macrosQuery());
  const lookups = useLookups();
  const [editing, setEditing] = useState<Macro | null>(null);
  const [open, setOpen] = useState(false);

  if (macros.isError) return <LoadError error={macros.error} onRetry={() => void macros.refetch()} />;

  const summary = (m: Macro) => {
    const a = m.actions;
    const parts: string[] = [];
    if (a.status) parts.push(`${t('tickets.fields.status')}: ${t(`tickets.status.${a.status}`)}`);
    if (a.priority) parts.push(`${t('tickets.fields.priority')}: ${t(`tickets.priority.${a.priority}`)}`);
    if (a.type) parts.push(`${t('tickets.fields.type')}: ${lookups.typeName(a.type)}`);
    if (a.groupId !== undefined) parts.push(`${t('tickets.fields.group')}: ${lookups.groupName(a.groupId)}`);
    if (a.assigneeId !== undefined)
      parts.push(
        `${t('tickets.fields.assignee')}: ${a.assigneeId === 'me' ? t('tickets.settings.macros.whoApplies') : lookups.userName(a.assigneeId)}`,
      );
    return parts;
  };

  return (
    <>
      <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary">{t('tickets.settings.macros.help')}</Typography.Text>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            setEditing(null);
            setOpen(true);
          }}
        >
          {t('tickets.settings.macros.create')}
        </Button>
      </Space>
      <Table<Macro>
        rowKey="id"
        size="middle"
        loading={macros.isLoading}
        dataSource={macros.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('tickets.settings.macros.empty') }}
        columns={[
          {
            title: t('tickets.settings.macros.name'),
            dataIndex: 'name',
            render: (name: string) => <Typography.Text strong>{name}</Typography.Text>,
          },
          {
            title: t('tickets.settings.macros.actions'),
            key: 'actions',
            width: 260,
            render: (_, m) => (
              <>
                {summary(m).map((p) => (
                  <Tag key={p}>{p}</Tag>
                ))}
                {m.actions.addTags?.map((tag) => (
                  <Tag key={`tag-${tag}`} color="blue">
                    +{tag}
                  </Tag>
                ))}
              </>
            ),
          },
          {
            title: t('tickets.settings.macros.reply'),
            key: 'reply',
            render: (_, m) =>
              m.actions.reply ? (
                <Typography.Text ellipsis={{ tooltip: m.actions.reply.body }} style={{ maxWidth: 280 }}>
                  {m.actions.reply.public ? '' : `[${t('tickets.composer.note')}] `}
                  {m.actions.reply.body}
                </Typography.Text>
              ) : (
                '—'
              ),
          },
          {
            title: t('common.actions'),
            key: 'edit',
            render: (_, m) => (
              <Button
                type="link"
                size="small"
                onClick={() => {
                  setEditing(m);
                  setOpen(true);
                }}
              >
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <MacroModal editing={editing} open={open} onClose={() => setOpen(false)} />
    </>
  );
}
