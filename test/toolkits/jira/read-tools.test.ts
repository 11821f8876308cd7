import { afterEach, describe, expect, it } from 'vitest';
import { defaultJiraData, startFakeJira } from '../../fakes/jira-server.ts';
import type { FakeJira, FakeJiraIssue } from '../../fakes/jira-server.ts';
import { jiraTools, serverCredential } from './helpers.ts';

let fake: FakeJira | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** The default data plus `count` more ABC issues (ABC-100...) with cycling statuses. */
function manyIssues(count: number): FakeJiraIssue[] {
  const statuses = ['To Do', 'In Progress', 'Done'];
  const extra = Array.from({ length: count }, (_, i) => ({ key: `ABC-${100 + i}`, summary: `Bulk ${i}`, status: statuses[i % 3], fixVersions: ['2.0'] }));
  return [...defaultJiraData().issues, ...extra];
}

describe('jira_search', () => {
  it('pages with a cursor and gives the exact total on Cloud (key-only count), with base_jql AND-ed in', async () => {
    fake = await startFakeJira({ data: { issues: manyIssues(30) }, pageCap: { full: 100, keys: 8 } });
    const jira = await jiraTools(fake, { base_jql: 'project = ABC' });
    const first = await jira.call('jira_search', { jql: 'fixVersion = "2.0" ORDER BY key', limit: 10 });
    expect(first.jql).toBe('(project = ABC) AND (fixVersion = "2.0") ORDER BY key');
    expect(first.total).toBe(30);
    expect(first.returned).toBe(10);
    expect(first.issues[0]).toEqual({
      key: 'ABC-100', url: `${fake.url}/browse/ABC-100`, summary: 'Bulk 0', status: 'To Do', type: 'Story', priority: 'Medium', fix_versions: ['2.0'],
    });
    const second = await jira.call('jira_search', { jql: 'fixVersion = "2.0"', limit: 10, cursor: first.next_cursor });
    expect(second.issues.map((issue: { key: string }) => issue.key)).toEqual(Array.from({ length: 10 }, (_, i) => `ABC-${110 + i}`));
    const searches = fake.requests.filter((request) => request.path === '/rest/api/3/search/jql');
    expect(searches.every((request) => request.jql?.startsWith('(project = ABC) AND '))).toBe(true);
    const countPages = searches.filter((request) => JSON.stringify((request.body as { fields: string[] }).fields) === '["key"]');
    expect(countPages.length).toBe(4); // 30 keys, 8 a page, counted for the first page only
    expect(second.total).toBe(30);
    const third = await jira.call('jira_search', { jql: 'fixVersion = "2.0"', limit: 10, cursor: second.next_cursor });
    expect(third.total).toBe(30);
    expect(third.next_cursor).toBeUndefined();
    expect(fake.requests.filter((request) => request.path === '/rest/api/3/search/jql' && JSON.stringify((request.body as { fields: string[] }).fields) === '["key"]')).toHaveLength(4);
  });

  it('does no extra count request when one page holds every match', async () => {
    fake = await startFakeJira();
    const jira = await jiraTools(fake);
    const result = await jira.call('jira_search', { jql: 'status = "In Progress"', fields: ['story_points'] });
    expect(result.total).toBe(2);
    expect(result.issues.map((issue: { key: string; story_points: number }) => [issue.key, issue.story_points])).toEqual([['ABC-3', 3], ['ABC-4', 4]]);
    expect(fake.requests.filter((request) => request.path.includes('/search')).length).toBe(1);
  });

  it('uses /rest/api/2/search with its exact total on Server/DC', async () => {
    fake = await startFakeJira({ data: { issues: manyIssues(12) } });
    const jira = await jiraTools(fake, {}, serverCredential);
    const result = await jira.call('jira_search', { jql: 'project = ABC AND status = Done', limit: 3 });
    expect(result.total).toBe(4 + 4); // ABC-1, 2, 6, 7 and every third bulk issue
    expect(result.next_cursor).toBe('3');
    expect(fake.requests.at(-1)!.path).toBe('/rest/api/2/search');
  });

  it('turns a JQL error into a thrown error carrying Jira\'s message', async () => {
    fake = await startFakeJira();
    const jira = await jiraTools(fake);
    await expect(jira.call('jira_search', { jql: 'flavour = sweet' })).rejects.toThrow(/Jira answered 400: Field 'flavour' does not exist/);
  });
});

