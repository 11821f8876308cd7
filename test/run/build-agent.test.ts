import { describe, expect, it } from 'vitest';
import type { LoadedAgent } from '../../src/config/definitions.ts';
import type { ActiveToolkit } from '../../src/registry/registry.ts';
import { buildAgent } from '../../src/run/build-agent.ts';
import type { ToolkitState } from '../../src/run/resolve-toolkits.ts';
import type { Store } from '../../src/store/store.ts';
import type { Tool, ToolkitPlugin } from '../../src/toolkit/plugin.ts';
import { jiraManifest, makeToolkit } from '../toolkit/toolkit-fixtures.ts';

/** Two scaffold-style toolkits (as `agentllm new toolkit` makes them) that both declare `search`. */
function kit(name: string, tools: string[]): ToolkitState {
  const plugin: ToolkitPlugin = {
    buildTools: () => tools.map((tool): Tool => ({ name: tool, description: tool, parameters: {}, handler: async () => 'ok' })),
    validateCredential: async () => ({ ok: true, credential: {} }),
  };
  const toolkit = { ...makeToolkit({ ...jiraManifest(), name, title: name }), plugin } as ActiveToolkit;
  return { use: { name, required: false, config: {} }, toolkit, credential: { token: 't' }, source: 'user' };
}

const agent = { name: 'helper', description: 'Helps.' } as LoadedAgent;
const build = (configured: ToolkitState[]) =>
  buildAgent({ agent, configured, user: { id: 'u1' }, store: {} as Store, env: {}, onCredentialRejected: async () => 'rejected' });

describe('buildAgent', () => {
  it('rejects two toolkits declaring the same tool name, naming both', async () => {
    await expect(build([kit('notes', ['search', 'read']), kit('wiki', ['search'])])).rejects.toMatchObject({
      status: 500,
      code: 'duplicate_tool_name',
      message: expect.stringContaining("tool name 'search' is not unique: toolkits 'notes' and 'wiki' both declare it"),
    });
  });

  it('builds the tools of toolkits whose names differ', async () => {
    const built = await build([kit('notes', ['notes_search']), kit('wiki', ['wiki_search'])]);
    expect(built.tools.map((tool) => tool.name)).toEqual(['notes_search', 'wiki_search']);
  });
});
