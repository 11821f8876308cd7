import type { RegistrySnapshot } from '../registry/registry.ts';
import { consumeOAuthState } from '../toolkit/oauth-state.ts';
import type { RunDependencies } from './create-run-turn.ts';
import { exchangeOAuthCode, stateProblem } from './oauth.ts';
import { holdGrant } from './oauth-confirmation.ts';
import { resolveToolkits } from './resolve-toolkits.ts';
import { NO_SESSION } from './turn.ts';

export type OAuthCompletion =
  /** `agent`: the agent the link was made for (from the signed state), for the page to name it. */
  | { ok: true; toolkit: string; agent: string; account?: string; confirmationCode: string }
  | { ok: false; status: number; message: string };

/**
 * The browser comes back from the provider's consent screen with `code` and our signed `state`:
 * check the state (signature, expiry, one use), trade the code for tokens and validate them with
 * the service. They are not stored yet: they wait, encrypted, for the confirmation code the page
 * shows to be pasted in chat by the user the state was issued to (see oauth-confirmation.ts).
 */
export async function completeOAuth(
  deps: RunDependencies,
  snapshot: RegistrySnapshot,
  input: { state: string; code: string },
): Promise<OAuthCompletion> {
  const verified = await consumeOAuthState(deps.oauth.stateKey, input.state, deps.store.nonces);
  if (!verified.ok) return { ok: false, status: 400, message: `${stateProblem(verified.reason)} Return to your chat and ask for a new link.` };
  const { userId, toolkit: toolkitName, agent: agentName, sessionId } = verified.payload;
  const agent = snapshot.agents.get(agentName);
  if (!agent) return { ok: false, status: 404, message: `The agent ${agentName} is no longer available.` };
  const states = await resolveToolkits({ snapshot, agent, userId, store: deps.store, env: deps.env });
  const state = states.find((candidate) => candidate.use.name === toolkitName);
  if (!state) return { ok: false, status: 404, message: `The agent ${agentName} no longer uses ${toolkitName}.` };
  const context = { agent, user: { id: userId }, session: { userId, sessionId: sessionId ?? NO_SESSION }, env: deps.env, oauth: deps.oauth };
  try {
    const credential = await exchangeOAuthCode(context, state, input.code);
    const check = await state.toolkit.plugin.validateCredential({ credential, config: state.use.config, env: deps.env });
    if (!check.ok) return { ok: false, status: 400, message: check.error };
    const confirmationCode = await holdGrant(deps.store, { userId, toolkit: toolkitName, credential: check.credential });
    deps.logger.info({ event: 'oauth_pending', toolkit: toolkitName, agent: agentName, user: userId, session: sessionId ?? null }, 'toolkit authorized, waiting for the confirmation code in chat');
    return { ok: true, toolkit: state.toolkit.title, agent: agentName, account: check.account, confirmationCode };
  } catch (error) {
    deps.logger.warn({ event: 'oauth_failed', toolkit: toolkitName, agent: agentName, user: userId, session: sessionId ?? null, err: (error as Error).message }, 'oauth exchange failed');
    return { ok: false, status: 502, message: `${state.toolkit.title} did not accept the authorization: ${(error as Error).message}` };
  }
}
