import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatDateTime } from '../../shared/format.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useMe } from '../auth/session.ts';
import { declare, declareOptionsQuery, type Declaration } from './console-api.ts';
import { SeverityChoice } from './severity-choice.tsx';

/** The "declare an incident" button and its form: title, severity with the contract's targets, component, affected workspaces, real or drill. */
export function DeclareButton() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Declaration>();
  const options = useQuery({ ...declareOptionsQuery(), enabled: open });
  const navigate = useNavigate();
  const client = useQueryClient();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const save = useMutation({
    mutationFn: (v: Declaration) => declare({ ...v, component: v.component || undefined }),
    onSuccess: (inc) => {
      void client.invalidateQueries({ queryKey: ['incidents'] });
      void message.success(t('incidentConsole.declare.declared', { number: inc.number }));
      setOpen(false);
      form.resetFields();
      void navigate(`/ops/incidents/${inc.id}`);
    },
    onError: (err) => void message.error(errorText(err)),
  });
  const o = options.data;
  const workspaceIds = Form.useWatch('workspaceIds', form) ?? [];
  // The targets beside the choice: the first affected workspace's contract (each affected one is timed by its own).
  const contract = o?.contracts.find((c) => c.workspaceId === workspaceIds[0]) ?? o?.contracts[0];
  const names = new Map(o?.workspaces.map((w) => [w.id, w.name]));
  const unconfigured = (o?.contracts ?? []).filter((c) => workspaceIds.includes(c.workspaceId) && !c.configured);
  const zone = me.workspace.timezone;
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t('incidentConsole.declare.button')}
      </Button>
      <Modal
        open={open}
        title={t('incidentConsole.declare.title')}
        onCancel={() => setOpen(false)}
        okText={t('incidentConsole.declare.submit')}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        width={640}
        destroyOnHidden
      >
        <Form<Declaration>
          form={form}
          layout="vertical"
          initialValues={{ severity: 'P2', mode: 'real', workspaceIds: [me.workspace.id], component: '' }}
          onFinish={(v) => save.mutate(v)}
        >
          <Form.Item name="title" label={t('incidentConsole.declare.name')} rules={[{ required: true, max: 200 }]}>
            <Input placeholder={t('incidentConsole.declare.namePlaceholder')} maxLength={200} />
          </Form.Item>
          <Form.Item name="severity" label={t('incidentConsole.declare.severity')} rules={[{ required: true }]}>
            <SeverityChoice
              targets={contract?.now}
              promotion={contract?.activePromotion ? undefined : contract?.promotion}
            />
          </Form.Item>
          {contract?.activePromotion && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('incidentConsole.promotionNow', { name: contract.activePromotion.name })}
            />
          )}
          {!contract?.activePromotion && contract?.nextPromotion && (
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('incidentConsole.nextPromotion', {
                name: contract.nextPromotion.name,
                start: formatDateTime(contract.nextPromotion.start, zone),
              })}
            </Typography.Paragraph>
          )}
          <Form.Item
            name="component"
            label={t('incidentConsole.declare.component')}
            extra={o?.canNameOthers ? t('incidentConsole.declare.componentHelp') : undefined}
          >
            <Select
              loading={options.isLoading}
              onChange={(name: string) => {
                const c = o?.components.find((x) => x.name === name);
                if (c && o?.canNameOthers && c.workspaceIds.length) form.setFieldValue('workspaceIds', c.workspaceIds);
              }}
              options={[
                { value: '', label: t('incidentConsole.declare.noComponent') },
                ...(o?.components ?? []).map((c) => ({
                  value: c.name,
                  label: i18n.language === 'en' ? c.titleEn || c.title : c.title,
                })),
              ]}
            />
          </Form.Item>
          <Form.Item
            name="workspaceIds"
            label={t('incidentConsole.declare.workspaces')}
            extra={t('incidentConsole.declare.workspacesHelp')}
            rules={[{ required: true, type: 'array', min: 1 }]}
          >
            <Select
              mode="multiple"
              disabled={!o?.canNameOthers}
              options={(o?.workspaces ?? []).map((w) => ({ value: w.id, label: w.name }))}
            />
          </Form.Item>
          {unconfigured.length > 0 && (
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {unconfigured
                .map((c) => t('incidentConsole.notConfigured', { name: names.get(c.workspaceId) ?? c.workspaceId }))
                .join(' ')}
            </Typography.Paragraph>
          )}
          <Form.Item
            name="mode"
            label={t('incidentConsole.declare.mode')}
            extra={t('incidentConsole.declare.drillHelp')}
          >
            <Radio.Group
              optionType="button"
              options={(['real', 'drill'] as const).map((m) => ({
                value: m,
                label: t(`incidentConsole.declare.modes.${m}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="description" label={t('incidentConsole.declare.description')}>
            <Input.TextArea rows={3} maxLength={10_000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
