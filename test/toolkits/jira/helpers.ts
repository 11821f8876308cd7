import plugin from '../../../toolkits/jira/index.ts';
import type { Credential, Tool } from '../../../src/toolkit/plugin.ts';
import { FAKE_JIRA_API_TOKEN, FAKE_JIRA_EMAIL, FAKE_JIRA_PAT } from '../../fakes/jira-server.ts';
import type { FakeJira } from '../../fakes/jira-server.ts';

export const cloudCredential: Credential = { token: FAKE_JIRA_API_TOKEN, email: FAKE_JIRA_EMAIL };
export const serverCredential: Credential = { token: FAKE_JIRA_PAT };

/** The plugin's tools for an agent pointed at the fake, by name. */
export async function jiraTools(fake: FakeJira, config: Record<string, unknown> = {}, credential: Credential = cloudCredential) {
  const tools = await plugin.buildTools({
    credential,
    config: { server_url: fake.url, custom_fields: { story_points: 'customfield_10016' }, project_keys: ['ABC'], ...config },
    env: {},
    user: { id: 'u1', name: 'Ada' },
    saveCredential: async () => {},
  });
  return {
    names: tools.map((tool) => tool.name),
    call: (name: string, args: Record<string, unknown> = {}) => findTool(tools, name).handler(args, { signal: new AbortController().signal }) as Promise<any>,
  };
}

function findTool(tools: Tool[], name: string): Tool {
  const tool = tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`No tool ${name}; have ${tools.map((t) => t.name).join(', ')}`);
  return tool;
}
