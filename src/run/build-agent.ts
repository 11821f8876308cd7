import type { LoadedAgent } from '../config/definitions.ts';
import type { UserInfo } from '../conversation.ts';
import type { Store } from '../store/store.ts';
import type { Env, Tool } from '../toolkit/plugin.ts';
import { renderToolkitInstructions } from '../toolkit/render-toolkit-message.ts';
import type { BuiltAgent } from './agent-cache.ts';
import type { ToolkitState } from './resolve-toolkits.ts';

/** Builds the tools of every configured toolkit with this user's credentials (never another's). */
export async function buildAgent(input: {
  agent: LoadedAgent;
  configured: ToolkitState[];
  user: UserInfo;
  store: Store;
  env: Env;
}): Promise<BuiltAgent> {
  const tools: Tool[] = [];
  const toolkitInstructions: Record<string, string> = {};
  for (const state of input.configured) {
    const { toolkit, use } = state;
    const buildInput = {
      credential: state.credential!,
      config: use.config,
      env: input.env,
      user: input.user,
      saveCredential: async (credential: Record<string, string>) => {
        if (state.source === 'user') await input.store.credentials.set(input.user.id, use.name, credential);
      },
    };
    tools.push(...(await toolkit.plugin.buildTools(buildInput)));
    const parts = [renderToolkitInstructions(toolkit, templateContext(input, state))];
    const loaded = await toolkit.plugin.loadInstructions?.(buildInput).catch(() => undefined);
    if (loaded) parts.push(loaded);
    toolkitInstructions[use.name] = parts.filter(Boolean).join('\n\n');
  }
  return { tools, toolkitInstructions };
}

export function templateContext(input: { agent: LoadedAgent; user: UserInfo }, state: { use: { config: Record<string, unknown> } }) {
  return {
    user: input.user,
    agent: { name: input.agent.name, description: input.agent.description },
    config: state.use.config,
  };
}
