import { App } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/http.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { ticketKey, timelineKey } from './api.ts';
import { useLookups } from './use-lookups.ts';

/**
 * What to tell the user when a change to a ticket fails. A stale version (someone else changed
 * the ticket first) reloads it and says so; missing required fields are named by their labels.
 */
export function useTicketErrors(): (error: unknown, ticketId: string) => void {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const { fields } = useLookups();

  return (error, ticketId) => {
    if (!(error instanceof ApiError)) return void message.error(errorText(error));
    if (error.code === 'version_conflict') {
      void client.invalidateQueries({ queryKey: ticketKey(ticketId) });
      void client.invalidateQueries({ queryKey: timelineKey(ticketId) });
      modal.warning({ title: t('tickets.conflictTitle'), content: t('tickets.conflict'), okText: t('common.confirm') });
      return;
    }
    const issues = (error.issues ?? []).map(String);
    if (error.code === 'fields_required') {
      const labels = issues.map((key) => fields.find((f) => f.key === key)?.label ?? key);
      return void message.error(t('tickets.fieldsRequired', { fields: labels.join(t('tickets.listSeparator')) }));
    }
    if (error.code === 'invalid_fields' && issues.length) {
      return void message.error(`${errorText(error)}: ${issues.join('; ')}`);
    }
    message.error(errorText(error));
  };
}
