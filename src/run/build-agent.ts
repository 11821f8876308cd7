import type { LoadedAgent } from '../config/definitions.ts';
import type { UserInfo } from '../conversation.ts';
import { AgentLLMError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { isCredentialRejected, type BuildToolsInput, type Env, type Tool } from '../toolkit/plugin.ts';
import { renderToolkitInstructions } from '../toolkit/render-toolkit-message.ts';
import type { BuiltAgent } from './agent-cache.ts';
import type { OnCredentialRejected } from './reject-credential.ts';
import type { ToolkitState } from './resolve-toolkits.ts';

export interface BuildAgentInput {
  agent: LoadedAgent;
  configured: ToolkitState[];
  user: UserInfo;
  store: Store;
  env: Env;
  onCredentialRejected: OnCredentialRejected;
}

/**
 * Builds the tools of every configured toolkit with this user's credentials (never another's), and
 * renders the toolkits' `instructions` templates. What plugins load per turn (loadInstructions) is
 * not part of it: see load-instructions.ts.
 */
export async function buildAgent(input: BuildAgentInput): Promise<BuiltAgent> {
  const tools: Tool[] = [];
  const owners = new Map<string, string>();
  const toolkitInstructions: Record<string, string> = {};
  for (const state of input.configured) {
    const built = await state.toolkit.plugin.buildTools(pluginInput(input, state));
    for (const tool of built) claimToolName(owners, tool.name, state.use.name, input.agent.name);
    tools.push(...built.map((tool) => guardCredential(tool, state, input.onCredentialRejected)));
    toolkitInstructions[state.use.name] = renderToolkitInstructions(state.toolkit, templateContext(input, state));
  }
  return { tools, toolkitInstructions };
}

/**
 * Tool names come from plugin code (known only once built): two toolkits of one agent declaring the
 * same name would shadow each other silently, so building the agent fails naming both.
 */
function claimToolName(owners: Map<string, string>, tool: string, toolkit: string, agent: string): void {
  const owner = owners.get(tool);
  if (owner === undefined) return void owners.set(tool, toolkit);
  const where = owner === toolkit ? `toolkit '${toolkit}' declares it twice` : `toolkits '${owner}' and '${toolkit}' both declare it`;
  throw new AgentLLMError(`agent '${agent}': tool name '${tool}' is not unique: ${where}. Rename one of the tools (e.g. prefix it with its toolkit's name).`, { status: 500, code: 'duplicate_tool_name' });
}

/** A tool whose CredentialRejectedError is handled (credential deleted) and becomes an error result saying so. */
function guardCredential(tool: Tool, state: ToolkitState, onRejected: OnCredentialRejected): Tool {
  return {
    ...tool,
    async handler(args, context) {
      try {
        return await tool.handler(args, context);
      } catch (error) {
        if (!isCredentialRejected(error)) throw error;
        throw new Error(await onRejected(state, error), { cause: error });
      }
    },
  };
}

/** What a plugin gets to build tools or load instructions for one user: their credential, saved back when refreshed. */
export function pluginInput(input: Pick<BuildAgentInput, 'user' | 'store' | 'env'>, state: ToolkitState): BuildToolsInput {
  return {
    credential: state.credential!,
    config: state.use.config,
    env: input.env,
    user: input.user,
    saveCredential: async (credential) => {
      if (state.source === 'user') await input.store.credentials.set(input.user.id, state.use.name, credential);
    },
  };
}

export function templateContext(input: { agent: LoadedAgent; user: UserInfo }, state: { use: { config: Record<string, unknown> } }) {
  return {
    user: input.user,
    agent: { name: input.agent.name, description: input.agent.description },
    config: state.use.config,
  };
}
