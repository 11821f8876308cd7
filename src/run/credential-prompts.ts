import { renderToolkitMessage } from '../toolkit/render-toolkit-message.ts';
import { templateContext } from './build-agent.ts';
import type { FlowContext } from './credential-flow.ts';
import { authorizationUrlFor } from './oauth.ts';
import type { ToolkitState } from './resolve-toolkits.ts';

export interface CredentialPrompt {
  state: ToolkitState;
  text: string;
  /** False when the prompt cannot be made on this server (e.g. no OAuth client configured). */
  available: boolean;
}

/** Optional toolkits already warned about (once per process and reason): the log is not flooded. */
const warned = new Set<string>();

/**
 * The prompts for these toolkits. A required toolkit whose prompt cannot be made gets a message
 * saying so; an optional one is left out (one warning in the log), so that the agent runs without it.
 */
export async function promptsFor(context: FlowContext, states: ToolkitState[]): Promise<CredentialPrompt[]> {
  const prompts = await Promise.all(states.map((state) => promptFor(context, state)));
  for (const prompt of prompts.filter((candidate) => !candidate.available && !candidate.state.use.required)) warnUnavailable(context, prompt);
  return prompts.filter((prompt) => prompt.available || prompt.state.use.required);
}

async function promptFor(context: FlowContext, state: ToolkitState): Promise<CredentialPrompt> {
  const base = { ...templateContext(context, state), optional: !state.use.required };
  if (state.toolkit.manifest.credential.type !== 'oauth2') {
    const text = renderToolkitMessage(state.toolkit, 'prompt', base);
    return { state, text: state.mismatch ? `${state.mismatch}\n\n${text}` : text, available: true };
  }
  try {
    const authorizationUrl = authorizationUrlFor(context, state);
    return { state, text: renderToolkitMessage(state.toolkit, 'prompt', { ...base, authorizationUrl }), available: true };
  } catch (error) {
    // e.g. the operator has not configured the OAuth client: tell the user in the chat.
    return { state, text: `${state.toolkit.title} cannot be connected on this server yet: ${errorText(error)}`, available: false };
  }
}

function warnUnavailable(context: FlowContext, prompt: CredentialPrompt): void {
  const key = `${prompt.state.use.name}\n${prompt.text}`;
  if (warned.has(key)) return;
  warned.add(key);
  context.logger.warn({ event: 'optional_toolkit_unavailable', toolkit: prompt.state.use.name, agent: context.agent.name, reason: prompt.text }, 'optional toolkit left out: its credential prompt cannot be made');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
