import type { ReactNode } from 'react';
import {
  AlertOutlined,
  ApiOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  BookOutlined,
  BugOutlined,
  CloudServerOutlined,
  ControlOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  FieldTimeOutlined,
  FileTextOutlined,
  FundProjectionScreenOutlined,
  MessageOutlined,
  PieChartOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  SafetyOutlined,
  SettingOutlined,
  ShopOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  TagsOutlined,
  ToolOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Permission } from '../../shared/permissions.ts';
import type { Messages } from '../i18n/zh-CN.ts';

export type NavLeaf = {
  path: string;
  label: keyof Messages['nav'];
  icon: ReactNode;
  /** Needed to see the entry and open the page; none means any signed-in user. */
  permission?: Permission;
};
export type NavGroup = { key: string; label: keyof Messages['nav']; icon: ReactNode; children: NavLeaf[] };
export type NavEntry = NavLeaf | NavGroup;

/** The whole product's navigation, in menu order. */
export const navigation: NavEntry[] = [
  { path: '/inbox', label: 'inbox', icon: <CustomerServiceOutlined />, permission: 'conversations.read' },
  { path: '/tickets', label: 'tickets', icon: <FileTextOutlined />, permission: 'tickets.read' },
  { path: '/war-room', label: 'warRoom', icon: <FundProjectionScreenOutlined />, permission: 'conversations.read' },
  { path: '/customers', label: 'customers', icon: <TeamOutlined />, permission: 'customers.read' },
  { path: '/knowledge', label: 'knowledge', icon: <BookOutlined />, permission: 'knowledge.read' },
  { path: '/reports', label: 'reports', icon: <BarChartOutlined />, permission: 'reports.read' },
  // The merchant's staff report a problem to the ops vendor (the contract's support line).
  { path: '/report-problem', label: 'reportProblem', icon: <BugOutlined />, permission: 'conversations.manage' },
  {
    key: '/ops',
    label: 'ops',
    icon: <ToolOutlined />,
    children: [
      { path: '/ops/monitoring', label: 'monitoring', icon: <DashboardOutlined />, permission: 'ops.read' },
      { path: '/ops/incidents', label: 'incidents', icon: <AlertOutlined />, permission: 'ops.read' },
      { path: '/ops/overview', label: 'opsOverview', icon: <PieChartOutlined />, permission: 'ops.read' },
      {
        path: '/ops/incident-settings',
        label: 'incidentSettings',
        icon: <ControlOutlined />,
        permission: 'ops.read',
      },
      { path: '/ops/backups', label: 'backups', icon: <DatabaseOutlined />, permission: 'installation.ops' },
    ],
  },
  {
    key: '/settings',
    label: 'settings',
    icon: <SettingOutlined />,
    children: [
      { path: '/settings/workspace', label: 'workspace', icon: <AppstoreOutlined />, permission: 'workspace.manage' },
      { path: '/settings/users', label: 'users', icon: <UserOutlined />, permission: 'users.read' },
      { path: '/settings/inboxes', label: 'inboxes', icon: <MessageOutlined />, permission: 'settings.manage' },
      {
        path: '/settings/canned-replies',
        label: 'cannedReplies',
        icon: <ThunderboltOutlined />,
        permission: 'conversations.manage',
      },
      { path: '/settings/labels', label: 'labels', icon: <TagsOutlined />, permission: 'settings.manage' },
      { path: '/settings/tickets', label: 'ticketSettings', icon: <ProfileOutlined />, permission: 'settings.manage' },
      { path: '/settings/sla', label: 'sla', icon: <FieldTimeOutlined />, permission: 'settings.manage' },
      { path: '/settings/store', label: 'store', icon: <ShopOutlined />, permission: 'settings.manage' },
      { path: '/settings/tokens', label: 'tokens', icon: <ApiOutlined /> }, // personal tokens: any signed-in user
      { path: '/settings/audit', label: 'audit', icon: <AuditOutlined />, permission: 'audit.read' },
      {
        path: '/settings/privacy',
        label: 'privacy',
        icon: <SafetyCertificateOutlined />,
        permission: 'privacy.manage',
      },
      {
        path: '/settings/workspaces',
        label: 'workspaces',
        icon: <CloudServerOutlined />,
        permission: 'installation.manage',
      },
      { path: '/settings/security', label: 'security', icon: <SafetyOutlined /> },
    ],
  },
];

export function isGroup(entry: NavEntry): entry is NavGroup {
  return 'children' in entry;
}

export const navLeaves: NavLeaf[] = navigation.flatMap((entry) => (isGroup(entry) ? entry.children : [entry]));

export function allowed(leaf: NavLeaf, permissions: readonly Permission[]): boolean {
  return !leaf.permission || permissions.includes(leaf.permission);
}

/** Where to land after signing in: the inbox, or the first page the role may open. */
export function homePath(permissions: readonly Permission[]): string {
  return navLeaves.find((leaf) => allowed(leaf, permissions))?.path ?? '/settings/security';
}

export function findLeaf(pathname: string): NavLeaf | undefined {
  return navLeaves.find((leaf) => pathname === leaf.path || pathname.startsWith(`${leaf.path}/`));
}
