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
  /** Why it cannot be made, for the operator (the log): never shown to the user. */
  problem?: string;
}

/** Toolkits already warned about (once per process and reason): the log is not flooded. */
const warned = new Set<string>();

/**
 * The prompts for these toolkits. A required toolkit whose prompt cannot be made gets a plain
 * sentence for the user (ask the administrator); an optional one is left out, so that the agent
 * runs without it. Either way the operator gets the reason in the log (and in /health/ready).
 */
export async function promptsFor(context: FlowContext, states: ToolkitState[]): Promise<CredentialPrompt[]> {
  const prompts = await Promise.all(states.map((state) => promptFor(context, state)));
  for (const prompt of prompts.filter((candidate) => !candidate.available)) warnUnavailable(context, prompt);
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
    // e.g. the operator has not configured the OAuth client: the user can only ask them.
    const text = `${state.toolkit.title} isn't available on this server yet: please ask its administrator to set it up.`;
    return { state, text, available: false, problem: errorText(error) };
  }
}

function warnUnavailable(context: FlowContext, prompt: CredentialPrompt): void {
  const { use } = prompt.state;
  const key = `${context.agent.name}\n${use.name}\n${prompt.problem}`;
  if (warned.has(key)) return;
  warned.add(key);
  const message = use.required ? 'required toolkit unavailable: users are told to ask the administrator' : 'optional toolkit left out: its credential prompt cannot be made';
  context.logger.warn({ event: 'toolkit_unavailable', toolkit: use.name, required: use.required, agent: context.agent.name, reason: prompt.problem }, message);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
