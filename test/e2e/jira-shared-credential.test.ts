import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_JIRA_API_TOKEN, FAKE_JIRA_EMAIL, startFakeJira, type FakeJira } from '../fakes/jira-server.ts';
import { chat } from './chat-client.ts';
import { lastToolResult, startStack, type Stack } from './stack.ts';

const sprintReviewer = () => readFile(join(import.meta.dirname, '../../agents/sprint-reviewer.yaml'), 'utf8');
const jiraAgent = (url: string) => `name: jira-bot\ndescription: Jira at one site.\ninstructions: You help with Jira.\ntoolkits:\n  required:\n    - name: jira\n      config:\n        server_url: ${url}\n`;
const sprintCall = { chunks: [{ functionCall: { name: 'jira_sprint', args: { project: 'ABC' } } }] };

describe("a user's Jira credential serves every agent of the user", () => {
  let stack: Stack;
  let jira: FakeJira;

  beforeAll(async () => {
    jira = await startFakeJira();
    stack = await startStack({ agents: { 'jira-bot.yaml': jiraAgent(jira.url), 'sprint-reviewer.yaml': await sprintReviewer() } });
  });
  afterAll(async () => {
    await stack.close();
    await jira.close();
  });

  it('a token pasted via an agent with server_url works in the shipped sprint-reviewer (no server_url)', async () => {
    const connected = await chat(stack.url, { user: 'ada', session: 'a', model: 'jira-bot', text: `my jira token is ${FAKE_JIRA_API_TOKEN} email ${FAKE_JIRA_EMAIL}` });
    expect(connected.content).toContain('Connected to Jira as Ada Lovelace');

    stack.gemini.enqueue(sprintCall, { chunks: [{ text: 'Sprint 7 is on track.' }] });
    const before = jira.requests.length;
    const reply = await chat(stack.url, { user: 'ada', session: 'b', model: 'sprint-reviewer', text: 'How is the current sprint of ABC going?' });
    expect(reply.content).toContain('Sprint 7 is on track.');
    expect(reply.content).not.toContain('my jira token is');
    expect(lastToolResult(stack)).toContain('Sprint 7');
    expect(lastToolResult(stack)).not.toContain('No Jira URL');
    expect(jira.requests.slice(before).some((request) => request.path.startsWith('/rest/agile/1.0/'))).toBe(true);
  });
});

describe('a pasted Jira token is completed from the operator environment (JIRA_URL, JIRA_EMAIL)', () => {
  let stack: Stack;
  let jira: FakeJira;

  beforeAll(async () => {
    jira = await startFakeJira();
    const env = { JIRA_URL: jira.url, JIRA_EMAIL: FAKE_JIRA_EMAIL };
    stack = await startStack({ agents: { 'sprint-reviewer.yaml': await sprintReviewer() }, env });
  });
  afterAll(async () => {
    await stack.close();
    await jira.close();
  });

  it('validates a bare token against JIRA_URL with JIRA_EMAIL, and the sprint tool then works', async () => {
    const prompt = await chat(stack.url, { user: 'ada', session: 's', model: 'sprint-reviewer', text: 'How is the current sprint of ABC going?' });
    expect(prompt.content).toContain('my jira token is');
    stack.gemini.enqueue(sprintCall, { chunks: [{ text: 'Sprint 7: 2 of 5 done.' }] });
    const reply = await chat(stack.url, { user: 'ada', session: 's', model: 'sprint-reviewer', text: `my jira token is ${FAKE_JIRA_API_TOKEN}` });
    expect(reply.content).toContain('Connected to Jira as Ada Lovelace');
    expect(reply.content).toContain('Sprint 7: 2 of 5 done.');
    expect(lastToolResult(stack)).toContain('Sprint 7');
  });
});
