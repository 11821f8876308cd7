import type { FakeJiraData, FakeJiraIssue } from './jira-server.ts';

/** A small project ABC: two versions, a closed and an active sprint on scrum board 3 (ABC-5 added after its start), issues with story points (customfield_10016). */
export function defaultJiraData(): FakeJiraData {
  const issue = (n: number, status: string, extra: Partial<FakeJiraIssue> = {}): FakeJiraIssue => ({
    key: `ABC-${n}`, summary: `Issue number ${n}`, status, type: 'Story', priority: 'Medium', assignee: n % 2 ? 'Ada Lovelace' : 'Grace Hopper', fixVersions: ['1.1'], sprint: 7, customFields: { customfield_10016: n }, ...extra,
  });
  return {
    projects: [{ key: 'ABC', name: 'Alpha' }, { key: 'XYZ', name: 'Xylophone' }],
    versions: [
      { id: '100', name: '1.0', project: 'ABC', released: true, releaseDate: '2025-01-01' },
      { id: '101', name: '1.1', project: 'ABC', released: false, releaseDate: '2025-03-01', description: 'Spring release' },
    ],
    boards: [{ id: 3, name: 'ABC board', project: 'ABC', type: 'scrum' }],
    sprints: [
      { id: 6, name: 'Sprint 6', state: 'closed', boardId: 3, startDate: '2024-12-01T00:00:00.000Z', endDate: '2024-12-14T00:00:00.000Z' },
      { id: 7, name: 'Sprint 7', state: 'active', boardId: 3, startDate: '2025-01-06T00:00:00.000Z', endDate: '2025-01-20T00:00:00.000Z', goal: 'Ship login' },
    ],
    issues: [
      issue(1, 'Done', {
        summary: 'Login page', type: 'Bug', priority: 'High', reporter: 'Grace Hopper', description: 'Users cannot log in.\n\nSteps: open /login.', labels: ['auth'],
        comments: [{ author: 'Grace Hopper', body: 'Reproduced on staging.' }],
        remoteLinks: [
          { url: 'https://github.com/acme/app/pull/42', title: 'Fix login' },
          { url: 'https://gitlab.com/acme/app/-/merge_requests/7', title: 'Login MR' },
          { url: 'https://acme.atlassian.net/wiki/spaces/X/pages/1', title: 'Design doc' },
        ],
      }),
      issue(2, 'Done'),
      issue(3, 'In Progress', { priority: 'High' }),
      issue(4, 'In Progress'),
      issue(5, 'To Do', { assignee: null, sprintAddedAt: '2025-01-09T09:30:00.000+0000' }),
      issue(6, 'Done', { fixVersions: ['1.0'], sprint: 6 }),
      issue(7, 'Done', { fixVersions: ['1.0'], sprint: 6 }),
      { key: 'XYZ-1', summary: 'Other project issue', status: 'To Do', type: 'Task' },
    ],
  };
}

/** GET /field: a few system fields, Sprint and the team-managed "Story point estimate" (Cloud's customfield_10016). */
export const JIRA_FIELDS = [
  { id: 'summary', key: 'summary', name: 'Summary', custom: false, navigable: true, searchable: true, schema: { type: 'string', system: 'summary' } },
  { id: 'status', key: 'status', name: 'Status', custom: false, navigable: true, searchable: true, schema: { type: 'status', system: 'status' } },
  { id: 'customfield_10020', key: 'customfield_10020', name: 'Sprint', custom: true, navigable: true, searchable: true, schema: { type: 'array', items: 'json', custom: 'com.pyxis.greenhopper.jira:gh-sprint', customId: 10020 } },
  { id: 'customfield_10016', key: 'customfield_10016', name: 'Story point estimate', custom: true, navigable: true, searchable: true, schema: { type: 'number', custom: 'com.pyxis.greenhopper.jira:jsw-story-points', customId: 10016 } },
];
