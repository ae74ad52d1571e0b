/** Request and response types of the API, inferred from the shared schemas (type-only: no zod in the bundle). */
import type { z } from 'zod';
import type * as Api from '../../shared/api.ts';

export type { Me, User, Workspace, AuditEntry } from '../../shared/api.ts';
export type LoginBody = z.input<typeof Api.LoginBody>;
export type ChangePasswordBody = z.input<typeof Api.ChangePasswordBody>;
export type TotpSetup = z.infer<typeof Api.TotpSetup>;
export type TotpSetupBody = z.input<typeof Api.TotpSetupBody>;
export type ChangedPassword = z.infer<typeof Api.ChangedPassword>;
export type TotpEnableBody = z.input<typeof Api.TotpEnableBody>;
export type TotpDisableBody = z.input<typeof Api.TotpDisableBody>;
export type SwitchWorkspaceBody = z.input<typeof Api.SwitchWorkspaceBody>;
export type CreateUserBody = z.input<typeof Api.CreateUserBody>;
export type CreatedUser = z.infer<typeof Api.CreatedUser>;
export type UpdateUserBody = z.input<typeof Api.UpdateUserBody>;
export type ResetPasswordResult = z.infer<typeof Api.ResetPasswordResult>;
export type UserList = z.infer<typeof Api.UserList>;
export type UpdateWorkspaceBody = z.input<typeof Api.UpdateWorkspaceBody>;
export type CreateWorkspaceBody = z.input<typeof Api.CreateWorkspaceBody>;
export type CreatedWorkspace = z.infer<typeof Api.CreatedWorkspace>;
export type WorkspaceList = z.infer<typeof Api.WorkspaceList>;
export type ApiToken = z.infer<typeof Api.ApiToken>;
export type CreateTokenBody = z.input<typeof Api.CreateTokenBody>;
export type CreatedToken = z.infer<typeof Api.CreatedToken>;
export type TokenList = z.infer<typeof Api.TokenList>;
export type AuditQuery = z.input<typeof Api.AuditQuery>;
export type AuditPage = z.infer<typeof Api.AuditPage>;
export type Ok = z.infer<typeof Api.Ok>;
