import { useState } from 'react';
import { App, Button, Flex, Input, Select, Space, Typography } from 'antd';
import { CloseOutlined, TagOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useBulkUpdate, type BulkBody, type Ticket } from './api.ts';
import { priorities, statuses } from './model.ts';
import { toNullable, useLookups } from './use-lookups.ts';

/** One change to every selected ticket; each is checked on its own, so a few may fail (and say why). */
export function BulkBar({ selected, tickets, onDone }: { selected: string[]; tickets: Ticket[]; onDone: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const lookups = useLookups();
  const bulk = useBulkUpdate();
  const [tag, setTag] = useState('');

  const apply = (set: BulkBody['set']) => {
    bulk.mutate(
      { ids: selected, set },
      {
        onSuccess: ({ results }) => {
          const failed = results.filter((r) => !r.ok);
          const done = results.length - failed.length;
          if (!failed.length) void message.success(t('tickets.bulk.done', { count: done }));
          else {
            const number = (id: string) => tickets.find((x) => x.id === id)?.number;
            modal.warning({
              title: t('tickets.bulk.partial', { done, failed: failed.length }),
              content: (
                <ul style={{ paddingInlineStart: 18, margin: 0 }}>
                  {failed.map((r) => (
                    <li key={r.id}>
                      #{number(r.id) ?? r.id}: {r.error}
                    </li>
                  ))}
                </ul>
              ),
            });
          }
          setTag('');
          onDone();
        },
        onError: (error) => void message.error(errorText(error)),
      },
    );
  };

  const width = 150;
  return (
    <Flex
      gap={8}
      wrap
      align="center"
      data-testid="bulk-bar"
      style={{ padding: '8px 12px', background: '#e6f4ff', borderRadius: 6 }}
    >
      <Typography.Text strong>{t('tickets.bulk.selected', { count: selected.length })}</Typography.Text>
      <Select
        placeholder={t('tickets.bulk.setStatus')}
        value={null}
        style={{ width }}
        disabled={bulk.isPending}
        onChange={(status) => status && apply({ status })}
        options={statuses.map((s) => ({ value: s, label: t(`tickets.status.${s}`) }))}
      />
      <Select
        placeholder={t('tickets.bulk.setPriority')}
        value={null}
        style={{ width }}
        disabled={bulk.isPending}
        onChange={(priority) => priority && apply({ priority })}
        options={priorities.map((p) => ({ value: p, label: t(`tickets.priority.${p}`) }))}
      />
      <Select
        placeholder={t('tickets.bulk.setAssignee')}
        value={null}
        style={{ width }}
        disabled={bulk.isPending}
        showSearch={{ optionFilterProp: 'search' }}
        onChange={(assignee: string | null) => assignee && apply({ assigneeId: toNullable(assignee) })}
        options={lookups.assigneeOptions()}
      />
      <Space.Compact>
        <Input
          placeholder={t('tickets.bulk.tag')}
          prefix={<TagOutlined />}
          value={tag}
          onChange={(e) => setTag(e.target.value)}
          onPressEnter={() => tag.trim() && apply({ addTags: [tag.trim()] })}
          style={{ width: 140 }}
        />
        <Button disabled={!tag.trim()} loading={bulk.isPending} onClick={() => apply({ addTags: [tag.trim()] })}>
          {t('tickets.bulk.addTag')}
        </Button>
      </Space.Compact>
      <Button type="text" icon={<CloseOutlined />} onClick={onDone}>
        {t('tickets.bulk.clear')}
      </Button>
    </Flex>
  );
}
