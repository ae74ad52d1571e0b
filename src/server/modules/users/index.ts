/** Users module: accounts, roles, sessions, API tokens, two-factor sign-in. */
export { actorFromSession, sessionCookie, login } from './auth.ts';
export { actorFromToken, tokenPrefix } from './tokens.ts';
export { insertUser, setPassword, toUser } from './service.ts';
export { userRoutes } from './routes.ts';
export { registerUserJobs, userSchedules } from './jobs.ts';
