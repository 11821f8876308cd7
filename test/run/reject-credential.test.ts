import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/logger.ts';
import type { ActiveToolkit } from '../../src/registry/registry.ts';
import { AgentCache } from '../../src/run/agent-cache.ts';
import { createCredentialRejectedHandler } from '../../src/run/reject-credential.ts';
import type { ToolkitState } from '../../src/run/resolve-toolkits.ts';
import { createFileStore } from '../../src/store/file-store.ts';
import type { Store } from '../../src/store/store.ts';
import { jiraManifest, makeToolkit } from '../toolkit/toolkit-fixtures.ts';

const toolkit = { ...makeToolkit(jiraManifest()), plugin: {} } as unknown as ActiveToolkit;
const used = { token: 'old-token-0123456789', email: 'ada@example.com' };
const state = (source: 'user' | 'operator'): ToolkitState => ({ use: { name: 'jira', required: true, config: {} }, toolkit, credential: used, source });

describe('a credential a toolkit rejected', () => {
  let dir: string;
  let store: Store;
  const handler = () => createCredentialRejectedHandler({ store, cache: new AgentCache(), logger: createSilentLogger(), user: { id: 'ada' }, agent: 'bot' });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentllm-reject-'));
    store = await createFileStore({ dataDir: dir, secretKey: 'a'.repeat(64) });
  });
  afterEach(async () => {
    await store.flush();
    await rm(dir, { recursive: true, force: true });
  });

  it('is deleted while it is the stored one, and the model is told, without the token', async () => {
    await store.credentials.set('ada', 'jira', used);
    const told = await handler()(state('user'), new Error(`Jira rejected ${used.token}`));
    expect(await store.credentials.get('ada', 'jira')).toBeUndefined();
    expect(told).toContain('must connect Jira again');
    expect(told).not.toContain(used.token);
  });

  it('leaves a credential the user pasted meanwhile, and never deletes an operator credential', async () => {
    const fresh = { token: 'new-token-9876543210', email: 'ada@example.com' };
    await store.credentials.set('ada', 'jira', fresh);
    await handler()(state('user'), new Error('401'));
    expect(await store.credentials.get('ada', 'jira')).toEqual(fresh);
    const told = await handler()(state('operator'), new Error('401'));
    expect(await store.credentials.get('ada', 'jira')).toEqual(fresh);
    expect(told).toContain("server's own Jira credential");
  });
});
