import { describe, expect, it } from 'vitest';
import { AgentCache, type AgentCacheKey, type BuiltAgent } from '../../src/run/agent-cache.ts';

const key = (userId: string, extra: Partial<AgentCacheKey> = {}): AgentCacheKey => ({
  snapshotVersion: 1, agent: 'bot', temperature: undefined, maxTokens: undefined, userId, toolkits: ['jira'], ...extra,
});

function counter() {
  let builds = 0;
  const build = async (): Promise<BuiltAgent> => ({ tools: [], toolkitInstructions: { n: String(++builds) } });
  return { build, count: () => builds };
}

describe('AgentCache: per (agent, temperature, max_tokens, user), bounded, invalidated', () => {
  it('builds once per key and again for another temperature, max_tokens, user or toolkit set', async () => {
    const cache = new AgentCache();
    const { build, count } = counter();
    await cache.getOrBuild(key('ada'), build);
    await cache.getOrBuild(key('ada'), build);
    expect(count()).toBe(1);
    await cache.getOrBuild(key('ada', { temperature: 0.5 }), build);
    await cache.getOrBuild(key('ada', { maxTokens: 100 }), build);
    await cache.getOrBuild(key('bob'), build);
    await cache.getOrBuild(key('ada', { toolkits: ['jira', 'google-drive'] }), build);
    expect(count()).toBe(5);
  });

  it("drops only that user's agents when their credentials change", async () => {
    const cache = new AgentCache();
    const { build, count } = counter();
    await cache.getOrBuild(key('ada'), build);
    await cache.getOrBuild(key('bob'), build);
    cache.dropUser('ada');
    await cache.getOrBuild(key('ada'), build);
    await cache.getOrBuild(key('bob'), build);
    expect(count()).toBe(3);
  });

  it('evicts the least recently used entry beyond its bound', async () => {
    const cache = new AgentCache(2);
    const { build, count } = counter();
    await cache.getOrBuild(key('a'), build);
    await cache.getOrBuild(key('b'), build);
    await cache.getOrBuild(key('a'), build);
    await cache.getOrBuild(key('c'), build);
    expect(cache.size).toBe(2);
    await cache.getOrBuild(key('a'), build);
    expect(count()).toBe(3);
    await cache.getOrBuild(key('b'), build);
    expect(count()).toBe(4);
  });

  it('does not keep a failed build', async () => {
    const cache = new AgentCache();
    await expect(cache.getOrBuild(key('ada'), () => Promise.reject(new Error('jira down')))).rejects.toThrow('jira down');
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.size).toBe(0);
  });
});
