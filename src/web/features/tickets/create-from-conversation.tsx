import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Typography } from 'antd';
import { FileAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ConversationSummary } from '../../../shared/realtime/protocol.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useCreateTicket } from './api.ts';
import { priorities, type Priority } from './model.ts';
import { useLookups } from './use-lookups.ts';
import { csatRequestOf } from '../../../shared/csat-card.ts';

type Values = { subject: string; type: string; priority: Priority };

/** The subject a ticket starts with: the conversation's last message, on one line, cut to the subject limit. */
const subjectOf = (c: ConversationSummary) =>
  (csatRequestOf(c.lastMessagePreview ?? '') ? '' : (c.lastMessagePreview ?? ''))
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);

function CreateFromConversationModal({ c, onClose }: { c: ConversationSummary; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const lookups = useLookups();
  const create = useCreateTicket();
  const [form] = Form.useForm<Values>();

  const submit = (values: Values) =>
    create.mutate(
      { subject: values.subject.trim(), type: values.type, priority: values.priority, conversationId: c.id },
      {
        onSuccess: (ticket) => {
          void message.success(t('tickets.created', { number: ticket.number }));
          onClose();
          navigate(`/tickets/${ticket.id}`);
        },
      },
    );

  return (
    <Modal
      open
      title={t('tickets.fromConversation.title')}
      onCancel={onClose}
      okText={t('tickets.fromConversation.submit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      okButtonProps={{ loading: create.isPending, 'data-testid': 'ticket-from-conversation-submit' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('tickets.fromConversation.explain')}
      </Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={() => create.error && create.reset()}
        initialValues={{ subject: subjectOf(c), type: 'inquiry', priority: 'normal' }}
      >
        <Form.Item
          name="subject"
          label={t('tickets.fields.subject')}
          rules={[{ required: true, whitespace: true, message: t('tickets.subjectRequired') }, { max: 200 }]}
        >
          <Input autoComplete="off" data-testid="ticket-from-conversation-subject" />
        </Form.Item>
        <Form.Item name="type" label={t('tickets.fields.type')}>
          <Select options={lookups.typeOptions()} data-testid="ticket-from-conversation-type" />
        </Form.Item>
        <Form.Item name="priority" label={t('tickets.fields.priority')}>
          <Select
            options={priorities.map((p) => ({ value: p, label: t(`tickets.priority.${p}`) }))}
            data-testid="ticket-from-conversation-priority"
          />
        </Form.Item>
      </Form>
      {create.error && (
        <Alert type="error" showIcon title={errorText(create.error)} data-testid="ticket-from-conversation-error" />
      )}
    </Modal>
  );
}

/** "Create ticket" on a conversation: a small form, then the new ticket's page (409 when one is already open for it). */
export function CreateTicketFromConversation({ c }: { c: ConversationSummary }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<FileAddOutlined />} onClick={() => setOpen(true)} data-testid="create-ticket-from-conversation">
        {t('tickets.fromConversation.open')}
      </Button>
      {open && <CreateFromConversationModal c={c} onClose={() => setOpen(false)} />}
    </>
  );
}
