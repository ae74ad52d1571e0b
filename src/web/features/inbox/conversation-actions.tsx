import { useState } from 'react';
import { App, Button, DatePicker, Divider, Dropdown, Flex, Popover, Space, Typography, type MenuProps } from 'antd';
import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  DownOutlined,
  EllipsisOutlined,
  RollbackOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { can } from '../../../shared/permissions.ts';
import type { ConversationSummary } from '../../../shared/realtime/protocol.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useCan, useMe } from '../auth/session.ts';
import { useChatLoadOf, WithPresence } from '../routing/presence.tsx';
import { useReassign } from '../routing/api.ts';
import { groupsQuery } from '../tickets/config-api.ts';
import { ApiError } from '../../shared/http.ts';
import { CreateTicketFromConversation } from '../tickets/create-from-conversation.tsx';
import { LabelPicker } from './labels.tsx';
import { assignableUsersQuery, useUpdateConversation, type UpdateConversationBody } from './api.ts';
import { shownName } from '../../shared/format.ts';

/** Snooze presets in the agent's local time: in an hour, tomorrow 09:00, next Monday 09:00. */
function presets(now = new Date()): { key: 'hour' | 'tomorrow' | 'nextWeek'; at: Date }[] {
  const hour = new Date(now.getTime() + 3600_000);
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  const monday = new Date(now);
  monday.setDate(now.getDate() + ((8 - now.getDay()) % 7 || 7));
  monday.setHours(9, 0, 0, 0);
  return [
    { key: 'hour', at: hour },
    { key: 'tomorrow', at: tomorrow },
    { key: 'nextWeek', at: monday },
  ];
}

/** The users a conversation may go to, by name (needs users.read; others see "me" only). */
export function useAssignees() {
  const allowed = useCan()('users.read');
  const users = useQuery({ ...assignableUsersQuery(), enabled: allowed });
  return (users.data?.items ?? []).filter((u) => !u.disabled && can(u.role, 'conversations.manage'));
}

