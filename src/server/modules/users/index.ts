/** Users module: accounts, roles, sessions, API tokens, two-factor sign-in, presence. */
import type { KefuModule } from '../../module.ts';
import { userEvents } from './events.ts';
import { userJobs, userSchedules } from './jobs.ts';
import { userRoutes } from './routes.ts';

/** Resolve the actor behind a session cookie or an API token (the HTTP auth hook and the gateway use these). */
export { actorFromSession, sessionCookieName } from './auth.ts';
export { actorFromToken, tokenPrefix } from './tokens.ts';
/** Create a user (CLI, tests) and set a password (ends the user's sessions). */
export { insertUser, setPassword, toUser, type NewUser } from './service.ts';
/** The name shoppers see on an agent's replies: the display name (昵称), else the account name. */
export { publicAgentName } from './service.ts';
/** Agents' avatars for shoppers: which one a user has (public name for initials), and setting one's own. */
export { agentAvatar, setOwnAvatar, type AgentAvatar } from './avatar.ts';
/** A workspace with its first owner, in one unit of work (seed, CLI, the installation owner's route). */
export { createWorkspaceWithOwner, type NewWorkspace } from './onboarding.ts';
/** What other modules may know about people: membership, e-mails, presence. */
export {
  activeMembers,
  allMembers,
  anyonePresentSince,
  assertActiveMember,
  enableUser,
  homeWorkspaceId,
  homeWorkspaceIds,
  mentionableMembers,
  touchPresence,
  userByEmail,
  type Person,
} from './directory.ts';

/** Key rotation: reseal a batch of two-step secrets under the current key. */
export { resealUsers } from './reseal.ts';

export const usersModule: KefuModule = {
  name: 'users',
  tables: ['users', 'sessions', 'api_tokens'],
  events: userEvents,
  permissions: ['users.read', 'users.manage', 'installation.manage', 'workspace.read'],
  routes: userRoutes,
  jobs: userJobs,
  schedules: userSchedules,
};
