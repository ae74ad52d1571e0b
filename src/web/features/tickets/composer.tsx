import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Dropdown,
  Flex,
  Input,
  Segmented,
  Space,
  Tag,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import { DownOutlined, LoadingOutlined, LockOutlined, PaperClipOutlined, SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Attachment } from '../../../shared/realtime/protocol.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useMe } from '../auth/session.ts';
import { uploadFile } from '../inbox/api.ts';
import { useReply, type Ticket } from './api.ts';
import { defaultComposerMode, transitions, type TicketStatus } from './model.ts';
import { useLookups } from './use-lookups.ts';
import { useTicketErrors } from './use-ticket-errors.ts';

type Mode = 'reply' | 'note';
const submitStatuses: TicketStatus[] = ['open', 'pending', 'on_hold', 'solved'];
/** The server takes at most this many attachments with one reply. */
const maxAttachments = 10;
/** A file picked for the reply: uploading (no attachment yet) or uploaded. */
type Pending = { uid: string; name: string; attachment?: Attachment };

/** Public reply or internal note, submitted with the ticket's next status ("submit as pending"). */
export function Composer({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reply = useReply();
  const onError = useTicketErrors();
  const { fields } = useLookups();
  const [mode, setMode] = useState<Mode>(() => defaultComposerMode(ticket));
  const [body, setBody] = useState('');
  const me = useMe();
  const errorText = useErrorText();
  const [files, setFiles] = useState<Pending[]>([]);
  const uploading = files.some((f) => !f.attachment);
  const isPublic = mode === 'reply';
  // A public reply opens a new ticket unless told otherwise; otherwise the status stays.
  const keep: TicketStatus = isPublic && ticket.status === 'new' ? 'open' : ticket.status;
  const others = submitStatuses.filter(
    (s) => s !== keep && (s === ticket.status || transitions[ticket.status].includes(s)),
  );

  const send = (status?: TicketStatus) => {
    const text = body.trim();
    if (!text || uploading) return;
    // The reply endpoint does not check the fields required before solving (PATCH does): check here.
    const missing =
      status === 'solved' && ticket.status !== 'solved'
        ? fields.filter(
            (f) =>
              f.requiredOnSolve && [undefined, null, ''].includes(ticket.fields[f.key] as string | null | undefined),
          )
        : [];
    if (missing.length)
      return void message.error(
        t('tickets.fieldsRequired', { fields: missing.map((f) => f.label).join(t('tickets.listSeparator')) }),
      );
    const attachments = files.flatMap((f) => (f.attachment ? [{ id: f.attachment.id }] : []));
    reply.mutate(
      {
        id: ticket.id,
        body: text,
        public: isPublic,
        ...(status && status !== ticket.status ? { status } : {}),
        ...(attachments.length ? { attachments } : {}),
      },
      {
        onSuccess: () => {
          setBody('');
          setFiles([]);
          void message.success(isPublic ? t('tickets.composer.sent') : t('tickets.composer.noted'));
        },
        onError: (error) => onError(error, ticket.id),
      },
    );
  };

  if (ticket.status === 'closed') return <Alert type="info" showIcon title={t('tickets.composer.closed')} />;

  return (
    <Card
      size="small"
      data-testid="composer"
      styles={{ body: { background: isPublic ? undefined : '#fffbe6', borderRadius: 8 } }}
    >
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }} wrap gap={8}>
        <Segmented<Mode>
          value={mode}
          onChange={setMode}
          data-testid="composer-mode"
          options={[
            { value: 'reply', label: t('tickets.composer.reply'), icon: <SendOutlined /> },
            { value: 'note', label: t('tickets.composer.note'), icon: <LockOutlined /> },
          ]}
        />
        <Typography.Text type={isPublic && !ticket.conversationId ? 'warning' : 'secondary'} style={{ fontSize: 12 }}>
          {!isPublic
            ? t('tickets.composer.noteHint')
            : ticket.conversationId
              ? t('tickets.composer.viaChat')
              : t('tickets.composer.noChannel')}
        </Typography.Text>
      </Flex>
      <Input.TextArea
        value={body}
        onChange={(e) => setBody(e.target.value)}
        autoSize={{ minRows: 3, maxRows: 12 }}
        maxLength={20000}
        placeholder={isPublic ? t('tickets.composer.replyPlaceholder') : t('tickets.composer.notePlaceholder')}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            send(keep);
          }
        }}
        data-testid="composer-body"
        style={{ background: isPublic ? undefined : '#fffdf0' }}
      />
      {files.length > 0 && (
        <Flex wrap gap={6} style={{ marginTop: 8 }} data-testid="composer-attachments">
          {files.map((f) => (
            <Tag
              key={f.uid}
              icon={f.attachment ? <PaperClipOutlined /> : <LoadingOutlined />}
              closable
              onClose={() => setFiles((list) => list.filter((x) => x.uid !== f.uid))}
              closeIcon={<span aria-label={t('tickets.composer.removeAttachment', { name: f.name })}>×</span>}
              style={{ marginInlineEnd: 0, maxWidth: 260, overflow: 'hidden', textOverflow: 'ellipsis' }}
              data-testid="composer-attachment"
            >
              {f.name}
            </Tag>
          ))}
        </Flex>
      )}
      <Flex justify="space-between" align="center" style={{ marginTop: 8 }}>
        <Space size={8}>
          <Upload
            multiple
            showUploadList={false}
            disabled={files.length >= maxAttachments}
            beforeUpload={(file, batch) => {
              // Keep within the server's limit: the files past it are not uploaded (one warning per batch).
              const over = files.length + batch.indexOf(file) - maxAttachments;
              if (over < 0) return true;
              if (over === 0) void message.warning(t('tickets.composer.tooManyAttachments', { max: maxAttachments }));
              return Upload.LIST_IGNORE;
            }}
            customRequest={({ file, onSuccess, onError: failed }) => {
              const f = file as File & { uid: string };
              setFiles((list) => [...list, { uid: f.uid, name: f.name }]);
              uploadFile(f, me.csrfToken).then(
                (attachment) => {
                  setFiles((list) => list.map((x) => (x.uid === f.uid ? { ...x, attachment } : x)));
                  onSuccess?.(attachment);
                },
                (error: unknown) => {
                  setFiles((list) => list.filter((x) => x.uid !== f.uid));
                  void message.error(t('tickets.composer.uploadFailed', { name: f.name, reason: errorText(error) }));
                  failed?.(error instanceof Error ? error : new Error(String(error)));
                },
              );
            }}
          >
            <Tooltip title={t('tickets.composer.attach')}>
              <Button
                size="small"
                icon={<PaperClipOutlined />}
                aria-label={t('tickets.composer.attach')}
                disabled={files.length >= maxAttachments}
                data-testid="composer-attach"
              />
            </Tooltip>
          </Upload>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('tickets.composer.shortcut')}
          </Typography.Text>
        </Space>
        <Space.Compact>
          <Button
            type="primary"
            loading={reply.isPending}
            disabled={!body.trim() || uploading}
            onClick={() => send(keep)}
            data-testid="composer-submit"
          >
            {t('tickets.composer.submitAs', { status: t(`tickets.status.${keep}`) })}
          </Button>
          <Dropdown
            trigger={['click']}
            disabled={!body.trim() || uploading || reply.isPending || !others.length}
            menu={{
              items: others.map((s) => ({
                key: s,
                label: (
                  <span data-testid={`submit-as-${s}`}>
                    {t('tickets.composer.submitAs', { status: t(`tickets.status.${s}`) })}
                  </span>
                ),
              })),
              onClick: ({ key }) => send(key as TicketStatus),
            }}
          >
            <Button
              type="primary"
              icon={<DownOutlined />}
              aria-label={t('tickets.composer.moreStatuses')}
              data-testid="composer-more"
            />
          </Dropdown>
        </Space.Compact>
      </Flex>
    </Card>
  );
}
