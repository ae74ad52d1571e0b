/**
 * The vendor's way to a merchant's reports: the installation's ops (its home workspace's owner,
 * admins and ops engineers, or the installation owner) pick a merchant workspace, kept in the
 * address (`?workspace=…`), and browse, open, download and sign its reports from the home
 * workspace, as they do for the penalty statement. Everyone else reads their own workspace.
 */
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMe } from '../auth/session.ts';
import { declareOptionsQuery } from '../incidents/console-api.ts';
import type { ReportWorkspace } from './api.ts';

/** Whether the signed-in user is the vendor, and the merchant workspace it opened (null: its own). */
export function useReportWorkspace(): { isVendor: boolean; workspace: ReportWorkspace } {
  const me = useMe();
  const [params] = useSearchParams();
  const isVendor = me.user.installationOwner || me.permissions.includes('installation.ops');
  const picked = isVendor ? params.get('workspace') : null;
  return { isVendor, workspace: picked && picked !== me.workspace.id ? picked : null };
}

/** The vendor's workspace picker (nothing for anyone else); a new workspace closes the open report. */
export function WorkspacePicker() {
  const { t } = useTranslation();
  const me = useMe();
  const { isVendor, workspace } = useReportWorkspace();
  const [, setParams] = useSearchParams();
  const options = useQuery({ ...declareOptionsQuery(), enabled: isVendor });
  if (!isVendor || !options.data) return null;
  return (
    <Select
      aria-label={t('reports.workspace')}
      title={t('reports.workspace')}
      data-testid="report-workspace"
      style={{ minWidth: 180 }}
      showSearch
      optionFilterProp="label"
      value={workspace ?? me.workspace.id}
      onChange={(id: string) =>
        setParams((p) => {
          const next = new URLSearchParams(p);
          if (id === me.workspace.id) next.delete('workspace');
          else next.set('workspace', id);
          next.delete('r');
          next.delete('vs');
          return next;
        })
      }
      options={options.data.workspaces.map((w) => ({ value: w.id, label: w.name }))}
    />
  );
}
