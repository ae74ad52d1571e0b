import { Avatar, Dropdown, Space, Typography } from 'antd';
import { LogoutOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { usePhone } from './use-phone.ts';
import { useNavigate } from 'react-router';
import { useLogout } from '../features/auth/api.ts';
import { useMe } from '../features/auth/session.ts';
import { shownName } from '../shared/format.ts';

export function UserMenu() {
  const phone = usePhone();
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const logout = useLogout();
  // The display name (昵称) the team and shoppers know; the account name only when none is set.
  const shown = shownName(me.user);

  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          {
            key: 'who',
            disabled: true,
            label: (
              <div style={{ lineHeight: 1.4, padding: '2px 0' }}>
                <Typography.Text strong>{shown}</Typography.Text>
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {shown !== me.user.name && `${me.user.name} · `}
                  {me.user.email} · {t(`roles.${me.user.role}`)}
                </Typography.Text>
              </div>
            ),
          },
          { type: 'divider' },
          { key: 'security', icon: <SafetyOutlined />, label: t('header.security') },
          {
            key: 'logout',
            icon: <LogoutOutlined />,
            label: <span data-testid="sign-out">{t('header.signOut')}</span>,
            danger: true,
          },
        ],
        onClick: ({ key }) => {
          if (key === 'security') navigate('/settings/security');
          if (key === 'logout') logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });
        },
      }}
    >
      <Space
        size={8}
        style={{ cursor: 'pointer', padding: phone ? '0 4px' : '0 8px' }}
        data-testid="user-menu"
        aria-label={shown}
      >
        <Avatar size="small" src={me.user.avatarUrl} style={{ backgroundColor: '#1677ff' }} icon={<UserOutlined />} />
        {!phone && <Typography.Text data-testid="user-menu-name">{shown}</Typography.Text>}
      </Space>
    </Dropdown>
  );
}
