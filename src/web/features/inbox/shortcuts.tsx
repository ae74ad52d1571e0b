import { useEffect, useState } from 'react';
import { Modal, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/session.ts';
import { useUpdateConversation } from './api.ts';

/** The inbox's keys: each acts on the open conversation or the list, never while typing. */
export const shortcutKeys = [
  ['j', 'next'],
  ['k', 'previous'],
  ['a', 'assignToMe'],
  ['e', 'resolve'],
  ['z', 'snooze'],
  ['n', 'note'],
  ['/', 'canned'],
  ['s', 'search'],
  ['?', 'help'],
] as const;

const typing = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

const click = (selector: string) => (document.querySelector(selector) as HTMLElement | null)?.click();

/** Opens the conversation next to the current one in the list (+1 down, -1 up). */
function step(by: 1 | -1, openConv: string | null, open: (id: string) => void) {
  const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="conversation-row"]')];
  const ids = rows.map((r) => r.dataset.conversation ?? '');
  const at = openConv ? ids.indexOf(openConv) : -1;
  const next = ids[Math.min(Math.max(at + by, 0), ids.length - 1)];
  if (next && next !== openConv) open(next);
}

/** Puts text into the composer as if typed (React sees an input event), and focuses it. */
function typeIntoComposer(text: string) {
  const area = document.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]');
  if (!area) return;
  area.focus();
  document.execCommand('insertText', false, text);
}

/** Keyboard shortcuts of the inbox and the `?` sheet that lists them. */
export function InboxShortcuts({ openConv, open }: { openConv: string | null; open: (id: string) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const update = useUpdateConversation();
  const [help, setHelp] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      const act: Record<string, () => void> = {
        j: () => step(1, openConv, open),
        k: () => step(-1, openConv, open),
        a: () => openConv && update.mutate({ id: openConv, assigneeId: me.user.id }),
        e: () => click('[data-testid="resolve"]'),
        z: () => click('[data-testid="snooze"]'),
        n: () => {
          click('[data-testid="composer-mode"] .ant-segmented-item:last-child');
          setTimeout(() => document.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')?.focus(), 0);
        },
        '/': () => typeIntoComposer('/'),
        s: () => document.querySelector<HTMLInputElement>('[data-testid="conversation-search"] input')?.focus(),
        '?': () => setHelp(true),
      };
      const run = act[e.key];
      if (!run) return;
      e.preventDefault();
      run();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [openConv, open, update, me.user.id]);

  return (
    <Modal open={help} onCancel={() => setHelp(false)} footer={null} title={t('inbox.shortcuts.title')} destroyOnHidden>
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        data-testid="shortcut-sheet"
        dataSource={shortcutKeys.map(([key, what]) => ({ key, what }))}
        columns={[
          {
            title: t('inbox.shortcuts.key'),
            dataIndex: 'key',
            width: 80,
            render: (k: string) => <Typography.Text keyboard>{k}</Typography.Text>,
          },
          {
            title: t('inbox.shortcuts.action'),
            dataIndex: 'what',
            render: (w: (typeof shortcutKeys)[number][1]) => t(`inbox.shortcuts.${w}`),
          },
        ]}
      />
    </Modal>
  );
}
