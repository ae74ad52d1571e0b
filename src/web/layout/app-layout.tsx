import { Suspense, useState } from 'react';
import { Button, Drawer, Layout, Space, Spin, theme } from 'antd';
import { MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { useActivityReporter } from '../features/routing/presence.tsx';
import { NotificationsBell } from '../features/tickets/notifications-bell.tsx';
import { ConsoleSocketProvider } from '../shared/console-socket.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { Logo } from './logo.tsx';
import { SideMenu } from './side-menu.tsx';
import { usePhone } from './use-phone.ts';
import { UserMenu } from './user-menu.tsx';
import { WorkspaceSwitcher } from './workspace-switcher.tsx';

const siderWidth = 216;
export const headerHeight = 56;

/** The logo stays put and only the menu scrolls, however many groups are open (defect 14). */
function MenuColumn({ collapsed, onNavigate }: { collapsed: boolean; onNavigate?: () => void }) {
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <div
        style={{
          height: headerHeight,
          flex: 'none',
          display: 'flex',
          alignItems: 'center',
          padding: collapsed ? '0 16px' : '0 20px',
        }}
        data-testid="sider-logo"
      >
        <Logo compact={collapsed} />
      </div>
      <div style={{ flex: 1, minHeight: 0, overflowY: 'auto', overflowX: 'hidden' }} data-testid="sider-menu">
        <SideMenu collapsed={collapsed} onNavigate={onNavigate} />
      </div>
    </div>
  );
}

/**
 * The signed-in shell: navigation on the left, workspace / language / user on top, the page below.
 * On a phone (≤ 768 px) the navigation is a drawer opened from the header.
 */
export function AppLayout() {
  const { t } = useTranslation();
  useActivityReporter();
  const { token } = theme.useToken();
  const phone = usePhone();
  const [drawer, setDrawer] = useState(false);
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem('kefu.sider') === 'collapsed');
  const toggle = () => {
    localStorage.setItem('kefu.sider', collapsed ? 'open' : 'collapsed');
    setCollapsed(!collapsed);
  };

  return (
    // One realtime connection per tab on every page: presence follows the person, not the page.
    <ConsoleSocketProvider>
      <Layout style={{ minHeight: '100dvh' }}>
        {!phone && (
          <Layout.Sider
            width={siderWidth}
            collapsed={collapsed}
            collapsedWidth={64}
            trigger={null}
            style={{ position: 'sticky', top: 0, height: '100dvh', overflow: 'hidden' }}
          >
            <MenuColumn collapsed={collapsed} />
          </Layout.Sider>
        )}
        {phone && (
          <Drawer
            open={drawer}
            onClose={() => setDrawer(false)}
            placement="left"
            size={siderWidth + 24}
            closable={false}
            styles={{ body: { padding: 0, background: '#001529' } }}
            data-testid="nav-drawer"
          >
            <MenuColumn collapsed={false} onNavigate={() => setDrawer(false)} />
          </Drawer>
        )}
        <Layout style={{ minWidth: 0 }}>
          <Layout.Header
            style={{
              position: 'sticky',
              top: 0,
              zIndex: 10,
              height: headerHeight,
              lineHeight: `${headerHeight}px`,
              padding: phone ? '0 8px 0 4px' : '0 16px 0 4px',
              background: token.colorBgContainer,
              boxShadow: '0 1px 4px rgba(0, 21, 41, 0.08)',
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'space-between',
              gap: 8,
            }}
          >
            <Space size={4} style={{ minWidth: 0 }}>
              {phone ? (
                <Button
                  type="text"
                  aria-label={t('header.openMenu')}
                  icon={<MenuOutlined />}
                  onClick={() => setDrawer(true)}
                  data-testid="open-menu"
                />
              ) : (
                <Button
                  type="text"
                  aria-label={collapsed ? t('header.expand') : t('header.collapse')}
                  icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                  onClick={toggle}
                />
              )}
              <WorkspaceSwitcher />
            </Space>
            <Space size={phone ? 2 : 8}>
              <NotificationsBell />
              <LanguageSwitch />
              <UserMenu />
            </Space>
          </Layout.Header>
          <Layout.Content style={{ padding: phone ? 8 : 24, minWidth: 0 }}>
            <Suspense
              fallback={
                <div style={{ padding: 80, textAlign: 'center' }}>
                  <Spin />
                </div>
              }
            >
              <Outlet />
            </Suspense>
          </Layout.Content>
        </Layout>
      </Layout>
    </ConsoleSocketProvider>
  );
}
