import { Alert, Checkbox, Col, Form, Input, InputNumber, Modal, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Permission } from '../../../shared/permissions.ts';
import type { CreatedToken } from '../../shared/types.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useMe } from '../auth/session.ts';
import { useCreateToken } from './api.ts';

type Values = { name: string; scopes: Permission[]; expiresInDays?: number | null; password: string };

/** A token can carry only scopes its creator holds; installation management never goes into a token. */
export function CreateTokenModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (created: CreatedToken) => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const errorText = useErrorText();
  const create = useCreateToken();
  const [form] = Form.useForm<Values>();
  const scopes = me.permissions.filter((p) => p !== 'installation.manage' && p !== 'installation.ops');

  const submit = ({ name, scopes: chosen, expiresInDays, password }: Values) =>
    create.mutate(
      { name, scopes: chosen, password, ...(expiresInDays ? { expiresInDays } : {}) },
      {
        onSuccess: (created) => {
          form.resetFields();
          create.reset();
          onCreated(created);
        },
      },
    );

  return (
    <Modal
      open={open}
      title={t('tokens.create')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={() => {
        create.reset();
        onClose();
      }}
      width={640}
      forceRender
    >
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Form.Item
          name="name"
          label={t('tokens.name')}
          rules={[{ required: true, whitespace: true, message: t('tokens.nameRequired') }, { max: 100 }]}
        >
          <Input placeholder="ERP" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="scopes"
          label={t('tokens.scopes')}
          rules={[{ required: true, type: 'array', min: 1, message: t('tokens.scopesRequired') }]}
        >
          <Checkbox.Group style={{ width: '100%' }}>
            <Row gutter={[8, 6]}>
              {scopes.map((scope) => (
                <Col span={12} key={scope}>
                  <Checkbox value={scope}>
                    {t(`permissions.${scope}`)} <span style={{ color: 'rgba(0,0,0,0.45)', fontSize: 12 }}>{scope}</span>
                  </Checkbox>
                </Col>
              ))}
            </Row>
          </Checkbox.Group>
        </Form.Item>
        <Form.Item name="expiresInDays" label={t('tokens.expiresInDays')} extra={t('tokens.expiresHelp')}>
          <InputNumber min={1} max={3650} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('tokens.password')}
          extra={t('tokens.passwordHelp')}
          rules={[{ required: true, message: t('password.currentRequired') }]}
        >
          <Input.Password autoComplete="current-password" style={{ width: 260 }} data-testid="token-password" />
        </Form.Item>
      </Form>
      {create.error && <Alert type="error" showIcon title={errorText(create.error)} />}
    </Modal>
  );
}
