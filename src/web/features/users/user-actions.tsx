import { App, Button, Popconfirm, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { assignableRoles } from '../../../shared/permissions.ts';
import type { User } from '../../shared/types.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useMe } from '../auth/session.ts';
import { useResetPassword, useUpdateUser } from './api.ts';

/** Edit, disable / enable, reset password: only on users whose role the signed-in user may grant, never on oneself. */
export function UserActions({
  user,
  onEdit,
  onReset,
}: {
  user: User;
  onEdit: () => void;
  onReset: (password: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const me = useMe();
  const update = useUpdateUser();
  const reset = useResetPassword();

  const self = user.id === me.user.id;
  const reachable = assignableRoles(me.user.role).includes(user.role);
  if (!reachable) return null;

  return (
    <Space size={0} wrap>
      <Button type="link" size="small" onClick={onEdit}>
        {t('common.edit')}
      </Button>
      {!self && (
        <Popconfirm
          title={
            user.disabled
              ? t('users.enableConfirm', { name: user.name })
              : t('users.disableConfirm', { name: user.name })
          }
          okText={t('common.confirm')}
          cancelText={t('common.cancel')}
          onConfirm={() =>
            update
              .mutateAsync({ id: user.id, disabled: !user.disabled })
              .then(() => void message.success(t('users.updated')))
              .catch((error: unknown) => void message.error(errorText(error)))
          }
        >
          <Button type="link" size="small" danger={!user.disabled}>
            {user.disabled ? t('users.enable') : t('users.disable')}
          </Button>
        </Popconfirm>
      )}
      {!self && (
        <Popconfirm
          title={t('users.resetConfirm', { name: user.name })}
          okText={t('common.confirm')}
          cancelText={t('common.cancel')}
          onConfirm={() =>
            reset
              .mutateAsync(user.id)
              .then((result) => onReset(result.temporaryPassword))
              .catch((error: unknown) => void message.error(errorText(error)))
          }
        >
          <Button type="link" size="small">
            {t('users.resetPassword')}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}
