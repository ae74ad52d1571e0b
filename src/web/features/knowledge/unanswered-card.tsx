import { useState } from 'react';
import { Button, Card, Empty, List, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { unansweredQuery, type UnansweredGroup } from './api.ts';
import { LinkEntryModal } from './link-entry-modal.tsx';

/**
 * Questions the bot could not answer, grouped; one click starts an entry from a group (its other
 * wordings as similar questions), or links the group to an existing entry (the bot learns from it).
 */
export function UnansweredCard({
  onCreate,
  canManage,
}: {
  onCreate: (draft: { question: string; similar: string[] }) => void;
  canManage: boolean;
}) {
  const { t } = useTranslation();
  const items = useQuery(unansweredQuery()).data?.items ?? [];
  const [linking, setLinking] = useState<UnansweredGroup | null>(null);
  return (
    <Card title={t('knowledge.unanswered.title')} size="small" data-testid="unanswered">
      <LinkEntryModal group={linking} onClose={() => setLinking(null)} />
      {items.length === 0 ? (
        <Empty description={t('knowledge.unanswered.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <List
          size="small"
          dataSource={items.slice(0, 20)}
          renderItem={(g) => (
            <List.Item
              actions={
                canManage
                  ? [
                      <Button
                        key="add"
                        size="small"
                        onClick={() =>
                          onCreate({ question: g.sample, similar: g.queries.filter((q) => q !== g.sample) })
                        }
                      >
                        {t('knowledge.unanswered.create')}
                      </Button>,
                      <Button key="link" size="small" type="link" onClick={() => setLinking(g)}>
                        {t('knowledge.unanswered.link')}
                      </Button>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={
                  <>
                    {g.sample} <Tag>{t('knowledge.unanswered.count', { count: g.count })}</Tag>
                  </>
                }
                description={
                  <Typography.Text type="secondary" ellipsis>
                    {g.queries.slice(1, 4).join(' · ')}
                  </Typography.Text>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
