import { useState } from 'react';
import { App, Button, Empty, Input, List, Modal, Tag, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../shared/use-error-text.ts';
import { entriesQuery, useLinkUnanswered, type UnansweredGroup } from './api.ts';

/**
 * "关联到条目 / Link to entry": a picker of knowledge entries (searched as the list's search does);
 * choosing one ties the group's questions to it (POST /api/bot/unanswered/link).
 */
export function LinkEntryModal({ group, onClose }: { group: UnansweredGroup | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [q, setQ] = useState('');
  const entries = useQuery({ ...entriesQuery(q.trim()), enabled: !!group, placeholderData: keepPreviousData });
  const link = useLinkUnanswered();
  const choose = async (entryId: string, question: string) => {
    if (!group) return;
    try {
      const r = await link.mutateAsync({ messageIds: group.messageIds, entryId });
      message.success(t('knowledge.unanswered.linked', { count: r.linked, question }));
      setQ('');
      onClose();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const items = (entries.data?.items ?? []).slice(0, 30);
  return (
    <Modal
      open={!!group}
      title={t('knowledge.unanswered.linkTitle', { question: group?.sample ?? '' })}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      width={560}
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('knowledge.unanswered.linkHelp')}
      </Typography.Paragraph>
      <Input.Search
        allowClear
        placeholder={t('knowledge.unanswered.search')}
        aria-label={t('knowledge.unanswered.search')}
        onSearch={setQ}
        onChange={(e) => setQ(e.target.value)}
        value={q}
        style={{ marginBottom: 12 }}
      />
      <List
        size="small"
        loading={entries.isFetching && !entries.data}
        dataSource={items}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        style={{ maxHeight: '50vh', overflowY: 'auto' }}
        data-testid="link-entry-list"
        renderItem={(e) => (
          <List.Item
            actions={[
              <Button
                key="choose"
                size="small"
                type="primary"
                ghost
                loading={link.isPending && link.variables?.entryId === e.id}
                onClick={() => void choose(e.id, e.question)}
              >
                {t('knowledge.unanswered.choose')}
              </Button>,
            ]}
          >
            <List.Item.Meta
              title={e.question}
              description={
                <>
                  {e.category && <Tag>{e.category}</Tag>}
                  <Typography.Text type="secondary" ellipsis style={{ maxWidth: 320 }}>
                    {e.similar.slice(0, 3).join(' · ')}
                  </Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
    </Modal>
  );
}
