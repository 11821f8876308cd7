import { AgentLLMError } from '../errors.ts';
import { buildOAuthRedirectUri } from '../toolkit/oauth-redirect-uri.ts';
import { derivePkceVerifier, pkceChallenge } from '../toolkit/oauth-pkce.ts';
import { consumeOAuthState, createOAuthState } from '../toolkit/oauth-state.ts';
import type { Store } from '../store/store.ts';
import type { Credential } from '../toolkit/plugin.ts';
import type { FlowContext } from './credential-flow.ts';
import { isConfirmationCode, redeemGrant } from './oauth-confirmation.ts';
import type { ToolkitState } from './resolve-toolkits.ts';

type OAuthContext = Pick<FlowContext, 'agent' | 'user' | 'session' | 'env' | 'oauth'>;

const STATE_PARAMETER = /[?&]state=([A-Za-z0-9_.%-]+)/;

function oauthInput(context: OAuthContext, state: ToolkitState) {
  const credential = state.toolkit.manifest.credential;
  if (credential.type !== 'oauth2') throw new Error(`${state.toolkit.title} does not use OAuth`);
  return {
    config: state.use.config,
    env: context.env,
    redirectUri: buildOAuthRedirectUri(context.oauth.publicUrl, credential.provider),
    scopes: credential.scopes,
  };
}

/** The provider's consent URL, with a signed state bound to this user, agent and session. */
export function authorizationUrlFor(context: OAuthContext, state: ToolkitState): string {
  const plugin = state.toolkit.plugin;
  if (!plugin.authorizationUrl) throw new AgentLLMError(`toolkit ${state.toolkit.name} has no authorizationUrl()`, { status: 500 });
  const signed = createOAuthState(context.oauth.stateKey, {
    userId: context.user.id,
    toolkit: state.use.name,
    agent: context.agent.name,
    sessionId: context.session.sessionId,
  });
  const codeChallenge = pkceChallenge(verifierFor(context, state));
  return plugin.authorizationUrl({ ...oauthInput(context, state), state: signed, codeChallenge });
}

/** The PKCE verifier of this user's authorizations for this toolkit (see oauth-pkce.ts). */
function verifierFor(context: OAuthContext, state: ToolkitState): string {
  return derivePkceVerifier(context.oauth.stateKey, { userId: context.user.id, toolkit: state.use.name });
}

/**
 * Trades an authorization code the user pasted in chat for tokens. In chat (with the store at hand),
 * a confirmation code from the callback page releases the tokens the callback holds for this user.
 */
export async function exchangeOAuthCode(
  context: OAuthContext & { store?: Pick<Store, 'pending'> },
  state: ToolkitState,
  code: string,
): Promise<Credential> {
  if (context.store && isConfirmationCode(code)) {
    return redeemGrant({ store: context.store, user: context.user, toolkit: state.use.name, code });
  }
  const plugin = state.toolkit.plugin;
  if (!plugin.exchangeCode) throw new Error(`toolkit ${state.toolkit.name} cannot exchange authorization codes`);
  return plugin.exchangeCode({ ...oauthInput(context, state), code, codeVerifier: verifierFor(context, state) });
}

/**
 * A user who pastes the whole redirect URL (`...callback?state=...&code=...`) in chat also pasted
 * our signed state: it must be valid, unused and issued to this very user.
 * Returns a problem to tell the user, or undefined when there is no state or it is fine.
 */
export async function checkPastedState(context: Pick<FlowContext, 'user' | 'oauth' | 'store'>, message: string): Promise<string | undefined> {
  const pasted = STATE_PARAMETER.exec(message)?.[1];
  if (!pasted) return undefined;
  const state = decodeURIComponent(pasted);
  const verified = await consumeOAuthState(context.oauth.stateKey, state, context.store.nonces, { expectedUserId: context.user.id });
  return verified.ok ? undefined : stateProblem(verified.reason);
}

/**
 * What to tell a user whose authorization link did not verify: what went wrong, in one sentence
 * (the chat's failure message and the callback page each add what to do next).
 */
export function stateProblem(reason: string): string {
  const reasons: Record<string, string> = {
    malformed: 'This link is not a valid authorization response.',
    bad_signature: 'This authorization link was not issued by this server, or it was altered.',
    expired: 'This authorization link has expired.',
    replayed: 'This authorization link was already used.',
    wrong_user: 'This authorization link belongs to another user.',
  };
  return reasons[reason] ?? 'The authorization could not be verified.';
}
