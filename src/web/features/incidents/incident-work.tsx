/** Working an incident from its page: state changes (with who won a race), notes and public updates, the severity. */
import { useState } from 'react';
import { App, Button, Card, Checkbox, Flex, Input, Modal, Popconfirm, Space, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { IncidentSeverity } from '../../../shared/incidents-api.ts';
import { formatDateTime } from '../../shared/format.ts';
import { ApiError } from '../../shared/http.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { transition, type IncidentDetail } from './api.ts';
import { addNote, changeSeverity } from './console-api.ts';
import { SeverityChoice } from './severity-choice.tsx';

const next: Record<string, string[]> = {
  triggered: ['acknowledged', 'mitigated', 'resolved', 'cancelled'],
  acknowledged: ['mitigated', 'resolved', 'cancelled'],
  mitigated: ['resolved', 'triggered', 'cancelled'],
  resolved: ['closed', 'triggered'],
};

/** Keeps the page's copy of the incident (and the lists) current after a change. */
function useSetIncident(id: string) {
  const client = useQueryClient();
  return (data: IncidentDetail) => {
    client.setQueryData(['incident', id], data);
    void client.invalidateQueries({ queryKey: ['incidents'] });
  };
}

/** The buttons for the states the incident may move to; a lost race says who won ("已被 X 确认"). */
export function TransitionButtons({ incident: i, zone }: { incident: IncidentDetail; zone: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const set = useSetIncident(i.id);
  const move = useMutation({
    mutationFn: (to: string) => transition(i.id, to, i.version),
    onSuccess: set,
    onError: (err: Error) => {
      const info = err instanceof ApiError && err.code === 'conflict' ? (err.issues as unknown as Conflict) : null;
      if (info?.acknowledgedBy && info.acknowledgedAt)
        void message.warning(
          t('incidentConsole.conflictAcknowledged', {
            name: info.acknowledgedBy,
            at: formatDateTime(info.acknowledgedAt, zone, true),
          }),
        );
      else if (info?.state)
        void message.warning(
          t('incidentConsole.conflictState', {
            state: t(`incidents.states.${info.state}` as 'incidents.states.triggered'),
          }),
        );
      else void message.error(errorText(err));
      void client.invalidateQueries({ queryKey: ['incident', i.id] });
    },
  });
  return (
    <Space wrap>
      {(next[i.state] ?? []).map((to) => {
        const label =
          to === 'cancelled'
            ? t('incidentConsole.actions.cancelled')
            : t(`incidents.actions.${to}` as 'incidents.actions.acknowledged');
        const button = (
          <Button
            key={to}
            danger={to === 'cancelled'}
            type={to === 'acknowledged' || (to === 'resolved' && i.state !== 'triggered') ? 'primary' : 'default'}
            loading={move.isPending && move.variables === to}
            onClick={to === 'cancelled' ? undefined : () => move.mutate(to)}
          >
            {label}
          </Button>
        );
        return to === 'cancelled' ? (
          <Popconfirm key={to} title={t('incidentConsole.cancelConfirm')} onConfirm={() => move.mutate(to)}>
            {button}
          </Popconfirm>
        ) : (
          button
        );
      })}
    </Space>
  );
}
type Conflict = { state?: string; acknowledgedBy?: string | null; acknowledgedAt?: string | null };

/** A note for the team, or a public update that the workspace's status page shows. */
export function NoteCard({ id }: { id: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [body, setBody] = useState('');
  const [isPublic, setPublic] = useState(false);
  const set = useSetIncident(id);
  const save = useMutation({
    mutationFn: () => addNote(id, body.trim(), isPublic),
    onSuccess: (data) => {
      set(data);
      void message.success(t(isPublic ? 'incidentConsole.note.published' : 'incidentConsole.note.added'));
      setBody('');
      setPublic(false);
    },
    onError: (err) => void message.error(errorText(err)),
  });
  return (
    <Card title={t('incidentConsole.note.title')} size="small" style={{ marginTop: 16 }}>
      <Flex vertical gap={8}>
        <Input.TextArea
          aria-label={t('incidentConsole.note.title')}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          placeholder={t('incidentConsole.note.placeholder')}
          autoSize={{ minRows: 2, maxRows: 8 }}
          maxLength={10_000}
        />
        <Flex justify="space-between" align="center" gap={8} wrap>
          <Checkbox checked={isPublic} onChange={(e) => setPublic(e.target.checked)}>
            {t('incidentConsole.note.public')}
          </Checkbox>
          <Button type="primary" disabled={!body.trim()} loading={save.isPending} onClick={() => save.mutate()}>
            {t(isPublic ? 'incidentConsole.note.publish' : 'incidentConsole.note.add')}
          </Button>
        </Flex>
      </Flex>
    </Card>
  );
}

/** Changing the severity, with each one's targets as recorded at declaration (re-timed from the start). */
export function SeverityButton({ incident: i }: { incident: IncidentDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState<IncidentSeverity>(i.severity);
  const set = useSetIncident(i.id);
  const save = useMutation({
    mutationFn: () => changeSeverity(i.id, i.version, value),
    onSuccess: (data) => {
      set(data);
      setOpen(false);
      void message.success(t('incidentConsole.severity.changed', { severity: data.severity }));
    },
    onError: (err) => void message.error(errorText(err)),
  });
  return (
    <>
      <Button
        onClick={() => {
          setValue(i.severity);
          setOpen(true);
        }}
      >
        {t('incidentConsole.severity.change')}
      </Button>
      <Modal
        open={open}
        title={t('incidentConsole.severity.title')}
        onCancel={() => setOpen(false)}
        okText={t('incidentConsole.severity.confirm')}
        okButtonProps={{ disabled: value === i.severity }}
        confirmLoading={save.isPending}
        onOk={() => save.mutate()}
      >
        <Typography.Paragraph type="secondary">{t('incidentConsole.severity.help')}</Typography.Paragraph>
        <SeverityChoice value={value} onChange={setValue} targets={i.clocks[0]?.table} />
      </Modal>
    </>
  );
}
