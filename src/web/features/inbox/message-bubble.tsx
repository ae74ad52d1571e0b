import { Button, Flex, Image, Spin, Tag, Typography, theme } from 'antd';
import { CheckOutlined, ExclamationCircleOutlined, PaperClipOutlined, RobotOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { csatRequestOf } from '../../../shared/csat-card.ts';
import { splitButtons } from '../../../shared/bot-buttons.ts';
import { orderCardOf } from '../../../shared/order-card.ts';
import type { OutboxState } from '../../../shared/realtime/outbox.ts';
import type { Attachment, MessageKind } from '../../../shared/realtime/protocol.ts';
import { OrderCardView } from '../store/order-card.tsx';
import { formatBytes, linkParts } from './text.ts';

/** What a bubble needs: a committed message or a pending send look the same to it. */
export type BubbleData = {
  key: string;
  kind: MessageKind;
  body: string;
  attachments: Attachment[];
  side: 'customer' | 'agent' | 'system' | 'bot';
  senderName: string | null;
  time: string;
  /** For the agent's own side: whether the shopper has read it (undefined: not applicable). */
  read?: boolean;
  pending?: OutboxState;
  error?: string;
};

const noteBg = '#fffbe6';
const noteBorder = '#ffe58f';

function Attachments({ items, image }: { items: Attachment[]; image: boolean }) {
  if (!items.length) return null;
  return (
    <Flex vertical gap={6} style={{ marginTop: 4 }}>
      {items.map((a) =>
        image || a.mime.startsWith('image/') ? (
          <Image
            key={a.id}
            src={a.url}
            alt={a.name}
            width={200}
            style={{ borderRadius: 6, maxHeight: 240, objectFit: 'cover' }}
            data-testid="message-image"
          />
        ) : (
          <a key={a.id} href={a.url} target="_blank" rel="noreferrer" download={a.name} data-testid="message-file">
            <PaperClipOutlined /> {a.name}{' '}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              ({formatBytes(a.size)})
            </Typography.Text>
          </a>
        ),
      )}
    </Flex>
  );
}

export function MessageBubble({ m, onRetry }: { m: BubbleData; onRetry?: () => void }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();

  if (m.side === 'system' || m.kind === 'system') {
    return (
      <div style={{ textAlign: 'center', margin: '8px 0' }} data-testid="message-system">
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {csatRequestOf(m.body) ? t('csat.cardSent') : m.body} · {m.time}
        </Typography.Text>
      </div>
    );
  }

  const right = m.side === 'agent';
  const note = m.kind === 'note';
  // A bot's quick replies ride at the end of its body: shown as tags, as the shopper sees buttons.
  const { text: body, buttons } = m.side === 'bot' ? splitButtons(m.body) : { text: m.body, buttons: [] };
  // An order card (shared/order-card.ts) is drawn as the shopper sees it; only agents' and the bot's count.
  const card = m.side === 'agent' || m.side === 'bot' ? orderCardOf(m.body) : null;
  const background = note ? noteBg : right ? token.colorPrimaryBg : token.colorFillQuaternary;
  const border = note ? noteBorder : right ? token.colorPrimaryBorder : token.colorBorderSecondary;

  return (
    <Flex justify={right ? 'flex-end' : 'flex-start'} style={{ margin: '6px 0' }}>
      <div
        style={{ maxWidth: '72%', opacity: m.pending === 'sending' ? 0.55 : 1 }}
        data-testid={note ? 'message-note' : right ? 'message-agent' : 'message-customer'}
      >
        <div
          style={{
            fontSize: 12,
            color: token.colorTextSecondary,
            textAlign: right ? 'right' : 'left',
            marginBottom: 2,
          }}
        >
          {m.side === 'bot' && <RobotOutlined style={{ marginInlineEnd: 4 }} />}
          {note && (
            <Typography.Text strong style={{ fontSize: 12, color: '#ad6800', marginInlineEnd: 6 }}>
              {t('inbox.note')}
            </Typography.Text>
          )}
          {m.senderName ?? (m.side === 'agent' && t('inbox.agentNoDisplayName'))}
        </div>
        <div
          style={{
            background,
            border: `1px solid ${border}`,
            borderRadius: 10,
            padding: '6px 10px',
            borderTopRightRadius: right ? 2 : 10,
            borderTopLeftRadius: right ? 10 : 2,
            whiteSpace: 'pre-wrap',
            wordBreak: 'break-word',
          }}
        >
          {card && <OrderCardView card={card} />}
          {body && !card && (
            <div data-testid="message-body">
              {linkParts(body).map((part, i) =>
                part.href ? (
                  <a key={i} href={part.href} target="_blank" rel="noopener noreferrer nofollow">
                    {part.text}
                  </a>
                ) : (
                  part.text
                ),
              )}
            </div>
          )}
          <Attachments items={m.attachments} image={m.kind === 'image'} />
          {buttons.length > 0 && (
            <Flex gap={4} wrap style={{ marginTop: 6 }} data-testid="message-buttons">
              {buttons.map((b) => (
                <Tag key={b} color="blue" style={{ marginInlineEnd: 0 }}>
                  {b}
                </Tag>
              ))}
            </Flex>
          )}
        </div>
        <Flex
          gap={6}
          justify={right ? 'flex-end' : 'flex-start'}
          align="center"
          style={{ fontSize: 12, color: token.colorTextTertiary, marginTop: 2 }}
        >
          {m.pending === 'sending' && <Spin size="small" data-testid="message-pending" />}
          {m.pending === 'failed' && (
            <>
              <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="message-failed">
                <ExclamationCircleOutlined /> {t('inbox.sendFailed')}
                {m.error ? ` (${m.error})` : ''}
              </Typography.Text>
              {onRetry && (
                <Button size="small" type="link" style={{ padding: 0, height: 'auto' }} onClick={onRetry}>
                  {t('common.retry')}
                </Button>
              )}
            </>
          )}
          <span>{m.time}</span>
          {m.read !== undefined && !m.pending && (
            <span
              style={{ color: m.read ? token.colorSuccess : undefined }}
              data-testid={m.read ? 'receipt-read' : 'receipt-sent'}
            >
              {m.read ? (
                <>
                  <CheckOutlined /> {t('inbox.read')}
                </>
              ) : (
                t('inbox.unread')
              )}
            </span>
          )}
        </Flex>
      </div>
    </Flex>
  );
}
