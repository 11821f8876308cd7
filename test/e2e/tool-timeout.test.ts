import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_JIRA_API_TOKEN, FAKE_JIRA_EMAIL, startFakeJira, type FakeJira } from '../fakes/jira-server.ts';
import { chat } from './chat-client.ts';
import { lastToolResult, startStack, type Stack } from './stack.ts';

const jiraAgent = (name: string, url: string, extra = '') =>
  `name: ${name}\ndescription: Jira.\ninstructions: You help with Jira.\n${extra}toolkits:\n  required:\n    - name: jira\n      config:\n        server_url: ${url}\n`;

/** A tool call that hangs is abandoned after the agent's (or the server's) tool timeout; the model is told, the request succeeds. */
describe('tool timeout', () => {
  let stack: Stack;
  let jira: FakeJira;

  beforeAll(async () => {
    jira = await startFakeJira();
    jira.hang(/\/search\//);
    stack = await startStack({
      agents: { 'quick.yaml': jiraAgent('quick', jira.url, 'tool_timeout_ms: 300\n'), 'plain.yaml': jiraAgent('plain', jira.url) },
      env: { JIRA_API_TOKEN: FAKE_JIRA_API_TOKEN, JIRA_EMAIL: FAKE_JIRA_EMAIL, AGENTLLM_TOOL_TIMEOUT_MS: '250' },
    });
  });
  afterAll(async () => {
    await stack.close();
    await jira.close();
  });

  async function countThroughHangingJira(model: string, stream: boolean): Promise<{ status: number; content: string; toolResult: string }> {
    stack.gemini.enqueue({ chunks: [{ functionCall: { name: 'jira_count', args: { jql: 'project = ABC' } } }] }, { chunks: [{ text: 'Jira is not answering.' }] });
    const reply = await chat(stack.url, { user: 'tom', session: `tom-${model}`, text: 'How many issues in ABC?', model, stream });
    return { ...reply, toolResult: lastToolResult(stack) };
  }

  it("uses the agent's tool_timeout_ms", async () => {
    const reply = await countThroughHangingJira('quick', false);
    expect(reply.status).toBe(200);
    expect(reply.content).toContain('Jira is not answering.');
    expect(reply.toolResult).toContain("Tool 'jira_count' timed out after 300 ms");
  });

  it('falls back to AGENTLLM_TOOL_TIMEOUT_MS, streaming too', async () => {
    const reply = await countThroughHangingJira('plain', true);
    expect(reply.status).toBe(200);
    expect(reply.content).toContain('Jira is not answering.');
    expect(reply.toolResult).toContain("Tool 'jira_count' timed out after 250 ms");
  });
});
