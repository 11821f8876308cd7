import type { RegistrySnapshot } from '../registry/registry.ts';
import type { Env } from '../toolkit/plugin.ts';
import { authorizationUrlFor } from './oauth.ts';

/** A user id no real user has: the probe's authorization link is built and thrown away. */
const PROBE_USER = '~setup-check';

/**
 * What keeps users from connecting a toolkit on this server, for the operator (/health/ready and
 * the log): an OAuth toolkit whose consent link cannot be built (no OAuth client configured, a bad
 * public URL), unless an operator credential from the environment serves every user anyway.
 * One line per toolkit and problem, naming the agents that use it.
 */
export function findToolkitProblems(snapshot: RegistrySnapshot, input: { env: Env; oauth: { stateKey: Buffer; publicUrl: string } }): string[] {
  const problems = new Map<string, Set<string>>();
  for (const agent of snapshot.agents.values()) {
    for (const use of agent.toolkits) {
      const toolkit = snapshot.toolkits.get(use.name);
      if (!toolkit || toolkit.manifest.credential.type !== 'oauth2' || toolkit.plugin.credentialFromEnv?.(input.env)) continue;
      const problem = probeAuthorization(input, { agent, use, toolkit });
      if (problem === undefined) continue;
      const key = `${use.name}: ${problem}`;
      problems.set(key, (problems.get(key) ?? new Set()).add(agent.name));
    }
  }
  return [...problems].map(([key, agents]) => `${key} (agents: ${[...agents].sort().join(', ')})`);
}

type Probe = Parameters<typeof authorizationUrlFor>[1] & { agent: Parameters<typeof authorizationUrlFor>[0]['agent'] };

function probeAuthorization(input: { env: Env; oauth: { stateKey: Buffer; publicUrl: string } }, probe: Probe): string | undefined {
  const context = { agent: probe.agent, user: { id: PROBE_USER }, session: { userId: PROBE_USER, sessionId: PROBE_USER }, env: input.env, oauth: input.oauth };
  try {
    authorizationUrlFor(context, probe);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
