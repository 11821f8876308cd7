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
      if (own) return { use, toolkit, credential: own, source: 'user' as const };
      const operator = toolkit.plugin.credentialFromEnv?.(input.env);
      return operator ? { use, toolkit, credential: operator, source: 'operator' as const } : { use, toolkit };
    }),
  );
}
