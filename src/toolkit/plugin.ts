import type { UserInfo } from '../conversation.ts';

/**
 * The contract of toolkits/<name>/index.ts: its default export is a ToolkitPlugin.
 * The manifest (toolkit.yaml) says what credential it needs and how to talk to the user;
 * the plugin builds tools from a credential and checks a credential against the service.
 */

/** A credential's fields: api_token fields by name, or OAuth tokens (access_token, refresh_token, expiry_date, ...). */
export type Credential = Record<string, string>;

export type Env = Record<string, string | undefined>;

export interface ToolContext {
  signal: AbortSignal;
}

export interface Tool {
  name: string;
  description: string;
  /** JSON Schema of the arguments (type: object). */
  parameters: Record<string, unknown>;
  handler(args: Record<string, unknown>, context: ToolContext): Promise<unknown>;
}

export interface BuildToolsInput {
  credential: Credential;
  /** The agent's `config` for this toolkit, already validated against the manifest's config schema. */
  config: Record<string, unknown>;
  env: Env;
  user: UserInfo;
  /** Called when the plugin refreshed the credential (e.g. a new OAuth access token) so it is stored. */
  saveCredential(credential: Credential): Promise<void>;
}

export type CredentialCheck =
  | { ok: true; credential: Credential; account?: string }
  | { ok: false; error: string };

export interface ValidateCredentialInput {
  credential: Credential;
  config: Record<string, unknown>;
  env: Env;
  signal?: AbortSignal;
}

export interface OAuthInput {
  config: Record<string, unknown>;
  env: Env;
  redirectUri: string;
  scopes: string[];
}

/** PKCE (S256): the runtime keeps the verifier; the plugin sends the challenge, then the verifier. */
export interface PkceChallenge {
  /** BASE64URL(SHA-256(verifier)): send as `code_challenge` with `code_challenge_method=S256`. */
  codeChallenge: string;
}

/**
 * Thrown by a tool handler or `loadInstructions` when the service says the stored credential is no
 * longer valid (an OAuth refresh token revoked or expired: `invalid_grant`; an API token answered
 * with 401). The runtime then deletes the user's credential for the toolkit (an operator's
 * environment credential is never deleted), drops the user's cached agents, tells the model the
 * user must reconnect, and prompts for the credential on the user's next turn.
 */
export class CredentialRejectedError extends Error {
  readonly code = 'credential_rejected';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CredentialRejectedError';
  }
}

/** True for a CredentialRejectedError, also one from another copy of this module (matched by name and code). */
export function isCredentialRejected(error: unknown): error is CredentialRejectedError {
  if (error instanceof CredentialRejectedError) return true;
  const candidate = error as { name?: unknown; code?: unknown } | null;
  return typeof candidate === 'object' && candidate !== null && candidate.name === 'CredentialRejectedError' && candidate.code === 'credential_rejected';
}

export interface ToolkitPlugin {
  buildTools(input: BuildToolsInput): Promise<Tool[]> | Tool[];
  validateCredential(input: ValidateCredentialInput): Promise<CredentialCheck>;
  /** oauth2 toolkits: the provider's consent URL for this signed state, with the PKCE challenge. */
  authorizationUrl?(input: OAuthInput & PkceChallenge & { state: string }): string;
  /** oauth2 toolkits: trade an authorization code for tokens, sending the PKCE `code_verifier`. */
  exchangeCode?(input: OAuthInput & { code: string; codeVerifier: string }): Promise<Credential>;
  /** Extra text for the agent's system instruction fetched with the user's credential (e.g. a team playbook doc); cached by the plugin. */
  loadInstructions?(input: BuildToolsInput): Promise<string | undefined>;
  /** Credential from operator-level environment (e.g. JIRA_API_TOKEN), used when a user has none. */
  credentialFromEnv?(env: Env): Credential | undefined;
  /**
   * Why the user's stored credential must not be used with this agent's config (e.g. a Jira token
   * stored for another site than the agent's `server_url`), or undefined when it fits. The runtime
   * then sends nothing with it: the user is prompted for a credential for this agent, with this
   * reason in front of the prompt.
   */
  credentialMismatch?(input: { credential: Credential; config: Record<string, unknown>; env: Env }): string | undefined;
}
