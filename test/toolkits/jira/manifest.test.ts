import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { asksForFeatures } from '../../../src/toolkit/match-message.ts';
import { makeToolkit } from '../../toolkit/toolkit-fixtures.ts';

const root = new URL('../../../', import.meta.url);
const manifest = parse(readFileSync(new URL('toolkits/jira/toolkit.yaml', root), 'utf8'));
const schema = JSON.parse(readFileSync(new URL('schemas/toolkit.schema.json', root), 'utf8'));

const detectors: RegExp[] = manifest.credential.detect.map((source: string) => new RegExp(source, 'i'));
/** The first detect pattern that matches, as the runtime reads it: its named groups. */
function detect(message: string): Record<string, string | undefined> | undefined {
  for (const pattern of detectors) {
    const groups = pattern.exec(message)?.groups;
    if (groups) return Object.fromEntries(Object.entries(groups).filter(([, value]) => value !== undefined));
  }
  return undefined;
}

/** Feature matching as the runtime does it (words case-insensitive, patterns case-sensitive). */
const wantsJira = (message: string): boolean => asksForFeatures(makeToolkit(manifest), message);

const atlassianToken = `ATATT3xFfGF0${'Zx9_k-Q2'.repeat(22)}=8A1B2C3D`;
const commitHash = '3f2a9c1e0b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39';