describe('jira_count', () => {
  it('counts by status fetching only the status field, across pages', async () => {
    fake = await startFakeJira({ data: { issues: manyIssues(30) }, pageCap: { full: 7, keys: 7 } });
    const jira = await jiraTools(fake);
    const result = await jira.call('jira_count', { jql: 'project = ABC', group_by: 'status' });
    expect(result.total).toBe(37);
    expect(result.counts).toEqual({ Done: 14, 'In Progress': 12, 'To Do': 11 });
    const fields = fake.requests.filter((request) => request.path.endsWith('/search/jql')).map((request) => (request.body as { fields: string[] }).fields);
    expect(fields.length).toBe(6);
    expect(fields.every((list) => JSON.stringify(list) === '["status"]')).toBe(true);
  });

  it('counts by status and by assignee on Server/DC with total-only queries, never fetching the matching issues', async () => {
    fake = await startFakeJira({ data: { issues: manyIssues(30) } });
    const jira = await jiraTools(fake, {}, serverCredential);
    const result = await jira.call('jira_count', { jql: 'project = ABC ORDER BY key', group_by: 'status' });
    expect(result.total).toBe(37);
    expect(result.counts).toEqual({ Done: 14, 'In Progress': 12, 'To Do': 11 });
    const searches = fake.requests.filter((request) => request.path.includes('/search'));
    const pageSizes = searches.map((request) => Number(request.query.maxResults ?? (request.body as { maxResults?: number } | undefined)?.maxResults));
    expect(pageSizes.every((size) => size <= 1)).toBe(true);

    const byAssignee = await jira.call('jira_count', { jql: 'sprint = 7', group_by: 'assignee' });
    expect(byAssignee.counts).toEqual({ 'Ada Lovelace': 2, 'Grace Hopper': 2, '(none)': 1 });
  });

  it('counts a multi-valued field on Server/DC by reading that field of the matching issues', async () => {
    fake = await startFakeJira();
    const jira = await jiraTools(fake, {}, serverCredential);
    const byLabel = await jira.call('jira_count', { jql: 'project = ABC', group_by: 'labels' });
    expect(byLabel.total).toBeGreaterThan(0);
    const fetched = fake.requests.filter((request) => request.path.includes('/search')).map((request) => Number(request.query.maxResults ?? (request.body as { maxResults?: number } | undefined)?.maxResults));
    expect(fetched.some((size) => size > 1)).toBe(true);
  });

  it('counts by assignee (with unassigned) and by a configured custom field name, and gives plain totals', async () => {
    fake = await startFakeJira();
    const jira = await jiraTools(fake);
    const byAssignee = await jira.call('jira_count', { jql: 'sprint = 7', group_by: 'assignee' });
    expect(byAssignee.counts).toEqual({ 'Ada Lovelace': 2, 'Grace Hopper': 2, '(none)': 1 });
    const byPoints = await jira.call('jira_count', { jql: 'key in (ABC-1, ABC-2)', group_by: 'story_points' });
    expect(byPoints.counts).toEqual({ '1': 1, '2': 1 });
    expect(await jira.call('jira_count', { jql: 'project = XYZ' })).toEqual({ jql: 'project = XYZ', total: 1 });
  });
});

describe('jira_get_issue', () => {
  it('gives fields, plain-text description and comments, linked pull requests and custom fields', async () => {
    fake = await startFakeJira();
    const jira = await jiraTools(fake);
    const issue = await jira.call('jira_get_issue', { key: 'abc-1' });
    expect(issue).toMatchObject({
      key: 'ABC-1',
      url: `${fake.url}/browse/ABC-1`,
      summary: 'Login page',
      status: 'Done',
      type: 'Bug',
      priority: 'High',
      assignee: 'Ada Lovelace',
      reporter: 'Grace Hopper',
      fix_versions: ['1.1'],
      labels: ['auth'],
      description: 'Users cannot log in.\n\nSteps: open /login.',
      comments: [{ author: 'Grace Hopper', body: 'Reproduced on staging.' }],
      custom_fields: { story_points: 1 },
      pull_requests: [
        { url: 'https://github.com/acme/app/pull/42', title: 'Fix login' },
        { url: 'https://gitlab.com/acme/app/-/merge_requests/7', title: 'Login MR' },
      ],
    });
  });

  it('reports a missing issue', async () => {
    fake = await startFakeJira();
    const jira = await jiraTools(fake);
    await expect(jira.call('jira_get_issue', { key: 'ABC-999' })).rejects.toThrow(/404: Issue does not exist/);
  });
});

