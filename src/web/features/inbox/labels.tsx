/** Conversation labels in the console: the workspace's list, a conversation's tags and its picker. */
import { useState } from 'react';
import { App, Button, Checkbox, Dropdown, Flex, Tag, Typography } from 'antd';
import { TagsOutlined } from '@ant-design/icons';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ConversationLabel, ConversationLabelBody } from '../../../shared/chat-api.ts';
import type { ConversationSummary } from '../../../shared/realtime/protocol.ts';
import { api } from '../../shared/http.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useCan } from '../auth/session.ts';
import { conversationsKey, storeSummary } from './api.ts';

export type { ConversationLabel, ConversationLabelBody };

export const labelsQuery = () =>
  queryOptions({
    queryKey: ['conversation-labels'],
    queryFn: () => api.get<{ items: ConversationLabel[] }>('/api/conversation-labels'),
    staleTime: 60_000,
  });

export function useLabelMutations() {
  const client = useQueryClient();
  const onSuccess = () => {
    void client.invalidateQueries({ queryKey: ['conversation-labels'] });
    void client.invalidateQueries({ queryKey: conversationsKey });
  };
  return {
    create: useMutation({
      mutationFn: (body: ConversationLabelBody) => api.post<ConversationLabel>('/api/conversation-labels', body),
      onSuccess,
    }),
    update: useMutation({
      mutationFn: ({ id, ...body }: ConversationLabelBody & { id: string }) =>
        api.patch<ConversationLabel>(`/api/conversation-labels/${encodeURIComponent(id)}`, body),
      onSuccess,
    }),
    remove: useMutation({
      mutationFn: (id: string) => api.delete(`/api/conversation-labels/${encodeURIComponent(id)}`),
      onSuccess,
    }),
  };
}

/** The labels of a conversation as coloured tags (unknown ids, e.g. a label just deleted, are left out). */
export function LabelTags({ ids, size = 'default' }: { ids: string[]; size?: 'small' | 'default' }) {
  const labels = useQuery({ ...labelsQuery(), enabled: ids.length > 0 });
  const byId = new Map((labels.data?.items ?? []).map((l) => [l.id, l]));
  const shown = ids.map((id) => byId.get(id)).filter((l) => l !== undefined);
  if (!shown.length) return null;
  return (
    <>
      {shown.map((l) => (
        <Tag
          key={l.id}
          color={l.color === 'default' ? undefined : l.color}
          style={{
            marginInlineEnd: 0,
            ...(size === 'small' ? { fontSize: 11, lineHeight: '16px', paddingInline: 4 } : {}),
          }}
          data-testid="conversation-label"
        >
          {l.name}
        </Tag>
      ))}
    </>
  );
}

/** The picker in a conversation's header: tick labels on and off; each change is saved at once. */
export function LabelPicker({ c }: { c: ConversationSummary }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const navigate = useNavigate();
  const canManage = useCan()('settings.manage');
  const labels = useQuery(labelsQuery());
  const set = useMutation({
    mutationFn: (labelIds: string[]) =>
      api.put<{ labelIds: string[] }>(`/api/conversations/${encodeURIComponent(c.id)}/labels`, { labelIds }),
    onSuccess: ({ labelIds }) => {
      storeSummary(client, { ...c, labelIds });
      void client.invalidateQueries({ queryKey: conversationsKey });
      void client.invalidateQueries({ queryKey: ['conversation-labels'] });
      void message.success(t('labels.saved'));
    },
    onError: (error) => void message.error(errorText(error)),
  });
  const [open, setOpen] = useState(false);
  const items = labels.data?.items ?? [];
  const toggle = (id: string) =>
    set.mutate(c.labelIds.includes(id) ? c.labelIds.filter((x) => x !== id) : [...c.labelIds, id]);

  return (
    <Dropdown
      trigger={['click']}
      open={open}
      // Ticking a label keeps the menu open, so several can be ticked in a row.
      onOpenChange={(next, info) => (info.source === 'trigger' || !next ? setOpen(next) : undefined)}
      menu={{
        items: [
          ...(items.length
            ? items.map((l) => ({
                key: l.id,
                label: (
                  <Flex gap={8} align="center">
                    <Checkbox checked={c.labelIds.includes(l.id)} tabIndex={-1} aria-hidden />
                    <Tag color={l.color === 'default' ? undefined : l.color} style={{ marginInlineEnd: 0 }}>
                      {l.name}
                    </Tag>
                  </Flex>
                ),
              }))
            : [
                {
                  key: '__none',
                  disabled: true,
                  label: <Typography.Text type="secondary">{t('labels.noLabels')}</Typography.Text>,
                },
              ]),
          ...(canManage ? [{ type: 'divider' as const }, { key: '__manage', label: t('labels.manage') }] : []),
        ],
        onClick: ({ key }) => {
          if (key === '__manage') navigate('/settings/labels');
          else if (key !== '__none') toggle(key);
        },
      }}
    >
      <Button icon={<TagsOutlined />} loading={set.isPending} title={t('labels.pickerHint')} data-testid="label-picker">
        {t('labels.picker')}
      </Button>
    </Dropdown>
  );
}
