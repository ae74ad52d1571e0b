/** The CSAT section of a conversation (or ticket): the requests, the ratings, asking again (with a link for other channels). */
import { useState } from 'react';
import { App, Button, Empty, Flex, Skeleton, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../shared/format.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useCan, useMe } from '../auth/session.ts';
import { csatRequestsQuery, useAskAgain, type Asked, type RequestState } from './api.ts';
import { Score } from './score.tsx';

const stateColors: Record<RequestState, string> = {
  open: 'processing',
  rated: 'success',
  expired: 'default',
  superseded: 'default',
};

export function CsatPanel({ type, id }: { type: 'conversations' | 'tickets'; id: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const can = useCan();
  const zone = useMe().workspace.timezone;
  const subject = { type, id };
  const requests = useQuery({
    ...csatRequestsQuery(subject),
    // A rating arrives without a push: look again while one is awaited.
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.state === 'open') ? 10_000 : false),
  });
  const ask = useAskAgain(subject);
  const [asked, setAsked] = useState<Asked | null>(null);
  const manage = can(type === 'conversations' ? 'conversations.manage' : 'tickets.manage');

  return (
    <Flex vertical gap={8} data-testid="csat-panel">
      {requests.isLoading && <Skeleton active paragraph={{ rows: 1 }} />}
      {requests.data?.items.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('csat.none')} style={{ margin: 0 }} />
      )}
      {requests.data?.items.slice(0, 5).map((r) => (
        <div key={r.id} data-testid="csat-request" data-state={r.state}>
          <Flex justify="space-between" align="center" gap={8}>
            {r.rating ? (
              <Score score={r.rating.score} scale={r.rating.scale} />
            ) : (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDateTime(r.createdAt, zone)}
                {r.byHand ? ` · ${t('csat.byHand')}` : ''}
              </Typography.Text>
            )}
            <Tag color={stateColors[r.state]} style={{ marginInlineEnd: 0 }}>
              {t(`csat.state.${r.state}`)}
            </Tag>
          </Flex>
          {r.rating && (
            <>
              <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }} data-testid="csat-comment">
                {r.rating.comment || <Typography.Text type="secondary">{t('csat.noComment')}</Typography.Text>}
              </Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDateTime(r.rating.ratedAt, zone)} · {t(`csat.via.${r.rating.via}`)}
                {r.rating.agentId && (
                  <>
                    {' · '}
                    <Link to={`/agents/${r.rating.agentId}`} data-testid="csat-agent-link">
                      {t('csat.viewProfile')}
                    </Link>
                  </>
                )}
              </Typography.Text>
            </>
          )}
        </div>
      ))}
      {manage && (
        <Button
          size="small"
          loading={ask.isPending}
          data-testid="csat-ask"
          onClick={() =>
            ask.mutate(undefined, {
              onSuccess: (a) => {
                setAsked(a);
                void message.success(t('csat.requested'));
              },
              onError: (e) => void message.error(errorText(e)),
            })
          }
        >
          {t('csat.requestAgain')}
        </Button>
      )}
      {asked && (
        <Typography.Paragraph style={{ fontSize: 12, margin: 0 }}>
          {t('csat.linkHint', {
            hours: Math.round((Date.parse(asked.expiresAt) - Date.now()) / 3600_000),
          })}
          <Typography.Text
            copyable={{ text: asked.link }}
            code
            style={{ wordBreak: 'break-all' }}
            data-testid="csat-link"
          >
            {asked.link}
          </Typography.Text>
        </Typography.Paragraph>
      )}
    </Flex>
  );
}
