import type { Tool } from '../toolkit/plugin.ts';

/** A user's agent: its tools built with that user's credentials, and the toolkit instructions. */
export interface BuiltAgent {
  tools: Tool[];
  /** Rendered `instructions` template of each configured toolkit, by toolkit name. */
  toolkitInstructions: Record<string, string>;
}

export interface AgentCacheKey {
  snapshotVersion: number;
  agent: string;
  temperature: number | undefined;
  maxTokens: number | undefined;
  userId: string;
  /** Names of the toolkits configured for the user, so a newly configured one rebuilds. */
  toolkits: string[];
}

/**
 * Agents cached per (agent, temperature, max_tokens, user), bounded LRU. A user's entries are
 * dropped when their credentials change; everything is dropped when the definitions reload.
 */
export class AgentCache {
  readonly #entries = new Map<string, { userId: string; agent: Promise<BuiltAgent> }>();
  readonly #max: number;

  constructor(max = 1000) {
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached agent, or the one `build` makes (a failed build is not cached). */
  getOrBuild(key: AgentCacheKey, build: () => Promise<BuiltAgent>): Promise<BuiltAgent> {
    const id = JSON.stringify([key.snapshotVersion, key.agent, key.temperature ?? null, key.maxTokens ?? null, key.userId, key.toolkits]);
    const hit = this.#entries.get(id);
    if (hit) {
      this.#entries.delete(id);
      this.#entries.set(id, hit);
      return hit.agent;
    }
    const agent = build();
    this.#entries.set(id, { userId: key.userId, agent });
    agent.catch(() => this.#entries.get(id)?.agent === agent && this.#entries.delete(id));
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    return agent;
  }

  dropUser(userId: string): void {
    for (const [id, entry] of this.#entries) if (entry.userId === userId) this.#entries.delete(id);
  }

  clear(): void {
    this.#entries.clear();
  }
}
