import { afterEach, describe, expect, it } from 'vitest';
import { startFakeJira } from '../../fakes/jira-server.ts';
import type { FakeJira } from '../../fakes/jira-server.ts';
import { jiraTools, serverCredential } from './helpers.ts';

let fake: FakeJira | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const READ_TOOLS = ['jira_search', 'jira_count', 'jira_get_issue', 'jira_fix_versions', 'jira_version_issues', 'jira_sprint'];

describe('jira writing tools', () => {
  it('are absent unless the agent config allows them, one by one', async () => {
    fake = await startFakeJira();
    expect((await jiraTools(fake)).names).toEqual(READ_TOOLS);
    expect((await jiraTools(fake, { allow: { comment: true } })).names).toEqual([...READ_TOOLS, 'jira_add_comment']);
    expect((await jiraTools(fake, { allow: { comment: true, create: true, update: true } })).names).toEqual([
      ...READ_TOOLS, 'jira_add_comment', 'jira_create_issue', 'jira_update_issue',
    ]);
  });

  it('add a comment as Atlassian Document Format on Cloud', async () => {
    fake = await startFakeJira();
    const jira = await jiraTools(fake, { allow: { comment: true } });
    const result = await jira.call('jira_add_comment', { key: 'ABC-2', body: 'Looks good.\n\nShipping today.' });
    expect(result).toMatchObject({ key: 'ABC-2', url: `${fake.url}/browse/ABC-2`, comment_id: expect.any(String) });
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe('/rest/api/3/issue/ABC-2/comment');
    expect((request.body as { body: { type: string } }).body.type).toBe('doc');
    const issue = await jira.call('jira_get_issue', { key: 'ABC-2' });
    expect(issue.comments.at(-1)).toMatchObject({ author: 'Ada Lovelace', body: 'Looks good.\n\nShipping today.' });
  });

  it('add a plain-text comment on Server/DC', async () => {
    fake = await startFakeJira();
    const jira = await jiraTools(fake, { allow: { comment: true } }, serverCredential);
    await jira.call('jira_add_comment', { key: 'ABC-2', body: 'Done on DC.' });
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe('/rest/api/2/issue/ABC-2/comment');
    expect(request.body).toMatchObject({ body: 'Done on DC.' });
  });

  it('create an issue in an allowed project, with custom fields by name', async () => {
    fake = await startFakeJira();
    const jira = await jiraTools(fake, { allow: { create: true } });
    const created = await jira.call('jira_create_issue', { summary: 'New thing', issue_type: 'Bug', labels: ['ui'], custom_fields: { story_points: 3 } });
    expect(created).toEqual({ key: 'ABC-8', url: `${fake.url}/browse/ABC-8` });
    const fields = (fake.requests.at(-1)!.body as { fields: Record<string, unknown> }).fields;
    expect(fields).toMatchObject({ project: { key: 'ABC' }, issuetype: { name: 'Bug' }, summary: 'New thing', labels: ['ui'], customfield_10016: 3 });
    await expect(jira.call('jira_create_issue', { project: 'XYZ', summary: 'Elsewhere' })).rejects.toThrow(/only create issues in ABC/);
  });

  it('update fields of an issue', async () => {
    fake = await startFakeJira();
    const jira = await jiraTools(fake, { allow: { update: true } });
    const result = await jira.call('jira_update_issue', { key: 'ABC-3', summary: 'Renamed', fix_versions: ['1.0'] });
    expect(result).toEqual({ key: 'ABC-3', url: `${fake.url}/browse/ABC-3`, updated: ['summary', 'fixVersions'] });
    const search = await jira.call('jira_search', { jql: 'key = ABC-3' });
    expect(search.issues[0]).toMatchObject({ summary: 'Renamed', fix_versions: ['1.0'] });
    await expect(jira.call('jira_update_issue', { key: 'ABC-3' })).rejects.toThrow(/Nothing to update/);
  });

  it('comment on and update only issues of the agent\'s project_keys, as create does', async () => {
    fake = await startFakeJira();
    const jira = await jiraTools(fake, { allow: { comment: true, update: true }, project_keys: ['ABC'] });
    const before = fake.requests.length;
    await expect(jira.call('jira_add_comment', { key: 'XYZ-1', body: 'Hi' })).rejects.toThrow(/only comment on issues in ABC/);
    await expect(jira.call('jira_update_issue', { key: 'xyz-1', summary: 'Renamed' })).rejects.toThrow(/only update issues in ABC/);
    expect(fake.requests.slice(before).filter((request) => request.method !== 'GET')).toHaveLength(0);
    expect(fake.data.issues.find((issue) => issue.key === 'XYZ-1')!.summary).toBe('Other project issue');
  });
});
