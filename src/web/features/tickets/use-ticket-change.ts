import { App } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ticketKey, useUpdateTicket, type Ticket, type UpdateTicketBody } from './api.ts';
import { useTicketErrors } from './use-ticket-errors.ts';

export type TicketPatch = Omit<UpdateTicketBody, 'version'>;

/** Changes a ticket, sending the version last seen (the server refuses a stale one with 409). */
export function useTicketChange(ticket: Ticket) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const update = useUpdateTicket();
  const onError = useTicketErrors();

  const change = (patch: TicketPatch, done?: () => void) => {
    // The cache holds the newest version we know (a reply or macro may have bumped it).
    const version = client.getQueryData<Ticket>(ticketKey(ticket.id))?.version ?? ticket.version;
    update.mutate(
      { id: ticket.id, version, ...patch },
      {
        onSuccess: () => {
          void message.success(t('tickets.updated'));
          done?.();
        },
        onError: (error) => onError(error, ticket.id),
      },
    );
  };
  return { change, pending: update.isPending };
}
