/**
 * Presence and capacity in the console: the signed-in agent's own status (online takes new work;
 * busy and away keep what they have), and for supervisors (settings.manage) an agent's capacity
 * per kind of work and skills. The server refuses a capacity below 1 or a bad skill with a reason,
 * shown as it comes.
 */
import { App, Button, Form, InputNumber, Modal, Segmented, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoutingAgent } from '../../../shared/routing-api.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useSaveAgent, useSetMyStatus } from './api.ts';

export function MyStatus({ me }: { me: RoutingAgent }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const set = useSetMyStatus();
  return (
    <Segmented
      data-testid="my-status"
      value={me.status}
      options={(['online', 'busy', 'away'] as const).map((s) => ({ value: s, label: t(`routing.presences.${s}`) }))}
      onChange={(status) =>
        set.mutate(status as 'online' | 'busy' | 'away', { onError: (e) => void message.error(errorText(e)) })
      }
    />
  );
}

export function EditAgent({ agent }: { agent: RoutingAgent }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const save = useSaveAgent();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ capacityChat: number; capacityTicket: number; skills: string[] }>();
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        {t('routing.edit')}
      </Button>
      <Modal
        open={open}
        title={t('routing.editTitle', { name: agent.name })}
        okText={t('routing.save')}
        confirmLoading={save.isPending}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{
            capacityChat: agent.capacityChat,
            capacityTicket: agent.capacityTicket,
            skills: agent.skills,
          }}
          onFinish={(v) =>
            save.mutate(
              { userId: agent.userId, ...v },
              {
                onSuccess: () => {
                  void message.success(t('routing.saved'));
                  setOpen(false);
                },
                onError: (e) => void message.error(errorText(e)),
              },
            )
          }
        >
          <Form.Item name="capacityChat" label={t('routing.capacityChat')} rules={[{ required: true }]}>
            <InputNumber min={1} max={100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="capacityTicket" label={t('routing.capacityTicket')} rules={[{ required: true }]}>
            <InputNumber min={1} max={500} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="skills" label={t('routing.skills')} extra={t('routing.skillsHint')}>
            <Select mode="tags" tokenSeparators={[',', '，']} maxCount={50} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
