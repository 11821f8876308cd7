import type { UserInfo } from '../conversation.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import { isCredentialRejected, type Env } from '../toolkit/plugin.ts';
import { scrubCredential } from '../toolkit/redact-credential.ts';
import { pluginInput } from './build-agent.ts';
import type { OnCredentialRejected } from './reject-credential.ts';
import type { ToolkitState } from './resolve-toolkits.ts';

export interface LoadInstructionsInput {
  configured: ToolkitState[];
  user: UserInfo;
  store: Store;
  env: Env;
  logger: Logger;
  agent: string;
  onCredentialRejected: OnCredentialRejected;
}

/**
 * The text each configured toolkit's plugin loads for this turn (e.g. the Google Doc of
 * `instructions_doc`), by toolkit name. Loaded on every turn, outside the cached agent, so an edited
 * document reaches the agent once the plugin's own cache expires, and a failed load is retried on
 * the next turn. A failure is logged (warn, without the credential) and the turn goes on without it;
 * a rejected credential is handled like a tool's (deleted, so the next turn prompts).
 */
export async function loadToolkitInstructions(input: LoadInstructionsInput): Promise<Record<string, string>> {
  const loaded: Record<string, string> = {};
  await Promise.all(
    input.configured.map(async (state) => {
      const load = state.toolkit.plugin.loadInstructions;
      if (!load) return;
      try {
        const text = await load.call(state.toolkit.plugin, pluginInput(input, state));
        if (text) loaded[state.use.name] = text;
      } catch (error) {
        if (isCredentialRejected(error)) return void (await input.onCredentialRejected(state, error));
        const reason = scrubCredential(error instanceof Error ? error.message : String(error), state.credential);
        input.logger.warn({ event: 'instructions_failed', toolkit: state.use.name, agent: input.agent, user: input.user.id, reason }, 'toolkit instructions failed to load');
      }
    }),
  );
  return loaded;
}

/** The rendered toolkit instructions with each toolkit's loaded text appended. */
export function mergeInstructions(rendered: Record<string, string>, loaded: Record<string, string>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [name, text] of Object.entries(rendered)) merged[name] = [text, loaded[name]].filter(Boolean).join('\n\n');
  return merged;
}
