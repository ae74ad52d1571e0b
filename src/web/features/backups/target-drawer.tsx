import { App, Button, Drawer, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { BackupStatus, BackupTarget, Retention, TargetBody, TargetKind } from '../../../shared/backups-api.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useSaveTarget } from './api.ts';

type Values = {
  kind: TargetKind;
  name: string;
  offsite: boolean;
  enabled: boolean;
  settings: Record<string, string | number | boolean | undefined>;
  secrets?: Record<string, string | undefined>;
  ownRetention: boolean;
  retention: Retention;
};

/** Creates or edits a target; secrets are write-only (left empty, the stored ones are kept). */
export function TargetDrawer({
  target,
  installation,
  onClose,
}: {
  target: BackupTarget | null;
  /** The installation's retention (placeholders, and the values a target's own starts from). */
  installation: BackupStatus['retention'] | undefined;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const save = useSaveTarget();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) ?? target?.kind ?? 'local';
  const ownRetention = Form.useWatch('ownRetention', form) ?? !!target?.retention;
  const offsite = Form.useWatch('offsite', form) ?? target?.offsite ?? false;
  const fallback = installation?.[offsite ? 'offsite' : 'onsite'] ?? { daily: 7, weekly: 4, monthly: 12 };
  const initial: Values = target
    ? {
        kind: target.kind,
        name: target.name,
        offsite: target.offsite,
        enabled: target.enabled,
        settings: target.settings as Values['settings'],
        ownRetention: !!target.retention,
        retention: target.retention ?? target.effectiveRetention,
      }
    : {
        kind: 'local',
        name: '',
        offsite: false,
        enabled: true,
        settings: { port: 22, region: 'us-east-1', pathStyle: true },
        ownRetention: false,
        retention: installation?.onsite ?? { daily: 7, weekly: 4, monthly: 12 },
      };
  const submit = (v: Values) => {
    const secrets = Object.fromEntries(Object.entries(v.secrets ?? {}).filter(([, x]) => x));
    const settings = Object.fromEntries(Object.entries(v.settings).filter(([, x]) => x !== undefined && x !== ''));
    const body = {
      kind: v.kind,
      name: v.name,
      offsite: v.offsite,
      enabled: v.enabled,
      settings,
      retention: v.ownRetention ? v.retention : null,
      ...(v.kind !== 'local' && Object.keys(secrets).length ? { secrets } : {}),
    } as TargetBody;
    save.mutate(
      { id: target?.id ?? null, body },
      {
        onSuccess: () => (void message.success(t('common.saved')), onClose()),
        onError: (err) => void message.error(errorText(err)),
      },
    );
  };
  const secretHelp = target ? t('backups.targets.secretKept') : undefined;
  return (
    <Drawer
      open
      width={520}
      onClose={onClose}
      title={target ? t('backups.targets.editTitle', { name: target.name }) : t('backups.targets.add')}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={submit}>
        <Form.Item name="kind" label={t('backups.targets.kind')}>
          <Select
            disabled={!!target}
            options={(['local', 'sftp', 's3'] as const).map((k) => ({
              value: k,
              label: t(`backups.targets.kinds.${k}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('backups.targets.name')}
          rules={[{ required: true, pattern: /^[\w.-]+$/, message: t('backups.targets.nameRule') }]}
        >
          <Input placeholder="oss-hangzhou" />
        </Form.Item>
        {kind === 'local' && (
          <Form.Item
            name={['settings', 'path']}
            label={t('backups.targets.path')}
            rules={[{ required: true, pattern: /^\//, message: t('backups.targets.absolutePath') }]}
          >
            <Input placeholder="/mnt/backup/kefu" />
          </Form.Item>
        )}
        {kind === 'sftp' && (
          <>
            <Space.Compact block>
              <Form.Item
                name={['settings', 'host']}
                label={t('backups.targets.host')}
                rules={[{ required: true }]}
                style={{ flex: 1 }}
              >
                <Input placeholder="backup.sh.example.com" />
              </Form.Item>
              <Form.Item name={['settings', 'port']} label={t('backups.targets.port')} style={{ width: 110 }}>
                <InputNumber min={1} max={65535} style={{ width: '100%' }} />
              </Form.Item>
            </Space.Compact>
            <Form.Item
              name={['settings', 'username']}
              label={t('backups.targets.username')}
              rules={[{ required: true }]}
            >
              <Input />
            </Form.Item>
            <Form.Item name={['settings', 'path']} label={t('backups.targets.remotePath')} rules={[{ required: true }]}>
              <Input placeholder="/srv/backups/kefu" />
            </Form.Item>
            <Form.Item name={['secrets', 'password']} label={t('backups.targets.password')} help={secretHelp}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item name={['secrets', 'privateKey']} label={t('backups.targets.privateKey')} help={secretHelp}>
              <Input.TextArea rows={3} placeholder="-----BEGIN OPENSSH PRIVATE KEY-----" />
            </Form.Item>
          </>
        )}
        {kind === 's3' && (
          <>
            <Form.Item
              name={['settings', 'endpoint']}
              label={t('backups.targets.endpoint')}
              extra={t('backups.targets.endpointHelp')}
            >
              <Input placeholder="https://oss-cn-hangzhou.aliyuncs.com" />
            </Form.Item>
            <Space.Compact block>
              <Form.Item
                name={['settings', 'bucket']}
                label={t('backups.targets.bucket')}
                rules={[{ required: true }]}
                style={{ flex: 1 }}
              >
                <Input />
              </Form.Item>
              <Form.Item name={['settings', 'region']} label={t('backups.targets.region')} style={{ width: 170 }}>
                <Input />
              </Form.Item>
            </Space.Compact>
            <Form.Item name={['settings', 'prefix']} label={t('backups.targets.prefix')}>
              <Input placeholder="kefu/prod" />
            </Form.Item>
            <Form.Item name={['settings', 'pathStyle']} label={t('backups.targets.pathStyle')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item
              name={['settings', 'accessKeyId']}
              label={t('backups.targets.accessKeyId')}
              rules={[{ required: true }]}
            >
              <Input />
            </Form.Item>
            <Form.Item
              name={['secrets', 'secretAccessKey']}
              label={t('backups.targets.secretAccessKey')}
              help={secretHelp}
              rules={target ? [] : [{ required: true }]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </>
        )}
        <Space size={24}>
          <Form.Item
            name="offsite"
            label={t('backups.targets.offsite')}
            valuePropName="checked"
            extra={t('backups.targets.offsiteHelp')}
          >
            <Switch />
          </Form.Item>
          <Form.Item name="enabled" label={t('backups.targets.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item
          name="ownRetention"
          label={t('backups.targets.retentionOwn')}
          valuePropName="checked"
          extra={t('backups.targets.retentionHelp', fallback)}
        >
          <Switch data-testid="own-retention" />
        </Form.Item>
        {ownRetention && (
          <Space size={12} wrap>
            {(['daily', 'weekly', 'monthly'] as const).map((rule) => (
              <Form.Item
                key={rule}
                name={['retention', rule]}
                label={t(`backups.targets.${rule}`)}
                rules={[{ required: true, type: 'integer', min: 0, max: 3650 }]}
              >
                <InputNumber min={0} max={3650} precision={0} style={{ width: 100 }} />
              </Form.Item>
            ))}
          </Space>
        )}
      </Form>
    </Drawer>
  );
}
