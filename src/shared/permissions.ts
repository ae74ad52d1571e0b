/**
 * The permission matrix: the one place that says which role may do what.
 * Every API route names one permission (or declares itself public / any signed-in user);
 * the server enforces it and the console hides what a role cannot use.
 */
export const roles = ['owner', 'admin', 'supervisor', 'agent', 'ops', 'auditor', 'readonly'] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  'workspace.read', // see the workspace's settings
  'workspace.manage', // change name, time zone, default language
  'installation.manage', // create and list workspaces (installation owner only)
  'installation.ops', // monitoring of the installation: probes, alert rules, silences (its home workspace's owner, admins, ops)
  'users.read', // list users and their roles
  'users.manage', // create, disable, reset passwords, assign roles
  'audit.read', // read the audit log
  'conversations.read',
  'conversations.manage',
  'tickets.read',
  'tickets.manage',
  'customers.read',
  'customers.pii', // see customers' names, phones and e-mails unmasked
  'knowledge.read',
  'knowledge.manage',
  'reports.read',
  'ops.read', // monitoring, incidents, backups: read
  'ops.manage', // acknowledge incidents, run backups and drills
  'settings.manage', // channels, SLA policies, bot, integrations
  'privacy.manage', // export and erase a shopper's data (PIPL requests), retention rules
] as const;
export type Permission = (typeof permissions)[number];

const installationWide: readonly Permission[] = ['installation.manage', 'installation.ops'];
const all = permissions.filter((p) => !installationWide.includes(p));
const csWork: Permission[] = [
  'workspace.read',
  'conversations.read',
  'conversations.manage',
  'tickets.read',
  'tickets.manage',
  'customers.read',
  'knowledge.read',
];

export const matrix: Record<Role, readonly Permission[]> = {
  // The installation owner additionally holds installation.manage (see permissionsFor).
  owner: all,
  admin: all,
  supervisor: [...csWork, 'customers.pii', 'users.read', 'knowledge.manage', 'reports.read'],
  agent: csWork,
  ops: ['workspace.read', 'ops.read', 'ops.manage', 'reports.read', 'audit.read'],
  auditor: [
    'workspace.read',
    'users.read',
    'audit.read',
    'reports.read',
    'ops.read',
    'tickets.read',
    'conversations.read',
    'customers.read',
  ],
  readonly: [
    'workspace.read',
    'conversations.read',
    'tickets.read',
    'customers.read',
    'knowledge.read',
    'reports.read',
    'ops.read',
  ],
};

/** Roles of the installation's home workspace that watch the installation (monitoring): `installation.ops`. */
export const installationOpsRoles: readonly Role[] = ['owner', 'admin', 'ops'];

/**
 * Permissions of a role; the installation owner flag adds installation.manage and installation.ops
 * to the owner role; `homeWorkspace` (the actor acts in the installation owner's own workspace)
 * adds installation.ops to its owners, admins and ops engineers.
 */
export function permissionsFor(role: Role, installationOwner = false, homeWorkspace = false): Permission[] {
  const base = [...matrix[role]];
  if (role === 'owner' && installationOwner) base.push('installation.manage', 'installation.ops');
  else if (homeWorkspace && installationOpsRoles.includes(role)) base.push('installation.ops');
  return base;
}

export function can(role: Role, permission: Permission, installationOwner = false, homeWorkspace = false): boolean {
  return permissionsFor(role, installationOwner, homeWorkspace).includes(permission);
}

/** Roles that a user holding `role` may grant: nobody grants a role above their own. */
export function assignableRoles(role: Role): Role[] {
  if (role === 'owner') return [...roles];
  if (role === 'admin') return roles.filter((r) => r !== 'owner');
  return [];
}
