import { App, Button, Dropdown } from 'antd';
import { DownOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ticketKey, useApplyMacro, type Ticket } from './api.ts';
import { macrosQuery } from './config-api.ts';
import { useTicketErrors } from './use-ticket-errors.ts';

/** Applies a macro (fields, tags, a canned reply) to the ticket in one click. */
export function MacroMenu({ ticket, disabled }: { ticket: Ticket; disabled: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const macros = useQuery(macrosQuery()).data?.items ?? [];
  const apply = useApplyMacro();
  const onError = useTicketErrors();

  return (
    <Dropdown
      trigger={['click']}
      disabled={disabled || apply.isPending}
      menu={{
        items: macros.length
          ? macros.map((m) => ({ key: m.id, label: m.name }))
          : [{ key: 'none', label: t('tickets.macros.none'), disabled: true }],
        onClick: ({ key }) => {
          const macro = macros.find((m) => m.id === key);
          if (!macro) return;
          const version = client.getQueryData<Ticket>(ticketKey(ticket.id))?.version ?? ticket.version;
          apply.mutate(
            { id: ticket.id, macroId: macro.id, version },
            {
              onSuccess: () => void message.success(t('tickets.macros.applied', { name: macro.name })),
              onError: (error) => onError(error, ticket.id),
            },
          );
        },
      }}
    >
      <Button icon={<ThunderboltOutlined />} loading={apply.isPending} data-testid="macro-menu">
        {t('tickets.macros.apply')} <DownOutlined />
      </Button>
    </Dropdown>
  );
}