describe('jira toolkit.yaml', () => {
  it('is a valid toolkit manifest whose config schema compiles and accepts the docs/jira.md example', () => {
    const ajv = new Ajv2020({ allErrors: true });
    expect(ajv.validate(schema, manifest), ajv.errorsText(ajv.errors)).toBe(true);
    const validateConfig = new Ajv2020({ strict: true }).compile(manifest.config);
    const example = {
      server_url: 'https://acme.atlassian.net',
      base_jql: 'project in (ABC, DEF)',
      custom_fields: { story_points: 'customfield_10016', sprint: 'customfield_10020' },
      project_keys: ['ABC'],
      allow: { comment: true },
      max_results: 25,
    };
    expect(validateConfig(example), JSON.stringify(validateConfig.errors)).toBe(true);
    expect(validateConfig({ allow: { delete: true } })).toBe(false);
    expect(validateConfig({ server_url: 'acme.atlassian.net' })).toBe(false);
  });

  it('recognises explicit token phrases, with the email and url when given', () => {
    expect(detect('my jira token is NjM0MzE2ODk5Nzc5OkpJ2hs')).toEqual({ token: 'NjM0MzE2ODk5Nzc5OkpJ2hs' });
    expect(detect('jira token: NjM0MzE2ODk5Nzc5OkpJ2hs')).toEqual({ token: 'NjM0MzE2ODk5Nzc5OkpJ2hs' });
    expect(detect('Jira API token NjM0MzE2ODk5Nzc5OkpJ2hs.')).toEqual({ token: 'NjM0MzE2ODk5Nzc5OkpJ2hs' });
    expect(detect(`my jira token is ${atlassianToken} email me@acme.com`)).toEqual({ token: atlassianToken, email: 'me@acme.com' });
    expect(detect(`my jira email is me@acme.com and my token is ${atlassianToken} url https://acme.atlassian.net`)).toEqual({
      token: atlassianToken,
      email: 'me@acme.com',
      url: 'https://acme.atlassian.net',
    });
  });

  it('recognises an Atlassian API token (ATATT3...) on its own or next to an email', () => {
    expect(detect(`here you go: ${atlassianToken}`)).toEqual({ token: atlassianToken });
    expect(detect(`me@acme.com ${atlassianToken}`)).toEqual({ token: atlassianToken, email: 'me@acme.com' });
  });

  it('does not take a commit hash, a random long string or talk about tokens for a credential', () => {
    expect(detect(commitHash)).toBeUndefined();
    expect(detect(`fixed in commit ${commitHash}, see ABC-12`)).toBeUndefined();
    expect(detect('aGVsbG8gd29ybGQgdGhpcyBpcyBhIHJhbmRvbSBzdHJpbmcgb2YgdGV4dA')).toBeUndefined();
    expect(detect('my jira token expired yesterday, how do I get a new one?')).toBeUndefined();
    expect(detect('what is a jira api token?')).toBeUndefined();
  });

  it.each([
    [`jira token ${commitHash}`],
    [`my jira token is ${commitHash}, is that right?`],
    ['jira token 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    ['where does the jira token src/auth/v2/jira-token-store.ts get read?'],
    ['the jira token /etc/agentllm/jira2-token is mounted'],
    [`my jira email is me@acme.com and my token is ${commitHash}`],
  ])('does not take a hash or a file path after a token phrase for a token: %j', (message) => {
    expect(detect(message)).toBeUndefined();
  });

  it('still takes a hex-looking token of another length, or with other characters', () => {
    expect(detect('my jira token is 3f2a9c1e0b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39ff')).toEqual({ token: '3f2a9c1e0b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39ff' });
    expect(detect('jira token: NjM0MzE2ODk5Nzc5OkpJ2hs/x+Y=')).toEqual({ token: 'NjM0MzE2ODk5Nzc5OkpJ2hs/x+Y=' });
  });

  it('matches Jira words on word boundaries and issue keys, not look-alikes', () => {
    expect(wantsJira('how many open tickets are in the sprint?')).toBe(true);
    expect(wantsJira('what is the status of ABC-123')).toBe(true);
    expect(wantsJira('see https://acme.atlassian.net/browse/ABC-1')).toBe(true);
    expect(wantsJira('summarise this project plan for me')).toBe(false);
    expect(wantsJira('a debugger for the tissue sample')).toBe(false);
    expect(wantsJira('convert this to utf-8, sha-256 or gpt-4 during covid-19')).toBe(false);
    expect(wantsJira('convert this to UTF-8, SHA-256 or GPT-4 during COVID-19')).toBe(false);
    for (const message of ['our top-10 list', 'step-2 of the guide', 'install python-3 and node-20', 'Top-10 ideas']) expect(wantsJira(message), message).toBe(false);
    expect(wantsJira('is PROJ-42 done?')).toBe(true);
    expect(wantsJira('which PRs fixed the login bug?')).toBe(true);
    expect(wantsJira('is there a pull request for it?')).toBe(true);
    expect(wantsJira('improve the project page')).toBe(false);
  });

  it('recognises requests to forget the credential', () => {
    const revoke = manifest.revoke.map((source: string) => new RegExp(source, 'i'));
    const asksRevoke = (message: string) => revoke.some((pattern: RegExp) => pattern.test(message));
    expect(asksRevoke('please forget my jira token')).toBe(true);
    expect(asksRevoke('Delete my Jira credentials')).toBe(true);
    expect(asksRevoke('revoke the jira token now')).toBe(true);
    expect(asksRevoke('forget the last issue')).toBe(false);
  });

  it('renders its templates with the documented variables', () => {
    const render = (name: string, vars: Record<string, unknown>) => Handlebars.compile(manifest.templates[name])(vars);
    const base = { user: { id: 'u1', name: 'Ada' }, agent: { name: 'pm' }, toolkit: { name: 'jira', title: 'Jira' } };
    const prompt = render('prompt', { ...base, config: { server_url: 'https://acme.atlassian.net' } });
    expect(prompt).toContain('https://acme.atlassian.net');
    expect(prompt).toContain('id.atlassian.com');
    expect(prompt).toContain('my jira token is ATATT');
    expect(render('prompt', { ...base, config: {} })).toContain('url https://');
    expect(render('confirmation', { ...base, config: {}, account: 'Ada Lovelace' })).toContain('Ada Lovelace');
    expect(render('failure', { ...base, config: {}, error: 'Jira rejected the credential' })).toContain('Jira rejected the credential');
    const instructions = render('instructions', { ...base, config: { project_keys: ['ABC', 'DEF'], custom_fields: { story_points: 'customfield_10016' } } });
    expect(instructions).toContain('ABC, DEF');
    expect(instructions).toContain('story_points');
  });
});
