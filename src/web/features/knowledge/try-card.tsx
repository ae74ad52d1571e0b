import { useState } from 'react';
import { Card, Empty, Flex, Input, List, Progress, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { tryQuery } from './api.ts';

// Handing over to a person is an ordinary outcome, not an error: no red.
const bandColor = { answer: 'green', suggest: 'gold', handoff: 'blue' } as const;

/** "Try it": what the bot would answer, its confidence and the runners-up. */
export function TryCard() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const { data, isFetching } = useQuery(tryQuery(text));
  return (
    <Card title={t('knowledge.try.title')} size="small" data-testid="try-card">
      <Input.Search
        placeholder={t('knowledge.try.placeholder')}
        enterButton={t('knowledge.try.ask')}
        loading={isFetching}
        onSearch={(v) => setText(v)}
        aria-label={t('knowledge.try.title')}
        maxLength={2000}
      />
      {!data && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {t('knowledge.try.help')}
        </Typography.Paragraph>
      )}
      {data && (
        <Flex vertical gap={12} style={{ marginTop: 12 }} data-testid="try-result">
          <Flex gap={8} wrap align="center">
            <Tag color={bandColor[data.band]}>{t(`knowledge.try.band.${data.band}`)}</Tag>
            {data.intent && <Tag>{t('knowledge.try.intent', { intent: data.intent })}</Tag>}
            {data.refinedBy?.map((b) => (
              <Tag key={b} color="purple">
                {b === 'llm' ? t('knowledge.try.refinedBy.llm') : t('knowledge.try.refinedBy.dense')}
              </Tag>
            ))}
            <Typography.Text type="secondary">
              {t('knowledge.try.confidence', {
                value: Math.round(data.confidence * 100),
                threshold: Math.round(data.threshold * 100),
              })}
            </Typography.Text>
          </Flex>
          <Progress
            percent={Math.round(data.confidence * 100)}
            size="small"
            status={data.band === 'answer' ? 'success' : 'normal'}
          />
          {data.answer ? (
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="try-answer">
              {data.answer}
            </Typography.Paragraph>
          ) : (
            <Typography.Text type="secondary">{t(`knowledge.try.no.${data.band}`)}</Typography.Text>
          )}
          {data.candidates.length ? (
            <List
              size="small"
              header={<Typography.Text strong>{t('knowledge.try.runnersUp')}</Typography.Text>}
              dataSource={data.candidates}
              renderItem={(c, i) => (
                <List.Item extra={<Typography.Text type="secondary">{c.score.toFixed(2)}</Typography.Text>}>
                  {i + 1}. {c.question} {c.category && <Tag>{c.category}</Tag>}
                </List.Item>
              )}
            />
          ) : (
            <Empty description={t('knowledge.try.nothing')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
          )}
        </Flex>
      )}
    </Card>
  );
}
