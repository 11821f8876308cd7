import type { UserInfo } from '../conversation.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import { scrubCredential } from '../toolkit/redact-credential.ts';
import type { AgentCache } from './agent-cache.ts';
import type { ToolkitState } from './resolve-toolkits.ts';

/** Called when a toolkit says its credential is no longer valid; returns what the model is told. */
export type OnCredentialRejected = (state: ToolkitState, error: Error) => Promise<string>;

/**
 * A plugin threw CredentialRejectedError: the user's own credential for the toolkit is deleted and
 * their cached agents dropped, so the next turn prompts for a new one. An operator's environment
 * credential is never deleted; the model is told to send the user to the operator instead.
 */
export function createCredentialRejectedHandler(input: { store: Store; cache: AgentCache; logger: Logger; user: UserInfo; agent: string }): OnCredentialRejected {
  return async (state, error) => {
    const title = state.toolkit.title;
    const reason = scrubCredential(error.message, state.credential);
    const own = state.source === 'user';
    if (own && (await stillStored(input.store, input.user.id, state))) {
      await input.store.credentials.delete(input.user.id, state.use.name);
      input.cache.dropUser(input.user.id);
    }
    const event = own ? 'credential_invalidated' : 'operator_credential_rejected';
    input.logger.warn({ event, toolkits: [state.use.name], agent: input.agent, user: input.user.id }, event.replaceAll('_', ' '));
    if (!own) return `${reason} The server's own ${title} credential was rejected; tell the user to ask the operator to renew it.`;
    return `${reason} The user's stored ${title} credential no longer works and was removed: tell the user they must connect ${title} again (their next message will show how).`;
  };
}

/**
 * True when the stored credential is still the rejected one (the same secret values; an OAuth
 * credential keeps its refresh token across refreshes): a credential the user pasted meanwhile
 * is not deleted because an older one failed.
 */
async function stillStored(store: Store, userId: string, state: ToolkitState): Promise<boolean> {
  const stored = await store.credentials.get(userId, state.use.name);
  if (!stored || !state.credential) return false;
  const credential = state.toolkit.manifest.credential;
  const secrets = credential.type === 'oauth2' ? ['refresh_token', 'access_token'] : credential.fields.filter((field) => field.secret).map((field) => field.name);
  return secrets.some((name) => stored[name] !== undefined && stored[name] === state.credential![name]);
}
