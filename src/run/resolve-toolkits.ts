import type { LoadedAgent, ToolkitUse } from '../config/definitions.ts';
import type { ActiveToolkit, RegistrySnapshot } from '../registry/registry.ts';
import type { Store } from '../store/store.ts';
import type { Credential, Env } from '../toolkit/plugin.ts';

/** One of an agent's toolkits, with the credential that would serve this user, if any. */
export interface ToolkitState {
  use: ToolkitUse;
  toolkit: ActiveToolkit;
  credential?: Credential;
  /** 'user': the user's own; 'operator': from the environment. */
  source?: 'user' | 'operator';
  /** The user's stored credential does not fit this agent (the plugin's credentialMismatch): why. */
  mismatch?: string;
}

export async function resolveToolkits(input: {
  snapshot: RegistrySnapshot;
  agent: LoadedAgent;
  userId: string;
  store: Store;
  env: Env;
}): Promise<ToolkitState[]> {
  return Promise.all(
    input.agent.toolkits.map(async (use) => {
      const toolkit = input.snapshot.toolkits.get(use.name);
      if (!toolkit) throw new Error(`toolkit ${use.name} of agent ${input.agent.name} is not loaded`);
      const own = await input.store.credentials.get(input.userId, use.name);
      const mismatch = own ? toolkit.plugin.credentialMismatch?.({ credential: own, config: use.config, env: input.env }) : undefined;
      if (own && !mismatch) return { use, toolkit, credential: own, source: 'user' as const };
      // A stored credential that does not fit this agent is never used here: the user is prompted.
      if (mismatch) return { use, toolkit, mismatch };
      const operator = toolkit.plugin.credentialFromEnv?.(input.env);
      return operator ? { use, toolkit, credential: operator, source: 'operator' as const } : { use, toolkit };
    }),
  );
}