describe('jira versions', () => {
  it('lists fix versions, filtered by state', async () => {
    fake = await startFakeJira();
    const jira = await jiraTools(fake);
    const all = await jira.call('jira_fix_versions', {});
    expect(all).toEqual({
      project: 'ABC',
      total: 2,
      versions: [
        { name: '1.0', id: '100', released: true, release_date: '2025-01-01' },
        { name: '1.1', id: '101', released: false, release_date: '2025-03-01', description: 'Spring release' },
      ],
    });
    const unreleased = await jira.call('jira_fix_versions', { project: 'ABC', state: 'unreleased' });
    expect(unreleased.versions.map((version: { name: string }) => version.name)).toEqual(['1.1']);
  });

  it('gives a version\'s issues with counts by status', async () => {
    fake = await startFakeJira();
    const jira = await jiraTools(fake, { max_results: 2 });
    const result = await jira.call('jira_version_issues', { version: '1.1' });
    expect(result.version).toMatchObject({ name: '1.1', released: false });
    expect(result.total).toBe(5);
    expect(result.by_status).toEqual({ Done: 2, 'In Progress': 2, 'To Do': 1 });
    expect(result.issues).toHaveLength(2);
    expect(result.more).toContain('3 more');
    await expect(jira.call('jira_version_issues', { version: '9.9' })).rejects.toThrow(/no version "9.9". Known versions: 1.0, 1.1/);
  });
});

describe('jira_sprint', () => {
  it('gives the active sprint\'s committed, added, completed and remaining issues and story points', async () => {
    fake = await startFakeJira();
    const jira = await jiraTools(fake);
    const result = await jira.call('jira_sprint', {});
    expect(result.sprint).toMatchObject({ id: 7, name: 'Sprint 7', state: 'active', goal: 'Ship login' });
    expect(result.committed).toEqual({ issues: 4, points: 10 });
    expect(result.added_after_start).toMatchObject({ issues: 1, points: 5, issues_added: [expect.objectContaining({ key: 'ABC-5', points: 5 })] });
    expect(result.in_sprint_now).toEqual({ issues: 5, points: 15 });
    expect(result.completion_rate).toBe('40%');
    expect(result.completed).toEqual({ issues: 2, points: 3 });
    expect(result.remaining).toEqual({ issues: 3, points: 12 });
    expect(result.by_status).toEqual({ Done: 2, 'In Progress': 2, 'To Do': 1 });
    expect(result.open_issues.map((issue: { key: string }) => issue.key)).toEqual(['ABC-3', 'ABC-4', 'ABC-5']);
    expect(fake.requests.some((request) => request.path === '/rest/agile/1.0/board' && request.query.projectKeyOrId === 'ABC')).toBe(true);
  });

  it('finds the story points field in the field list when the config names none', async () => {
    fake = await startFakeJira();
    const jira = await jiraTools(fake, { custom_fields: {} });
    const result = await jira.call('jira_sprint', {});
    expect(result.story_points_field).toBe('customfield_10016');
    expect(result.in_sprint_now).toEqual({ issues: 5, points: 15 });
    expect(fake.requests.some((request) => request.path === '/rest/api/3/field')).toBe(true);
  });

  it('finds a sprint by name on a given board', async () => {
    fake = await startFakeJira();
    const jira = await jiraTools(fake);
    const result = await jira.call('jira_sprint', { sprint: 'sprint 6', board_id: 3 });
    expect(result.sprint).toMatchObject({ id: 6, state: 'closed' });
    expect(result.completed).toEqual({ issues: 2, points: 13 });
    await expect(jira.call('jira_sprint', { sprint: 'Sprint 99', board_id: 3 })).rejects.toThrow(/no sprint named "Sprint 99"/);
  });
});
