/**
 * Surge mode on the war room: whether it is on, why (by hand, schedule, the promotion calendar,
 * the queue's length) and since when, the notice shoppers see and the deferred inboxes; for
 * supervisors with settings.manage, auto / on / off and the settings (thresholds with hysteresis,
 * the promotion calendar, the notice, deferred inboxes). Schedule windows are kept as saved (API).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  InputNumber,
  Modal,
  Segmented,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SurgeSettings, SurgeState } from '../../../shared/routing-api.ts';
import { api } from '../../shared/http.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { usePhone } from '../../layout/use-phone.ts';
import { useCan } from '../auth/session.ts';
import { inboxesQuery } from '../inboxes/api.ts';

function useSaveSurge() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SurgeSettings) => api.put<SurgeState>('/api/routing/surge', body),
    onSettled: () => qc.invalidateQueries({ queryKey: ['routing'] }),
  });
}

export function SurgePanel({ surge }: { surge: SurgeState }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const can = useCan();
  const save = useSaveSurge();
  const phone = usePhone();
  const [open, setOpen] = useState(false);
  const why =
    surge.reason === 'promotion'
      ? t('routing.surge.reasons.promotion', { name: surge.promotion ?? '' })
      : surge.reason
        ? t(`routing.surge.reasons.${surge.reason as 'manual'}`)
        : '';
  const set = (settings: SurgeSettings) =>
    save.mutate(settings, {
      onSuccess: () => void message.success(t('routing.saved')),
      onError: (e) => void message.error(errorText(e)),
    });
  const controls = can('settings.manage') && (
    <Space wrap>
      <Segmented
        data-testid="surge-mode"
        value={surge.settings.mode}
        options={(['auto', 'on', 'off'] as const).map((m) => ({ value: m, label: t(`routing.surge.modes.${m}`) }))}
        onChange={(mode) => set({ ...surge.settings, mode: mode as SurgeSettings['mode'] })}
      />
      <Button size="small" onClick={() => setOpen(true)}>
        {t('routing.surge.settings')}
      </Button>
    </Space>
  );
  const text = surge.active ? (
    <span>
      {t('routing.surge.notice')}：「{surge.settings.notice}」
      {surge.deferInboxNames.length > 0 && ` · ${t('routing.surge.deferred')}：${surge.deferInboxNames.join('、')}`}
    </span>
  ) : surge.settings.queueAbove !== null ? (
    t('routing.surge.autoAt', { n: surge.settings.queueAbove })
  ) : null;
  // Surge is a chosen way of working, not a failure: warning (orange), never red. On a phone the
  // controls go below the text, else the title is squeezed to one character a line.
  return (
    <div data-testid="surge" style={{ marginTop: 12 }}>
      <Alert
        type={surge.active ? 'warning' : 'info'}
        showIcon
        message={
          <Typography.Text strong style={{ fontSize: surge.active ? 18 : 14 }}>
            {surge.active ? t('routing.surge.on', { why }) : t('routing.surge.off')}
          </Typography.Text>
        }
        description={
          text || (phone && controls) ? (
            <>
              {text}
              {phone && controls && <div style={{ marginTop: 8 }}>{controls}</div>}
            </>
          ) : undefined
        }
        action={phone ? undefined : controls}
      />
      {open && <SurgeForm surge={surge} onClose={() => setOpen(false)} onSave={set} />}
    </div>
  );
}

function SurgeForm({
  surge,
  onClose,
  onSave,
}: {
  surge: SurgeState;
  onClose: () => void;
  onSave: (s: SurgeSettings) => void;
}) {
  const { t } = useTranslation();
  const inboxes = useQuery(inboxesQuery()).data?.items ?? [];
  const [form] = Form.useForm<SurgeSettings>();
  return (
    <Modal
      open
      title={t('routing.surge.settings')}
      okText={t('routing.save')}
      onCancel={onClose}
      onOk={() =>
        void form.validateFields().then((v) => {
          onSave({ ...surge.settings, ...v, queueAbove: v.queueAbove ?? null, queueBelow: v.queueBelow ?? null });
          onClose();
        })
      }
    >
      <Form form={form} layout="vertical" initialValues={surge.settings}>
        <Form.Item name="queueAbove" label={t('routing.surge.queueAbove')}>
          <InputNumber min={1} max={100000} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="queueBelow" label={t('routing.surge.queueBelow')} extra={t('routing.surge.queueBelowHint')}>
          <InputNumber min={0} max={100000} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="promotions" label={t('routing.surge.promotions')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="notice" label={t('routing.surge.notice')} rules={[{ required: true, max: 300 }]}>
          <Input.TextArea rows={3} maxLength={300} showCount />
        </Form.Item>
        <Form.Item name="deferInboxes" label={t('routing.surge.deferred')} extra={t('routing.surge.deferredHint')}>
          <Select mode="multiple" options={inboxes.map((i) => ({ value: i.id, label: i.name }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
