import { AgentLLMError } from '../errors.ts';
import { buildOAuthRedirectUri } from '../toolkit/oauth-redirect-uri.ts';
import { createOAuthState } from '../toolkit/oauth-state.ts';
import type { Credential } from '../toolkit/plugin.ts';
import type { FlowContext } from './credential-flow.ts';
import type { ToolkitState } from './resolve-toolkits.ts';

type OAuthContext = Pick<FlowContext, 'agent' | 'user' | 'session' | 'env' | 'oauth'>;

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
  return plugin.authorizationUrl({ ...oauthInput(context, state), state: signed });
}

/** Trades an authorization code the user pasted in chat for tokens. */
export async function exchangeOAuthCode(context: OAuthContext, state: ToolkitState, code: string): Promise<Credential> {
  const plugin = state.toolkit.plugin;
  if (!plugin.exchangeCode) throw new Error(`toolkit ${state.toolkit.name} cannot exchange authorization codes`);
  return plugin.exchangeCode({ ...oauthInput(context, state), code });
}
