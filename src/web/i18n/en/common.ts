/** English: the language switch, navigation, header, shared words, error pages and API error messages. */
import type { Messages } from '../zh-CN.ts';

export const language: Messages['language'] = {
  label: 'Language',
  'zh-CN': '简体中文',
  en: 'English',
};

export const nav: Messages['nav'] = {
  inbox: 'Inbox',
  tickets: 'Tickets',
  customers: 'Customers',
  knowledge: 'Knowledge',
  reports: 'Reports',
  ops: 'Ops',
  monitoring: 'Monitoring',
  warRoom: 'War room',
  incidents: 'Incidents',
  opsOverview: 'Ops overview',
  reportProblem: 'Report a problem',
  incidentSettings: 'Incident settings',
  backups: 'Backups',
  settings: 'Settings',
  workspace: 'Workspace',
  users: 'Users',
  tokens: 'API tokens',
  audit: 'Audit log',
  workspaces: 'Workspaces',
  security: 'Security',
  inboxes: 'Inboxes',
  cannedReplies: 'Canned replies',
  labels: 'Conversation labels',
  store: 'Store',
  routing: 'Routing & CSAT',
  sla: 'SLA policies',
  ticketSettings: 'Tickets',
  privacy: 'Data retention',
};

export const header: Messages['header'] = {
  switchWorkspace: 'Switch workspace',
  switched: 'Switched to workspace “{{name}}”',
  security: 'Account security',
  signOut: 'Sign out',
  openMenu: 'Open the menu',
  collapse: 'Collapse menu',
  expand: 'Expand menu',
};

export const common: Messages['common'] = {
  save: 'Save',
  saved: 'Saved',
  cancel: 'Cancel',
  confirm: 'OK',
  create: 'Create',
  edit: 'Edit',
  close: 'Close',
  copy: 'Copy',
  copied: 'Copied',
  actions: 'Actions',
  yes: 'Yes',
  never: 'Never',
  retry: 'Retry',
  search: 'Search',
  reset: 'Reset',
  loadMore: 'Load more',
  loadingMore: 'Loading…',
  noMore: 'No more entries',
  searchKind: {
    ticket_number: 'ticket number',
    order_no: 'order number',
    phone: 'phone',
    email: 'e-mail',
    name: 'customer name',
    external: 'shop user id',
    text: 'full text',
  },
  searchNote: {
    exact: 'Exact match by {{kind}}',
    text: 'Full-text search · newest matches first',
  },
  backHome: 'Back to start',
  timeIn: 'Time ({{zone}})',
  you: ' (you)',
  savedViews: {
    saveCurrent: 'Save as view',
    saveTitle: 'Save the current filters as a view',
    editTitle: 'Edit view',
    name: 'View name',
    nameRequired: 'Enter a name',
    shared: 'Shared with the team',
    sharedHelp: 'Everyone in the workspace sees this view',
    savedDone: 'View saved',
    delete: 'Delete view',
    deleteConfirm: 'Delete the view "{{name}}"?',
  },
};

export const notBuilt: Messages['notBuilt'] = {
  title: 'Coming soon',
  description: 'The {{page}} module is still being built: it has no features or data yet.',
  coming: {
    knowledge:
      'Coming: the knowledge base and the bot: FAQs, intents, order look-ups, and a hand-off to a person when unsure.',
    reports: 'Coming: customer-service reports: response times, resolution rate, CSAT and hot questions, monthly.',
    monitoring:
      'Coming: 7×24 monitoring: CPU, memory, disk, response time, error rate, people online, and alert rules.',
    incidents:
      'Coming: incidents: severities, response and resolution limits, escalation, notifications, root causes and penalties.',
    backups:
      'Coming: backups and restores: daily incremental, weekly full, off-site copies, and quarterly restore drills.',
  },
};

export const forbidden: Messages['forbidden'] = {
  title: '403 No permission',
  description: 'Your role is not allowed to open this page. Ask a workspace administrator if you need access.',
};

export const notFound: Messages['notFound'] = {
  title: '404 Page not found',
  description: 'The page you are looking for does not exist.',
};

export const loadError: Messages['loadError'] = {
  title: 'Could not load',
};

export const errors: Messages['errors'] = {
  invalid_credentials:
    'Wrong e-mail or password (after repeated failures the account is locked for a while and its owner gets an e-mail)',
  totp_required: 'Enter the 6-digit code from your authenticator app',
  invalid_totp: 'Wrong code, please try again',
  account_locked: 'The account is temporarily locked after too many failed sign-ins. Try again later.',
  account_disabled: 'The account is disabled. Ask an administrator.',
  rate_limited: 'Too many attempts. Please wait a moment and try again.',
  unauthenticated: 'Your session has ended. Please sign in again.',
  forbidden: 'You are not allowed to do this',
  not_found: 'Not found, or already deleted',
  conflict: 'Conflict: it may already exist',
  wrong_password: 'The current password is wrong',
  invalid_input: 'Some fields are not valid',
  invalid_json: 'Some fields are not valid',
  bad_request: 'The request was not valid',
  csrf_failed: 'Security check failed. Reload the page and try again.',
  invalid_token: 'The API token is unknown, revoked or expired',
  version_conflict: 'Someone else changed the ticket: reload and try again',
  illegal_transition: 'The ticket cannot move to that status',
  fields_required: 'Some fields must be filled in before solving',
  invalid_fields: 'A custom field has a wrong value',
  invalid_type: 'No such ticket type (or it is archived)',
  invalid_field: 'The field is invalid (a drop-down needs options)',
  invalid_calendar: 'The working calendar is invalid',
  invalid_policy: 'The SLA policy is invalid',
  password_change_required: 'Change your temporary password first',
  session_required: 'This needs a signed-in console session; API tokens cannot do it',
  quota_exceeded: "The workspace's file storage is full. Ask an administrator.",
  network_error: 'Cannot reach the server. Check your connection.',
  internal: 'Internal server error. Please try again later.',
  unknown: 'Something went wrong ({{code}})',
  requestId: 'Request ID: {{id}}',
};
