import { Card, Col, Descriptions, Row, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime, shownName } from '../../shared/format.ts';
import { Page } from '../../shared/page.tsx';
import { AvatarCard } from './avatar-card.tsx';
import { ChangePasswordForm } from './change-password-form.tsx';
import { useCan, useMe } from './session.ts';
import { TotpCard } from './totp-card.tsx';

export function SecurityPage() {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const zone = me.workspace.timezone;
  return (
    <Page title={t('security.title')}>
      <Row gutter={[16, 16]}>
        <Col xs={24}>
          <Card title={t('security.account')}>
            <Descriptions column={{ xs: 1, md: 2, xl: 3 }}>
              <Descriptions.Item label={t('users.displayName')}>{shownName(me.user)}</Descriptions.Item>
              <Descriptions.Item label={t('security.name')}>{me.user.name}</Descriptions.Item>
              <Descriptions.Item label={t('security.email')}>{me.user.email}</Descriptions.Item>
              <Descriptions.Item label={t('security.role')}>
                <Tag color="blue">{t(`roles.${me.user.role}`)}</Tag>
                {me.user.installationOwner && <Tag color="gold">{t('users.owner')}</Tag>}
              </Descriptions.Item>
              <Descriptions.Item label={t('security.workspace')}>{me.workspace.name}</Descriptions.Item>
              <Descriptions.Item label={t('security.lastLogin')}>
                {me.user.lastLoginAt ? formatDateTime(me.user.lastLoginAt, zone) : t('common.never')}
              </Descriptions.Item>
              <Descriptions.Item label={t('security.totpTitle')}>
                {me.user.totpEnabled ? (
                  <Tag color="green">{t('security.totpOn')}</Tag>
                ) : (
                  <Tag>{t('security.totpOff')}</Tag>
                )}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        {can('conversations.manage') && (
          <Col xs={24}>
            <AvatarCard />
          </Col>
        )}
        <Col xs={24} lg={12}>
          <Card title={t('password.changeTitle')} style={{ height: '100%' }}>
            <ChangePasswordForm />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <TotpCard />
        </Col>
      </Row>
    </Page>
  );
}
