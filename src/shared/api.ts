/**
 * The HTTP API's request and response schemas, shared by the server (validation, OpenAPI)
 * and the console (types). Objects are strict: unknown fields are refused with a 400.
 */
import { z } from 'zod';
import { permissions, roles } from './permissions.ts';

export const languages = ['zh-CN', 'en'] as const;
export const Language = z.enum(languages);
export const RoleSchema = z.enum(roles);
export const PermissionSchema = z.enum(permissions);

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    issues: z.array(z.unknown()).optional(),
  }),
});

const timezone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown IANA time zone');
/** An e-mail address, trimmed and lower-cased. */
export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());
const email = Email;
export const Password = z.string().min(10, 'at least 10 characters').max(200);
const name = z.string().trim().min(1).max(100);
export const IdParam = z.strictObject({ id: z.string().min(1).max(64) });

export const Workspace = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  timezone: z.string(),
  defaultLanguage: Language,
  createdAt: z.string(),
});
export type Workspace = z.infer<typeof Workspace>;

export const User = z.object({
  id: z.string(),
  workspaceId: z.string(),
  email: z.string(),
  name: z.string(),
  /** What shoppers see on this agent's replies (昵称); null: the account name. */
  displayName: z.string().nullable(),
  /** The avatar shoppers see beside this agent's replies (an image address; uploaded or generated). */
  avatarUrl: z.string(),
  role: RoleSchema,
  disabled: z.boolean(),
  installationOwner: z.boolean(),
  totpEnabled: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof User>;

// ---- auth ----
export const LoginBody = z.strictObject({
  email,
  password: z.string().min(1).max(200),
  totp: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});
export const Me = z.object({
  user: User,
  workspace: Workspace,
  permissions: z.array(PermissionSchema),
  csrfToken: z.string(),
});
export type Me = z.infer<typeof Me>;
/** The account's password, asked again by every account-security change (a session alone is not enough). */
const confirmation = z.string().min(1).max(200);
export const ChangePasswordBody = z.strictObject({
  currentPassword: confirmation,
  newPassword: Password,
  /** Revoke the caller's API tokens too (the default); keeping them is recorded in the audit log. */
  revokeTokens: z.boolean().default(true),
});
export const ChangedPassword = z.object({ ok: z.literal(true), tokensRevoked: z.number().int() });
export const TotpSetupBody = z.strictObject({ password: confirmation });
export const TotpSetup = z.object({ secret: z.string(), otpauthUrl: z.string() });
export const TotpEnableBody = z.strictObject({ code: z.string().regex(/^\d{6}$/), password: confirmation });
export const TotpDisableBody = z.strictObject({ password: confirmation });
export const SwitchWorkspaceBody = z.strictObject({ workspaceId: z.string().min(1).max(64) });

// ---- users ----
const displayName = z.string().trim().max(40);
export const CreateUserBody = z.strictObject({
  email,
  name,
  displayName: displayName.optional(),
  role: RoleSchema,
  /** Omitted: a temporary password is generated and returned once. */
  password: Password.optional(),
});
export const CreatedUser = z.object({ user: User, temporaryPassword: z.string().optional() });
export const UpdateUserBody = z.strictObject({
  name: name.optional(),
  /** Empty or null: shoppers see the account name. */
  displayName: displayName.nullable().optional(),
  role: RoleSchema.optional(),
  disabled: z.boolean().optional(),
});
export const ResetPasswordResult = z.object({ temporaryPassword: z.string() });
export const UserList = z.object({ items: z.array(User) });

// ---- workspace ----
export const UpdateWorkspaceBody = z.strictObject({
  name: name.optional(),
  timezone: timezone.optional(),
  defaultLanguage: Language.optional(),
});
export const CreateWorkspaceBody = z.strictObject({
  name,
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, 'lowercase letters, digits and dashes, 3-40 long'),
  timezone: timezone.default('Asia/Shanghai'),
  defaultLanguage: Language.default('zh-CN'),
  admin: z.strictObject({ email, name, password: Password.optional() }),
});
export const CreatedWorkspace = z.object({
  workspace: Workspace,
  admin: User,
  temporaryPassword: z.string().optional(),
});
export const WorkspaceList = z.object({ items: z.array(Workspace) });

// ---- API tokens ----
export const ApiToken = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(PermissionSchema),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export const CreateTokenBody = z.strictObject({
  name,
  scopes: z.array(PermissionSchema).min(1).max(permissions.length),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
  /** The creator's password: a token outlives the session that made it. */
  password: confirmation,
});
export const CreatedToken = z.object({ token: ApiToken, secret: z.string() });
export const TokenList = z.object({ items: z.array(ApiToken) });

// ---- audit ----
export const AuditEntry = z.object({
  id: z.string(),
  actorType: z.enum(['user', 'token', 'system']),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string().nullable(),
  ip: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditQuery = z.strictObject({
  action: z.string().max(64).optional(),
  actorId: z.string().max(64).optional(),
  objectType: z.string().max(64).optional(),
  before: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const AuditPage = z.object({ items: z.array(AuditEntry), nextBefore: z.string().nullable() });

export const Ok = z.object({ ok: z.literal(true) });

// ---- notifications ----
/** A notification: its type (e.g. `sla.breached`) and parameters; the console writes the words. */
export const Notification = z.object({
  id: z.string(),
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
  link: z.string().nullable(),
  read: z.boolean(),
  createdAt: z.string(),
});
export type Notification = z.infer<typeof Notification>;
/**
 * What a notification is about (`data.subject`): a ticket (number, title) or a conversation, which
 * carries its customer's id and name, read (the name masked without customers.pii) when the list
 * is fetched, so the console names an unnamed visitor "访客 4b2e" as on every other page.
 */
export type NotificationSubject = {
  type: string;
  id?: string;
  number?: number;
  title?: string;
  customerId?: string | null;
  customerName?: string | null;
};
export const NotificationList = z.object({ items: z.array(Notification), unread: z.number().int() });
/** Web Push: the installation's VAPID public key, and on how many browsers the caller receives pushes. */
export const PushKey = z.object({ publicKey: z.string(), subscriptions: z.number().int() });
const base64url = z
  .string()
  .min(8)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+=*$/, 'base64url');
/** A browser's PushSubscription (its toJSON()): the push service's URL and the keys to encrypt for it. */
export const PushSubscriptionBody = z.object({
  endpoint: z.url({ protocol: /^https?$/ }).max(2000),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({ p256dh: base64url, auth: base64url }),
});
export const PushUnsubscribeBody = z.strictObject({ endpoint: z.string().max(2000) });
