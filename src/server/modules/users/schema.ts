import { tablesOf, type Executor } from '../../db/index.ts';

export type UsersTable = {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  /** What shoppers see on this agent's replies (昵称); null: the account name. */
  display_name: string | null;
  /** The avatar shoppers see: an uploaded image (an attachment of the workspace), else generated initials on `avatar_color`. */
  avatar_attachment_id: string | null;
  avatar_color: string | null;
  role: string;
  password_hash: string;
  disabled: number;
  installation_owner: number;
  totp_secret: string | null;
  totp_enabled: number;
  totp_last_step: number | null; // the last TOTP time step accepted: a code is good once
  must_change_password: number;
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
  last_active_at: string | null; // refreshed by the realtime gateway while an agent is connected
  created_at: string;
  updated_at: string;
};
export type SessionsTable = {
  id: string; // sha256 of the cookie value; the raw value is never stored
  workspace_id: string;
  user_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
};
export type ApiTokensTable = {
  id: string;
  workspace_id: string;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  scopes: string; // JSON array of permissions
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
};
export type UsersTables = { users: UsersTable; sessions: SessionsTable; api_tokens: ApiTokensTable };

export const own = (e: Executor) => tablesOf<UsersTables>(e);
