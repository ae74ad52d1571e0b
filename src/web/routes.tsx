import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { LoginPage } from './features/auth/login-page.tsx';
import { RequireSession } from './features/auth/require-session.tsx';
import { useMe } from './features/auth/session.ts';
import { NotBuiltPage } from './features/placeholders/not-built-page.tsx';
import { homePath, navLeaves } from './layout/navigation.tsx';
import { RequirePermission } from './shared/require-permission.tsx';
import { NotFoundResult } from './shared/results.tsx';
import { RouteError } from './shared/route-error.tsx';

const page = <K extends string>(
  load: () => Promise<Record<K, ComponentType>>,
  name: K,
): LazyExoticComponent<ComponentType> => lazy(async () => ({ default: (await load())[name] }));

/** The pages that exist; every other navigation entry is "not built yet". */
const pages: Record<string, LazyExoticComponent<ComponentType>> = {
  '/inbox': page(() => import('./features/inbox/inbox-page.tsx'), 'InboxPage'),
  '/settings/workspace': page(() => import('./features/workspace/workspace-page.tsx'), 'WorkspacePage'),
  '/settings/users': page(() => import('./features/users/users-page.tsx'), 'UsersPage'),
  '/settings/inboxes': page(() => import('./features/inboxes/inboxes-page.tsx'), 'InboxesPage'),
  '/settings/labels': page(() => import('./features/inbox/labels-page.tsx'), 'LabelsPage'),
  '/settings/canned-replies': page(() => import('./features/inboxes/canned-replies-page.tsx'), 'CannedRepliesPage'),
  '/customers': page(() => import('./features/customers/customers-page.tsx'), 'CustomersPage'),
  '/knowledge': page(() => import('./features/knowledge/knowledge-page.tsx'), 'KnowledgePage'),
  '/tickets': page(() => import('./features/tickets/tickets-page.tsx'), 'TicketsPage'),
  '/war-room': page(() => import('./features/routing/war-room-page.tsx'), 'WarRoomPage'),
  '/settings/tickets': page(() => import('./features/tickets/settings/ticket-settings-page.tsx'), 'TicketSettingsPage'),
  '/settings/store': page(() => import('./features/store/store-settings-page.tsx'), 'StoreSettingsPage'),
  '/settings/sla': page(() => import('./features/sla/sla-settings-page.tsx'), 'SlaSettingsPage'),
  '/settings/tokens': page(() => import('./features/tokens/tokens-page.tsx'), 'TokensPage'),
  '/settings/audit': page(() => import('./features/audit/audit-page.tsx'), 'AuditPage'),
  '/settings/workspaces': page(() => import('./features/workspaces/workspaces-page.tsx'), 'WorkspacesPage'),
  '/ops/backups': page(() => import('./features/backups/backups-page.tsx'), 'BackupsPage'),
  '/ops/incidents': page(() => import('./features/incidents/incidents-page.tsx'), 'IncidentsPage'),
  '/ops/overview': page(() => import('./features/incidents/overview-page.tsx'), 'OverviewPage'),
  '/report-problem': page(() => import('./features/incidents/report-page.tsx'), 'ReportPage'),
  '/ops/incident-settings': page(
    () => import('./features/incidents/settings/incident-settings-page.tsx'),
    'IncidentSettingsPage',
  ),
  '/settings/security': page(() => import('./features/auth/security-page.tsx'), 'SecurityPage'),
  '/settings/privacy': page(() => import('./features/privacy/retention-page.tsx'), 'RetentionPage'),
  '/ops/monitoring': page(() => import('./features/monitoring/monitoring-page.tsx'), 'MonitoringPage'),
  '/reports': page(() => import('./features/reports/reports-page.tsx'), 'ReportsPage'),
};

const TicketPage = page(() => import('./features/tickets/ticket-page.tsx'), 'TicketPage');
const CustomerPage = page(() => import('./features/customers/customer-page.tsx'), 'CustomerPage');
const IncidentPage = page(() => import('./features/incidents/incident-page.tsx'), 'IncidentPage');
const StatementPage = page(() => import('./features/incidents/statement-page.tsx'), 'StatementPage');
const AgentProfilePage = page(() => import('./features/csat/agent-profile-page.tsx'), 'AgentProfilePage');
const OnCallPage = page(() => import('./features/incidents/oncall-page.tsx'), 'OnCallPage');

function Home() {
  const me = useMe();
  return <Navigate to={homePath(me.permissions)} replace />;
}

const consoleRoutes: RouteObject[] = navLeaves.map((leaf) => {
  const Component = pages[leaf.path];
  return {
    path: leaf.path.slice(1),
    element: (
      <RequirePermission permission={leaf.permission}>
        {Component ? <Component /> : <NotBuiltPage page={leaf.label} />}
      </RequirePermission>
    ),
  };
});

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  {
    path: '/',
    element: <RequireSession />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Home /> },
      { path: 'settings', element: <Navigate to="/settings/security" replace /> },
      ...consoleRoutes,
      {
        path: 'tickets/:id',
        element: (
          <RequirePermission permission="tickets.read">
            <TicketPage />
          </RequirePermission>
        ),
      },
      {
        path: 'customers/:id',
        element: (
          <RequirePermission permission="customers.read">
            <CustomerPage />
          </RequirePermission>
        ),
      },
      {
        path: 'agents/:id',
        element: (
          <RequirePermission permission="conversations.read">
            <AgentProfilePage />
          </RequirePermission>
        ),
      },
      ...(
        [
          ['ops/incidents/:id', <IncidentPage key="incident" />],
          ['ops/statement', <StatementPage key="statement" />],
          ['ops/oncall', <OnCallPage key="oncall" />],
        ] as const
      ).map(([path, element]) => ({
        path,
        element: <RequirePermission permission="ops.read">{element}</RequirePermission>,
      })),
      { path: '*', element: <NotFoundResult /> },
    ],
  },
]);
