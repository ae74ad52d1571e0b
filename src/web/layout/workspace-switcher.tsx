import { App, Select, Space, Typography } from 'antd';
import { AppstoreOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { usePhone } from './use-phone.ts';
import { useNavigate } from 'react-router';
import { useSwitchWorkspace } from '../features/auth/api.ts';
import { useCan, useMe } from '../features/auth/session.ts';
import { workspacesQuery } from '../features/workspaces/api.ts';
import { useErrorText } from '../shared/use-error-text.ts';
import { homePath } from './navigation.tsx';

/** The current workspace's name; installation owners get a switcher instead. */
export function WorkspaceSwitcher() {
  const me = useMe();
  const phone = usePhone();
  const can = useCan();
  if (!can('installation.manage')) {
    return (
      <Space size={6} data-testid="workspace-name">
        {!phone && <AppstoreOutlined style={{ color: '#1677ff' }} />}
        <Typography.Text strong ellipsis style={phone ? { maxWidth: 150 } : undefined}>
          {me.workspace.name}
        </Typography.Text>
      </Space>
    );
  }
  return <Switcher />;
}

function Switcher() {
  const { t } = useTranslation();
  const phone = usePhone();
  const { message } = App.useApp();
  const me = useMe();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const workspaces = useQuery(workspacesQuery());
  const switchWorkspace = useSwitchWorkspace();

  const options = (workspaces.data?.items ?? [me.workspace]).map((w) => ({ value: w.id, label: w.name }));
  if (!options.some((o) => o.value === me.workspace.id))
    options.unshift({ value: me.workspace.id, label: me.workspace.name });

  return (
    <Space size={6}>
      <AppstoreOutlined style={{ color: '#1677ff' }} />
      <Select
        data-testid="workspace-switcher"
        aria-label={t('header.switchWorkspace')}
        variant="borderless"
        style={phone ? { width: 150, fontWeight: 600 } : { minWidth: 180, fontWeight: 600 }}
        popupMatchSelectWidth={false}
        value={me.workspace.id}
        options={options}
        loading={workspaces.isLoading || switchWorkspace.isPending}
        disabled={switchWorkspace.isPending}
        onChange={(workspaceId: string) =>
          switchWorkspace.mutate(
            { workspaceId },
            {
              onSuccess: (next) => {
                void message.success(t('header.switched', { name: next.workspace.name }));
                navigate(homePath(next.permissions));
              },
              onError: (error) => void message.error(errorText(error)),
            },
          )
        }
      />
    </Space>
  );
}
