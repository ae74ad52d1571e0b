/**
 * One-click reassignment in the war room (waiting and unanswered conversations): a picker of the
 * agents with their presence and load. Transfer takes anyone present (busy and away keep working
 * what they are given); offline is refused, so shown disabled. A refusal (full, same agent) is
 * shown with the server's reason.
 */
import { App, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { WarRoom } from '../../../shared/routing-api.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useReassign } from './api.ts';
import { WithPresence } from './presence.tsx';

export function ReassignSelect({ w, conversationId }: { w: WarRoom | undefined; conversationId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const reassign = useReassign();
  const options = (w?.agents ?? []).map((a) => ({
    value: a.userId,
    label: (
      <WithPresence userId={a.userId} presence={a.presence}>
        {`${a.name} (${a.loadChat}/${a.capacityChat})`}
      </WithPresence>
    ),
    search: a.name,
    disabled: a.presence === 'offline',
  }));
  return (
    <Select
      size="small"
      style={{ minWidth: 140 }}
      placeholder={t('routing.pickAgent')}
      // Always empty: picking the same agent again after a refusal (full) sends again.
      value={null}
      options={options}
      showSearch={{ optionFilterProp: 'search' }}
      popupMatchSelectWidth={false}
      aria-label={t('routing.reassign')}
      onChange={(agentId: string) =>
        reassign.mutate(
          { conversationId, agentId },
          {
            onSuccess: () => void message.success(t('routing.reassigned')),
            onError: (e) => void message.error(errorText(e)),
          },
        )
      }
    />
  );
}
