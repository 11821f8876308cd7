// The HTTP layer: koa app, routes, auth, identity.
export { createServer, type ServerOptions, type AgentLLMServer } from './create-server.ts';
export type { RunningServer } from './listen.ts';
export { resolveIdentity, decodeHeaderValue, ANONYMOUS_USER_ID, type Identity, type IdentitySources } from './identity.ts';
export { DEFAULT_BODY_LIMIT_BYTES } from './read-json-body.ts';
export type { RequestState } from './state.ts';
