import type { RegistrySnapshot } from '../registry/registry.ts';
import { asksToRevoke } from '../toolkit/match-message.ts';
import { renderToolkitMessage } from '../toolkit/render-toolkit-message.ts';
import { templateContext } from './build-agent.ts';
import type { FlowContext } from './credential-flow.ts';
import type { ToolkitState } from './resolve-toolkits.ts';

export interface RevokeOutcome {
  text: string;
  /** The toolkits whose stored credential of this user was deleted. */
  revoked: ToolkitState[];
}

/**
 * Handles a request to delete the user's credential ("forget my jira token"), or returns undefined
 * when the message asks for none. The agent's own toolkits are checked, and every other loaded
 * toolkit for which the user has a stored credential (so "forget my jira token" works in an agent
 * without Jira too). Each toolkit asked for gets one line: removed, nothing stored, or the
 * operator's credential (which the chat cannot remove).
 */
export async function revokeCredentials(context: FlowContext, states: ToolkitState[], message: string): Promise<RevokeOutcome | undefined> {
  const asked = [...states.filter((state) => asksToRevoke(state.toolkit, message)), ...(await storedElsewhere(context, states, message))];
  if (asked.length === 0) return undefined;
  const texts: string[] = [];
  const revoked: ToolkitState[] = [];
  for (const state of asked) {
    const title = state.toolkit.title;
    if (state.source === 'operator') {
      texts.push(`${title}: you are using this server's own ${title} credential, which cannot be removed from the chat (ask the server's operator).`);
      continue;
    }
    if (!(await context.store.credentials.delete(context.user.id, state.use.name))) {
      texts.push(`No ${title} credential of yours is stored here, so there was nothing to remove.`);
      continue;
    }
    revoked.push(state);
    texts.push(renderToolkitMessage(state.toolkit, 'revoked', templateContext(context, state)));
  }
  if (revoked.length > 0) context.cache.dropUser(context.user.id);
  return { text: texts.join('\n\n'), revoked };
}

/** Loaded toolkits the agent does not use whose revoke phrases match, and for which the user has a stored credential. */
async function storedElsewhere(context: FlowContext, states: ToolkitState[], message: string): Promise<ToolkitState[]> {
  const own = new Set(states.map((state) => state.use.name));
  const found: ToolkitState[] = [];
  for (const toolkit of otherToolkits(context.snapshot, own)) {
    if (!asksToRevoke(toolkit, message)) continue;
    const credential = await context.store.credentials.get(context.user.id, toolkit.name);
    if (credential) found.push({ use: { name: toolkit.name, required: false, config: {} }, toolkit, credential, source: 'user' });
  }
  return found;
}

function otherToolkits(snapshot: RegistrySnapshot, own: Set<string>) {
  return [...snapshot.toolkits.values()].filter((toolkit) => !own.has(toolkit.name));
}
