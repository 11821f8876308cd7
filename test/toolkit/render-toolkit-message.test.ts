import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { AgentLLMError } from '../../src/errors.ts';
import { renderToolkitInstructions, renderToolkitMessage } from '../../src/toolkit/render-toolkit-message.ts';
import { driveManifest, jiraManifest, makeToolkit } from './toolkit-fixtures.ts';

const jira = makeToolkit(jiraManifest());
const drive = makeToolkit(driveManifest());
const context = {
  user: { id: 'u-1', name: 'Ana' },
  agent: { name: 'helper', description: 'Helps.' },
  config: { site: 'acme.atlassian.net' },
};

describe('renderToolkitMessage', () => {
  it('fills user, agent, config and toolkit, and trims the result', () => {
    expect(renderToolkitMessage(jira, 'prompt', context)).toBe('Hi Ana, helper needs your Jira API token for acme.atlassian.net.');
  });

  it('passes authorization_url, error and account to their templates', () => {
    expect(renderToolkitMessage(drive, 'prompt', { ...context, authorizationUrl: 'https://accounts.google.com/o?a=1&b=2' })).toBe(
      'Open https://accounts.google.com/o?a=1&b=2 to connect Google Drive.',
    );
    expect(renderToolkitMessage(jira, 'failure', { ...context, error: '401 Unauthorized' })).toBe('Jira rejected that token: 401 Unauthorized.');
    expect(renderToolkitMessage(jira, 'failure', { ...context, error: 'It belongs to another user.' })).toBe('Jira rejected that token: It belongs to another user.');
    expect(renderToolkitMessage(jira, 'confirmation', { ...context, account: 'ana@example.com' })).toBe('Connected to Jira as ana@example.com.');
    expect(renderToolkitMessage(jira, 'confirmation', context)).toBe('Connected to Jira.');
  });

  it('uses the revoked template, or a default sentence when there is none', () => {
    expect(renderToolkitMessage(drive, 'revoked', context)).toBe('Disconnected Google Drive for u-1.');
    expect(renderToolkitMessage(jira, 'revoked', context)).toMatch(/deleted your Jira credential/);
  });

  it('turns a template that fails to render into an AgentLLMError naming the toolkit', () => {
    const broken = makeToolkit(jiraManifest());
    broken.templates.failure = Handlebars.compile('{{nope.deeper}}', { strict: true });
    expect(() => renderToolkitMessage(broken, 'failure', context)).toThrow(AgentLLMError);
    expect(() => renderToolkitMessage(broken, 'failure', context)).toThrow(/toolkit 'jira': template 'failure'/);
  });
});

describe('renderToolkitInstructions', () => {
  it('renders the instructions template, or nothing', () => {
    expect(renderToolkitInstructions(jira, context)).toBe('Use the jira tools for acme.atlassian.net & its "issues".');
    expect(renderToolkitInstructions(drive, context)).toBe('');
  });
});
