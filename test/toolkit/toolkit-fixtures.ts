import Handlebars from 'handlebars';
import type { LoadedToolkit, ToolkitManifest, ToolkitTemplates } from '../../src/config/definitions.ts';

/** A LoadedToolkit as the loader builds it: manifest + templates compiled with noEscape. */
export function makeToolkit(manifest: ToolkitManifest): LoadedToolkit {
  const templates: Partial<ToolkitTemplates> = {};
  for (const [kind, source] of Object.entries(manifest.templates)) {
    if (typeof source === 'string') templates[kind as keyof ToolkitTemplates] = Handlebars.compile(source, { noEscape: true });
  }
  return {
    name: manifest.name,
    title: manifest.title ?? manifest.name,
    dir: `/toolkits/${manifest.name}`,
    file: `/toolkits/${manifest.name}/toolkit.yaml`,
    entry: `/toolkits/${manifest.name}/index.ts`,
    manifest,
    templates: templates as ToolkitTemplates,
  };
}

export function jiraManifest(): ToolkitManifest {
  return {
    name: 'jira',
    title: 'Jira',
    description: 'Search and update Jira issues.',
    credential: {
      type: 'api_token',
      fields: [
        { name: 'email', label: 'Atlassian account email' },
        { name: 'token', label: 'API token', secret: true },
        { name: 'url', label: 'Jira site', optional: true },
      ],
      detect: [
        '(?:jira|atlassian)\\s+(?:api\\s+)?token\\s*(?:is|:|=)\\s*(?<token>\\S+)',
        '\\b(?<token>ATATT3[A-Za-z0-9_\\-=]{20,})',
        '\\bemail\\s*(?:is|:|=)\\s*(?<email>[^\\s@]+@[^\\s@]+\\.[a-z]{2,})',
      ],
    },
    features: {
      words: ['jira', 'pr', 'sprint', 'pull request', 'c++', 'überweisung'],
      patterns: ['\\b[A-Z][A-Z0-9]+-\\d+\\b'],
    },
    revoke: ['\\b(?:forget|delete|remove|revoke)\\b.*\\bjira\\b.*\\b(?:token|credentials?)\\b'],
    templates: {
      prompt: 'Hi {{user.name}}, {{agent.name}} needs your {{toolkit.title}} API token for {{config.site}}.\n',
      confirmation: 'Connected to {{toolkit.title}}{{#if account}} as {{account}}{{/if}}.',
      failure: '{{toolkit.title}} rejected that token: {{error}}',
      instructions: 'Use the {{toolkit.name}} tools for {{config.site}} & its "issues".\n',
    },
  };
}

export function driveManifest(): ToolkitManifest {
  return {
    name: 'google-drive',
    title: 'Google Drive',
    description: 'Read Google Drive files.',
    credential: {
      type: 'oauth2',
      provider: 'google',
      scopes: ['https://www.googleapis.com/auth/drive.readonly'],
      detect: ['\\b(?:authorization\\s+)?code\\s*(?:is|:|=)\\s*(?<code>4/[A-Za-z0-9_\\-]{10,})'],
    },
    features: { words: ['drive', 'google doc'] },
    revoke: ['\\bdisconnect\\b.*\\bdrive\\b'],
    templates: {
      prompt: 'Open {{authorization_url}} to connect {{toolkit.title}}.',
      confirmation: 'Connected.',
      failure: 'Failed: {{error}}',
      revoked: 'Disconnected {{toolkit.title}} for {{user.id}}.',
    },
  };
}