export function ConversationActions({ c }: { c: ConversationSummary }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const me = useMe();
  const loadOf = useChatLoadOf();
  const canManageTickets = useCan()('tickets.manage');
  const update = useUpdateConversation();
  const assignees = useAssignees();
  // Transfer to a group (routing queues it for the group's members, keeping its place in the queue).
  const groups = useQuery({ ...groupsQuery(), enabled: useCan()('tickets.read') }).data?.items ?? [];
  const transfer = useReassign();
  const [snoozeOpen, setSnoozeOpen] = useState(false);
  const [custom, setCustom] = useState<string | null>(null);

  const patch = (body: UpdateConversationBody, done: string) =>
    update.mutate(
      { id: c.id, ...body },
      {
        onSuccess: () => void message.success(done),
        onError: (error) => void message.error(errorText(error)),
      },
    );
  const supervisor = ['owner', 'admin', 'supervisor'].includes(me.user.role);
  const assign = (to: string | null, force = false) =>
    update.mutate(
      { id: c.id, assigneeId: to, ...(force ? { force: true } : {}) },
      {
        onSuccess: () => void message.success(to ? t('inbox.assigned') : t('inbox.unassigned')),
        onError: (error) => {
          const full = error instanceof ApiError && error.code === 'agent_full' && to;
          if (!full || !supervisor) return void message.error(errorText(error));
          const l = loadOf(to);
          modal.confirm({
            title: t('inbox.agentFull'),
            content: l ? t('inbox.fullLoad', { n: l.chats, cap: l.capacityChat }) : error.message,
            okText: t('inbox.assignAnyway'),
            onOk: () => assign(to, true),
          });
        },
      },
    );
  const snooze = (at: string) => {
    setSnoozeOpen(false);
    patch({ status: 'snoozed', snoozedUntil: at }, t('inbox.snoozed'));
  };

  // Each agent's chats against their capacity; a full one is refused by the server with the reason,
  // and a supervisor may assign anyway after confirming.
  const load = (id: string) => {
    const l = loadOf(id);
    return l ? (
      <Typography.Text
        type={l.chats >= l.capacityChat ? 'danger' : 'secondary'}
        style={{ fontSize: 12, marginInlineStart: 6 }}
        data-testid="assignee-load"
      >
        {l.chats >= l.capacityChat
          ? t('inbox.fullLoad', { n: l.chats, cap: l.capacityChat })
          : t('inbox.load', { n: l.chats, cap: l.capacityChat })}
      </Typography.Text>
    ) : null;
  };
  const others = assignees.filter((u) => u.id !== me.user.id);
  const assignItems: MenuProps['items'] = [
    {
      key: me.user.id,
      label: (
        <>
          {t('inbox.assignToMe')}
          {load(me.user.id)}
        </>
      ),
      disabled: c.assigneeId === me.user.id,
    },
    ...(others.length
      ? [
          { type: 'divider' as const },
          ...others.map((u) => ({
            key: u.id,
            label: (
              <WithPresence userId={u.id}>
                {shownName(u)}
                {load(u.id)}
              </WithPresence>
            ),
            disabled: c.assigneeId === u.id,
          })),
        ]
      : []),
    ...(groups.length
      ? [
          { type: 'divider' as const },
          {
            key: '__groups',
            label: t('inbox.toGroup'),
            children: groups.map((g) => ({ key: `group:${g.id}`, label: g.name })),
          },
        ]
      : []),
    ...(c.assigneeId
      ? [{ type: 'divider' as const }, { key: '__none', label: t('inbox.unassign'), danger: true }]
      : []),
  ];
  const toGroup = (groupId: string) =>
    transfer.mutate(
      { conversationId: c.id, groupId },
      {
        onSuccess: () => void message.success(t('inbox.toGroupDone')),
        onError: (error) => void message.error(errorText(error)),
      },
    );

  const resolved = c.status === 'resolved';
  const moreItems: MenuProps['items'] = [
    ...(c.status !== 'pending' && !resolved ? [{ key: 'pending', label: t('inbox.markPending') }] : []),
    ...(c.status === 'pending' || c.status === 'snoozed' ? [{ key: 'open', label: t('inbox.reopen') }] : []),
  ];
  return (
    <Space size={6} wrap>
      <Dropdown
        trigger={['click']}
        menu={{
          items: assignItems,
          // The group submenu opens on a tap (phones have no hover; a hover that misses the title closed it).
          triggerSubMenuAction: 'click',
          onClick: ({ key }) =>
            key.startsWith('group:') ? toGroup(key.slice('group:'.length)) : assign(key === '__none' ? null : key),
        }}
      >
        <Button icon={<UserSwitchOutlined />} data-testid="assign">
          {t('inbox.assign')} <DownOutlined style={{ fontSize: 10 }} />
        </Button>
      </Dropdown>
      <Popover
        trigger="click"
        open={snoozeOpen}
        onOpenChange={setSnoozeOpen}
        title={t('inbox.snoozeUntil')}
        placement="bottomRight"
        content={
          <div style={{ width: 260 }}>
            <Flex vertical gap={4}>
              {presets().map((p) => (
                <Button key={p.key} block onClick={() => snooze(p.at.toISOString())} style={{ textAlign: 'left' }}>
                  {t(`inbox.snoozePresets.${p.key}`)}
                </Button>
              ))}
            </Flex>
            <Divider plain style={{ margin: '10px 0', fontSize: 12 }}>
              {t('inbox.snoozeCustom')}
            </Divider>
            <Flex gap={6}>
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                style={{ flex: 1 }}
                disabledDate={(d) => d.valueOf() < Date.now() - 86_400_000}
                onChange={(d) => setCustom(d ? d.toISOString() : null)}
                getPopupContainer={(node) => node.parentElement ?? document.body}
              />
              <Button
                type="primary"
                disabled={!custom || Date.parse(custom) <= Date.now()}
                onClick={() => custom && snooze(custom)}
              >
                {t('common.confirm')}
              </Button>
            </Flex>
          </div>
        }
      >
        <Button icon={<ClockCircleOutlined />} data-testid="snooze">
          {t('inbox.snooze')}
        </Button>
      </Popover>
      <LabelPicker c={c} />
      {canManageTickets && <CreateTicketFromConversation c={c} />}
      {resolved ? (
        <Button
          icon={<RollbackOutlined />}
          onClick={() => patch({ status: 'open' }, t('inbox.reopened'))}
          data-testid="reopen"
        >
          {t('inbox.reopen')}
        </Button>
      ) : (
        <Button
          type="primary"
          icon={<CheckCircleOutlined />}
          onClick={() => patch({ status: 'resolved' }, t('inbox.resolvedDone'))}
          data-testid="resolve"
          style={{ background: '#52c41a' }}
        >
          {t('inbox.resolve')}
        </Button>
      )}
      {moreItems.length > 0 && (
        <Dropdown
          trigger={['click']}
          menu={{
            items: moreItems,
            onClick: ({ key }) =>
              patch(
                { status: key as 'pending' | 'open' },
                key === 'pending' ? t('inbox.markedPending') : t('inbox.reopened'),
              ),
          }}
        >
          <Button icon={<EllipsisOutlined />} aria-label={t('inbox.more')} data-testid="more-actions" />
        </Dropdown>
      )}
    </Space>
  );
}
