import { useEffect, useRef } from 'react';
import { Empty, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CannedReply } from './api.ts';

/** The list that `/` opens above the composer; the composer owns the keyboard (↑ ↓ Enter Esc). */
export function CannedPicker({
  items,
  active,
  onPick,
  onHover,
}: {
  items: CannedReply[];
  active: number;
  onPick: (reply: CannedReply) => void;
  onHover: (index: number) => void;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const list = useRef<HTMLDivElement>(null);

  useEffect(() => {
    list.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  return (
    <div
      ref={list}
      role="listbox"
      data-testid="canned-picker"
      style={{
        position: 'absolute',
        left: 12,
        right: 12,
        bottom: '100%',
        marginBottom: 4,
        maxHeight: 240,
        overflowY: 'auto',
        zIndex: 5,
        background: token.colorBgElevated,
        borderRadius: 8,
        boxShadow: token.boxShadowSecondary,
        border: `1px solid ${token.colorBorderSecondary}`,
      }}
    >
      <div
        style={{
          padding: '6px 12px',
          fontSize: 12,
          color: token.colorTextTertiary,
          borderBottom: `1px solid ${token.colorSplit}`,
        }}
      >
        {t('inbox.cannedHint')}
      </div>
      {items.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inbox.cannedNone')} style={{ margin: '12px 0' }} />
      )}
      {items.map((reply, index) => (
        <div
          key={reply.id}
          role="option"
          // The composer keeps focus (aria-activedescendant style): options are focusable by script only.
          tabIndex={-1}
          aria-selected={index === active}
          data-index={index}
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(reply);
          }}
          onMouseEnter={() => onHover(index)}
          style={{
            padding: '6px 12px',
            cursor: 'pointer',
            background: index === active ? token.controlItemBgActive : undefined,
          }}
        >
          <Typography.Text code>/{reply.shortCode}</Typography.Text>{' '}
          <Typography.Text type="secondary" ellipsis style={{ maxWidth: '80%' }}>
            {reply.content}
          </Typography.Text>
        </div>
      ))}
    </div>
  );
}
